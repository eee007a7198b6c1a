"""Who may see a concern and do what to it: one policy, as data, for every service and selector.

A person's relationships to a concern come from their agency, their role and the concern itself.
The policy maps each action and state to the relationships allowed; "stage holders" is resolved
from the stage configuration. Refusals say, in plain words, who could act instead.

What the process needs besides the person (a stage to escalate to, an outcome not yet
confirmed) is `concerns.process`'s, which asks this policy first: `process.actions_now` and
`process.require` are what pages and services call.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q

from concerns.models.concern import OPEN_STATES, State
from concerns.models.people import MANAGER_ROLES, Role
from concerns.models.process import Holder

if TYPE_CHECKING:
    from concerns.models import Concern, User


class Rel(StrEnum):
    RAISER = "raiser"
    RESPONDER = "responder"
    RAISING_MANAGER = "raising_manager"
    RECEIVING_MANAGER = "receiving_manager"
    PARTNERSHIP_OFFICER = "partnership_officer"
    PARTNERSHIP_AUDITOR = "partnership_auditor"


class Action(StrEnum):
    VIEW = "view"
    NOTE = "note"
    SUBMIT = "submit"
    ESCALATE = "escalate"
    URGENT_ESCALATE = "urgent_escalate"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    AUDIT = "audit"


# Policy entries name relationships, or this marker for "whoever holds the current stage".
STAGE_HOLDERS = "stage_holders"
OPEN = "open"  # any stage state

PARTIES = frozenset({Rel.RAISER, Rel.RESPONDER, Rel.RAISING_MANAGER, Rel.RECEIVING_MANAGER})
MANAGERS = frozenset({Rel.RAISING_MANAGER, Rel.RECEIVING_MANAGER})
EVERYONE = PARTIES | {Rel.PARTNERSHIP_OFFICER, Rel.PARTNERSHIP_AUDITOR}
DRAFT_READERS = frozenset({Rel.RAISER, Rel.RAISING_MANAGER})

PolicyEntry = frozenset[Rel] | str
POLICY: dict[Action, dict[str, PolicyEntry]] = {
    Action.VIEW: {
        State.DRAFT: DRAFT_READERS,
        OPEN: EVERYONE,
        State.RESOLVED: EVERYONE,
        State.CLOSED: EVERYONE,
        State.AUDITED: EVERYONE,
        State.WITHDRAWN: EVERYONE,
    },
    Action.NOTE: {
        State.DRAFT: DRAFT_READERS,
        OPEN: PARTIES | {Rel.PARTNERSHIP_OFFICER},
        State.RESOLVED: PARTIES | {Rel.PARTNERSHIP_OFFICER},
        State.CLOSED: EVERYONE,
        State.AUDITED: EVERYONE,
        State.WITHDRAWN: PARTIES | {Rel.PARTNERSHIP_OFFICER},
    },
    Action.SUBMIT: {State.DRAFT: frozenset({Rel.RAISER})},
    Action.ESCALATE: {OPEN: STAGE_HOLDERS},
    Action.URGENT_ESCALATE: {OPEN: MANAGERS},
    Action.RESOLVE: {OPEN: STAGE_HOLDERS},
    Action.CONFIRM: {State.RESOLVED: PARTIES},
    Action.CLOSE: {State.RESOLVED: MANAGERS | {Rel.PARTNERSHIP_OFFICER}},
    Action.WITHDRAW: {OPEN: frozenset({Rel.RAISER})},
    Action.AUDIT: {State.CLOSED: frozenset({Rel.PARTNERSHIP_AUDITOR})},
}

HOLDER_RELS: dict[str, frozenset[Rel]] = {
    Holder.PRACTITIONERS: frozenset({Rel.RAISER, Rel.RESPONDER}),
    Holder.MANAGERS: MANAGERS,
    Holder.PARTNERSHIP: frozenset({Rel.PARTNERSHIP_OFFICER}),
}


def relationships(user: User, concern: Concern) -> frozenset[Rel]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    rels: set[Rel] = set()
    if concern.raised_by_id == user.pk:
        rels.add(Rel.RAISER)
    if concern.receiving_practitioner_id == user.pk:
        rels.add(Rel.RESPONDER)
    if user.role in MANAGER_ROLES and user.agency_id == concern.raising_agency_id:
        rels.add(Rel.RAISING_MANAGER)
    if user.role in MANAGER_ROLES and user.agency_id == concern.receiving_agency_id:
        rels.add(Rel.RECEIVING_MANAGER)
    if user.role == Role.PARTNERSHIP_OFFICER:
        rels.add(Rel.PARTNERSHIP_OFFICER)
    if user.role == Role.PARTNERSHIP_AUDITOR:
        rels.add(Rel.PARTNERSHIP_AUDITOR)
    return frozenset(rels)


def allowed(concern: Concern, action: Action) -> frozenset[Rel]:
    """The relationships that may do `action` to `concern` in its present state."""
    rules = POLICY[action]
    entry = rules.get(OPEN) if concern.state in OPEN_STATES else rules.get(concern.state)
    if entry is None:
        return frozenset()
    if entry == STAGE_HOLDERS:
        stage = concern.current_stage
        return HOLDER_RELS[stage.holder] if stage else frozenset()
    assert isinstance(entry, frozenset)
    return entry


def can(user: User, concern: Concern, action: Action) -> bool:
    return bool(relationships(user, concern) & allowed(concern, action))


# --- Scoped reads: the queryset form of the VIEW policy above. Tests check the two agree.


def visible_concerns_q(user: User) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    not_draft = ~Q(state=State.DRAFT)
    if user.role in (Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR):
        return not_draft
    q = Q(raised_by=user) | (Q(receiving_practitioner=user) & not_draft)
    if user.role in MANAGER_ROLES and user.agency_id:
        q |= Q(raising_agency_id=user.agency_id)
        q |= Q(receiving_agency_id=user.agency_id) & not_draft
    return q


# --- Plain-words refusals.

VERBS = {
    Action.VIEW: "see it",
    Action.NOTE: "record a discussion on it",
    Action.SUBMIT: "submit it",
    Action.ESCALATE: "escalate it",
    Action.URGENT_ESCALATE: "escalate it urgently",
    Action.RESOLVE: "resolve it",
    Action.CONFIRM: "confirm its outcome",
    Action.CLOSE: "close it",
    Action.WITHDRAW: "withdraw it",
    Action.AUDIT: "audit it",
}


def state_phrase(concern: Concern) -> str:
    stage = concern.current_stage
    if stage is not None:
        return f"This concern is at stage {stage.number} ({stage.name})"
    return {
        State.DRAFT: "This concern is a draft",
        State.RESOLVED: "This concern is resolved",
        State.CLOSED: "This concern is closed",
        State.AUDITED: "This concern has been audited",
        State.WITHDRAWN: "This concern was withdrawn",
    }.get(concern.state, f"This concern is {concern.state}")


def refusal(concern: Concern, action: Action) -> str:
    """Why the policy refuses `action` to someone who can see the concern: who could act."""
    who = describe(concern, allowed(concern, action))
    if not who:
        return f"{state_phrase(concern)}; nobody can {VERBS[action]} now."
    return f"{state_phrase(concern)}; only {who} can {VERBS[action]}."


def describe(concern: Concern, rels: frozenset[Rel]) -> str:
    raising, receiving = concern.raising_agency.name, concern.receiving_agency.name
    parts: list[str] = []
    if Rel.RAISER in rels:
        parts.append(f"the practitioner who raised it ({concern.raised_by.full_name})")
    if Rel.RESPONDER in rels:
        parts.append(f"the named practitioner in {receiving}")
    if rels >= MANAGERS:
        parts.append(f"a manager in {raising} or {receiving}")
    elif Rel.RAISING_MANAGER in rels:
        parts.append(f"a manager in {raising}")
    elif Rel.RECEIVING_MANAGER in rels:
        parts.append(f"a manager in {receiving}")
    if Rel.PARTNERSHIP_OFFICER in rels:
        parts.append("the partnership business unit")
    if Rel.PARTNERSHIP_AUDITOR in rels:
        parts.append("a partnership auditor")
    return " or ".join(parts)


# --- Partnership-only pages: reports (all partnership staff) and the audit queue (auditors).


def may_read_reports(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role
        in (
            Role.PARTNERSHIP_OFFICER,
            Role.PARTNERSHIP_AUDITOR,
        )
    )


def may_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PARTNERSHIP_AUDITOR
