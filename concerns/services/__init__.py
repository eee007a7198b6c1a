"""Every write to the concerns domain. Each locks the concern, checks the actor, runs the
transition, saves, and chains one audit event, all in one transaction. The partnership's own
writes (`partnership`: audit samples, export records) check the actor and chain their event on
the partnership's chain instead."""

from .actions import ActionUpdateData, action_update
from .completion import (
    AuditActionData,
    AuditData,
    WithdrawalData,
    concern_audit,
    concern_close,
    concern_confirm,
    concern_withdraw,
)
from .drafting import (
    DraftData,
    SubmitData,
    concern_create_draft,
    concern_raise,
    concern_submit,
    concern_submit_draft,
    concern_update_draft,
)
from .handover import (
    CoverData,
    HandoverData,
    concern_hand_over,
    cover_create,
    cover_end,
)
from .notes import NoteData, note_create
from .outcomes import (
    ActionData,
    ProposalData,
    concern_accept,
    concern_dispute,
    concern_propose,
    deem_silent_answer,
    deem_silent_answers,
)
from .partnership import ExportKind, audit_sample, report_export_record
from .pausing import PauseData, concern_pause, concern_resume
from .reopening import concern_follow_on, concern_reopen
from .stages import (
    EscalationData,
    UrgentEscalationData,
    concern_escalate,
    concern_escalate_urgently,
)

__all__ = [
    "ActionData",
    "ActionUpdateData",
    "AuditActionData",
    "AuditData",
    "CoverData",
    "DraftData",
    "EscalationData",
    "ExportKind",
    "HandoverData",
    "NoteData",
    "PauseData",
    "ProposalData",
    "SubmitData",
    "UrgentEscalationData",
    "WithdrawalData",
    "action_update",
    "audit_sample",
    "concern_accept",
    "concern_audit",
    "concern_close",
    "concern_confirm",
    "concern_create_draft",
    "concern_dispute",
    "concern_escalate",
    "concern_escalate_urgently",
    "concern_follow_on",
    "concern_hand_over",
    "concern_pause",
    "concern_propose",
    "concern_raise",
    "concern_reopen",
    "concern_resume",
    "concern_submit",
    "concern_submit_draft",
    "concern_update_draft",
    "concern_withdraw",
    "cover_create",
    "cover_end",
    "deem_silent_answer",
    "deem_silent_answers",
    "note_create",
    "report_export_record",
]
