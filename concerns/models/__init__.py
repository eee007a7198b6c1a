"""The concerns domain: who is involved, the process configuration, the concern and its records."""

from .access_log import AccessRecord, Read
from .concern import Concern, State
from .events import CaseEvent
from .people import Agency, AgencyKind, Cover, Role, User
from .process import (
    ClosureDay,
    Holder,
    ProcessSettings,
    ReferenceCounter,
    Stage,
    Theme,
    UrgentRoute,
)
from .records import (
    AgreedAction,
    Audit,
    AuditAction,
    Confirmation,
    DiscussionNote,
    Handover,
    OutcomeProposal,
    StagePeriod,
)

__all__ = [
    "AccessRecord",
    "Agency",
    "AgencyKind",
    "AgreedAction",
    "Audit",
    "AuditAction",
    "CaseEvent",
    "ClosureDay",
    "Concern",
    "Confirmation",
    "Cover",
    "DiscussionNote",
    "Handover",
    "Holder",
    "OutcomeProposal",
    "ProcessSettings",
    "Read",
    "ReferenceCounter",
    "Role",
    "Stage",
    "StagePeriod",
    "State",
    "Theme",
    "UrgentRoute",
    "User",
]
