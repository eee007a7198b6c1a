"""Who may see a concern and do what to it: one policy, as data, for every service and selector.

Need to know: a person sees a concern because of their part in it (raiser, responder, the
manager consulted, a named holder now or earlier, a safeguarding lead of either agency, the
partnership), never because of their agency alone. The policy maps each action and state to
the parts allowed; at an open stage, who acts depends on who holds the stage (its
configuration). Refusals say, in plain words, who could act instead.

What the process needs besides the person (a stage to escalate to, an outcome not yet
confirmed) is `concerns.process`'s, which asks this policy first: `process.actions_now` and
`process.require` are what pages and services call.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from concerns.models.concern import OPEN_STATES, State
from concerns.models.people import Cover, Role
from concerns.models.process import Holder
from concerns.models.records import AgreedAction, Handover, StagePeriod

if TYPE_CHECKING:
    from concerns.models import Concern, User


class Rel(StrEnum):
    """A person's part in one concern. Need to know: each part is a reason to see it."""

    RAISER = "raiser"
    RESPONDER = "responder"
    CONSULTED = "consulted"  # the raiser's manager or safeguarding lead, consulted at stage 1
    RAISING_HOLDER = "raising_holder"  # named to hold the current stage for each side
    RECEIVING_HOLDER = "receiving_holder"
    FORMER_HOLDER = "former_holder"  # named at an earlier stage
    ACTION_OWNER = "action_owner"  # named to own one of its agreed actions
    COVER = "cover"  # covering, today, for someone with a part in it (and acting for them)
    RAISING_LEAD = "raising_lead"  # a designated safeguarding lead of each agency
    RECEIVING_LEAD = "receiving_lead"
    PARTNERSHIP_OFFICER = "partnership_officer"
    PARTNERSHIP_AUDITOR = "partnership_auditor"


class Action(StrEnum):
    VIEW = "view"
    NOTE = "note"
    SUBMIT = "submit"
    ESCALATE = "escalate"
    URGENT_ESCALATE = "urgent_escalate"
    PROPOSE = "propose"  # an outcome; it resolves the concern once agreed
    ACCEPT = "accept"
    DISPUTE = "dispute"
    CONFIRM = "confirm"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    AUDIT = "audit"
    PAUSE = "pause"
    RESUME = "resume"
    # Record an agreed action done or not done (the owning agency's people: see services).
    UPDATE_ACTION = "update_action"
    HAND_OVER = "hand_over"  # a named part to someone else (the person, or their agency's lead)
    REOPEN = "reopen"  # a closed concern, within the window, back to its last stage
    FOLLOW_ON = "follow_on"  # after the window: a new concern linked to this one


OPEN = "open"  # any stage state

PRACTITIONERS = frozenset({Rel.RAISER, Rel.RESPONDER})
NAMED_HOLDERS = frozenset({Rel.RAISING_HOLDER, Rel.RECEIVING_HOLDER})
LEADS = frozenset({Rel.RAISING_LEAD, Rel.RECEIVING_LEAD})
PARTIES = PRACTITIONERS | NAMED_HOLDERS | LEADS | {Rel.CONSULTED, Rel.FORMER_HOLDER}
EVERYONE = PARTIES | {Rel.PARTNERSHIP_OFFICER, Rel.PARTNERSHIP_AUDITOR}
# A named action owner sees the concern once its outcome is agreed, to follow the action.
AFTER_OUTCOME = EVERYONE | {Rel.ACTION_OWNER}
DRAFT_READERS = frozenset({Rel.RAISER, Rel.RAISING_LEAD})
OFFICER = frozenset({Rel.PARTNERSHIP_OFFICER})

# At an open stage, who acts depends on who holds the stage (its configuration).
ByHolder = dict[str, frozenset[Rel]]
ESCALATORS: ByHolder = {
    # Either practitioner, or the raiser's own manager or safeguarding lead.
    Holder.PRACTITIONERS: PRACTITIONERS | {Rel.CONSULTED, Rel.RAISING_LEAD},
    Holder.MANAGERS: NAMED_HOLDERS,
    Holder.PARTNERSHIP: OFFICER,
}
RESOLVERS: ByHolder = {
    Holder.PRACTITIONERS: PRACTITIONERS,
    Holder.MANAGERS: NAMED_HOLDERS,
    Holder.PARTNERSHIP: OFFICER,
}

ANSWERERS: ByHolder = {holder: rels | {Rel.RAISER} for holder, rels in RESOLVERS.items()}

PolicyEntry = frozenset[Rel] | ByHolder
POLICY: dict[Action, dict[str, PolicyEntry]] = {
    Action.VIEW: {
        State.DRAFT: DRAFT_READERS,
        OPEN: EVERYONE,
        State.RESOLVED: AFTER_OUTCOME,
        State.CLOSED: AFTER_OUTCOME,
        State.AUDITED: AFTER_OUTCOME,
        State.WITHDRAWN: EVERYONE,
    },
    Action.NOTE: {
        State.DRAFT: DRAFT_READERS,
        OPEN: PARTIES | OFFICER,
        State.RESOLVED: PARTIES | OFFICER,
        State.CLOSED: EVERYONE,
        State.AUDITED: EVERYONE,
        State.WITHDRAWN: PARTIES | OFFICER,
    },
    Action.SUBMIT: {State.DRAFT: frozenset({Rel.RAISER})},
    Action.ESCALATE: {OPEN: ESCALATORS},
    # Urgent escalation is a manager's call: the one consulted, the named holders, the leads.
    Action.URGENT_ESCALATE: {OPEN: NAMED_HOLDERS | LEADS | {Rel.CONSULTED}},
    # A holder proposes the outcome; the other side's holder accepts or disputes it, and the
    # raiser gives their own answer (process.answer_refusal says whose answer is awaited).
    Action.PROPOSE: {OPEN: RESOLVERS},
    Action.ACCEPT: {OPEN: ANSWERERS},
    Action.DISPUTE: {OPEN: ANSWERERS},
    Action.CONFIRM: {State.RESOLVED: PARTIES},
    Action.CLOSE: {State.RESOLVED: NAMED_HOLDERS | LEADS | OFFICER | {Rel.CONSULTED}},
    Action.WITHDRAW: {OPEN: frozenset({Rel.RAISER})},
    Action.AUDIT: {State.CLOSED: frozenset({Rel.PARTNERSHIP_AUDITOR})},
    # The stage's holders stop and restart its clock.
    Action.PAUSE: {OPEN: RESOLVERS},
    Action.RESUME: {OPEN: RESOLVERS},
    # The person named (responder or holder) or a lead of their agency hands the part over;
    # services.handover checks which part. At stage 1 only the responder's part is named.
    Action.HAND_OVER: {
        OPEN: {
            Holder.PRACTITIONERS: frozenset({Rel.RESPONDER, Rel.RECEIVING_LEAD}),
            Holder.MANAGERS: frozenset({Rel.RESPONDER}) | NAMED_HOLDERS | LEADS,
            Holder.PARTNERSHIP: frozenset({Rel.RESPONDER}) | NAMED_HOLDERS | LEADS,
        }
    },
    # A party reopens a closed concern within the window (process.reopen_refusal), or after it
    # (and once audited) raises a follow-on concern linked to it.
    Action.REOPEN: {State.CLOSED: PARTIES},
    Action.FOLLOW_ON: {State.CLOSED: PARTIES, State.AUDITED: PARTIES},
    # Agreed actions outlive the concern: followed through after it closes, and audited.
    Action.UPDATE_ACTION: {
        State.RESOLVED: PARTIES | OFFICER | {Rel.ACTION_OWNER},
        State.CLOSED: PARTIES | OFFICER | {Rel.ACTION_OWNER},
        State.AUDITED: PARTIES | OFFICER | {Rel.ACTION_OWNER},
    },
}


def relationships(user: User, concern: Concern) -> frozenset[Rel]:
    """The person's parts in the concern: their own, and (while they cover for someone) the
    parts of each person they cover, with COVER to say so."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    rels = set(parts_of(user, concern))
    for person in covering(user):
        inherited = parts_of(person, concern) - PARTNERSHIP_RELS
        if inherited:
            rels |= inherited | {Rel.COVER}
    return frozenset(rels)


PARTNERSHIP_RELS = frozenset({Rel.PARTNERSHIP_OFFICER, Rel.PARTNERSHIP_AUDITOR})


def parts_of(user: User, concern: Concern) -> frozenset[Rel]:
    """One person's own parts (whether or not they are still active: their cover acts for
    them). With no account named on the receiving side, its leads answer for the contact."""
    me = user.pk
    no_responder = concern.receiving_practitioner_id is None
    receiving_lead = is_lead_of(user, concern.receiving_agency_id)
    found = {
        Rel.RAISER: concern.raised_by_id == me,
        Rel.RESPONDER: concern.receiving_practitioner_id == me
        or (no_responder and receiving_lead and concern.state != "draft"),
        Rel.CONSULTED: concern.consulted_manager_id == me,
        Rel.RAISING_HOLDER: concern.raising_holder_id == me,
        Rel.RECEIVING_HOLDER: concern.receiving_holder_id == me,
        Rel.RAISING_LEAD: is_lead_of(user, concern.raising_agency_id),
        Rel.RECEIVING_LEAD: receiving_lead,
        Rel.PARTNERSHIP_OFFICER: user.role == Role.PARTNERSHIP_OFFICER,
        Rel.PARTNERSHIP_AUDITOR: user.role == Role.PARTNERSHIP_AUDITOR,
    }
    rels = {rel for rel, holds in found.items() if holds}
    if not rels and me in former_holders(concern):
        rels.add(Rel.FORMER_HOLDER)
    if not rels and concern.state in AFTER_OUTCOME_STATES and me in action_owners(concern):
        rels.add(Rel.ACTION_OWNER)
    return frozenset(rels)


def covering(user: User) -> list[User]:
    """The people `user` covers today (read once per user object and day)."""
    today = timezone.localdate()
    if user.covering_until is None or user.covering_until < today:
        return []
    cached = user.__dict__.get("_covering")
    if cached is None or cached[0] != today:
        people = [
            c.person
            for c in Cover.objects.filter(cover=user, starts__lte=today, ends__gte=today)
            .select_related("person")
            .order_by("pk")
        ]
        cached = (today, people)
        user.__dict__["_covering"] = cached
    return list(cached[1])


def acting_for(user: User, concern: Concern, action: Action) -> User | None:
    """Whom `user` acts for when their own parts do not allow `action` but those of someone
    they cover do (None: they act for themselves)."""
    allowed_parts = allowed(concern, action)
    if parts_of(user, concern) & allowed_parts:
        return None
    for person in covering(user):
        if (parts_of(person, concern) - PARTNERSHIP_RELS) & allowed_parts:
            return person
    return None


def identities(user: User) -> list[User]:
    """The person and everyone they cover today: whoever they may answer or hold a stage as."""
    return [user, *covering(user)]


AFTER_OUTCOME_STATES = frozenset({State.RESOLVED, State.CLOSED, State.AUDITED})


def action_owners(concern: Concern) -> set[int]:
    """The people named to own the concern's agreed actions: read once per concern object,
    and only for someone with no other part in it."""
    cached: set[int] | None = concern.__dict__.get("_action_owners")
    if cached is None:
        rows = AgreedAction.objects.filter(concern=concern, owner__isnull=False)
        cached = set(rows.values_list("owner_id", flat=True))
        concern.__dict__["_action_owners"] = cached
    return cached


def is_lead_of(user: User, agency_id: int | None) -> bool:
    return user.is_safeguarding_lead and agency_id is not None and user.agency_id == agency_id


def former_holders(concern: Concern) -> set[int]:
    """Everyone named to hold one of the concern's stages: read once per concern object, and
    only for someone with no other part in it."""
    cached: set[int] | None = concern.__dict__.get("_former_holders")
    if cached is None:
        rows = StagePeriod.objects.filter(concern=concern).values_list(
            "raising_holder_id", "receiving_holder_id", "partnership_holder_id"
        )
        cached = {pk for row in rows for pk in row if pk is not None}
        # Someone handed a part over (or handed one) stays a past holder of it.
        handed = Handover.objects.filter(concern=concern).values_list("from_person", "to_person")
        cached |= {pk for row in handed for pk in row}
        concern.__dict__["_former_holders"] = cached
    return cached


def allowed(concern: Concern, action: Action) -> frozenset[Rel]:
    """The relationships that may do `action` to `concern` in its present state."""
    rules = POLICY[action]
    entry = rules.get(OPEN) if concern.state in OPEN_STATES else rules.get(concern.state)
    if entry is None:
        return frozenset()
    if isinstance(entry, dict):
        stage = concern.current_stage
        return entry[stage.holder] if stage else frozenset()
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
    q = own_visible_q(user)
    for person in covering(user):
        if person.role not in (Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR):
            q |= own_visible_q(person)
    return q


def own_visible_q(user: User) -> Q:
    """What one agency person sees by their own parts (the VIEW policy as a query)."""
    not_draft = ~Q(state=State.DRAFT)
    held = StagePeriod.objects.filter(concern=OuterRef("pk")).filter(
        Q(raising_holder=user) | Q(receiving_holder=user) | Q(partnership_holder=user)
    )
    named = (
        Q(receiving_practitioner=user)
        | Q(consulted_manager=user)
        | Q(raising_holder=user)
        | Q(receiving_holder=user)
        | Exists(held)
    )
    owns = AgreedAction.objects.filter(concern=OuterRef("pk"), owner=user)
    q = Q(raised_by=user) | (named & not_draft)
    q |= Q(Exists(owns), state__in=AFTER_OUTCOME_STATES)
    handed = Handover.objects.filter(concern=OuterRef("pk")).filter(
        Q(from_person=user) | Q(to_person=user)
    )
    q |= Exists(handed) & not_draft
    if user.is_safeguarding_lead and user.agency_id:
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
    Action.PROPOSE: "propose its outcome",
    Action.ACCEPT: "accept the proposed outcome",
    Action.DISPUTE: "dispute the proposed outcome",
    Action.CONFIRM: "confirm its outcome",
    Action.CLOSE: "close it",
    Action.WITHDRAW: "withdraw it",
    Action.AUDIT: "audit it",
    Action.PAUSE: "pause it",
    Action.RESUME: "resume it",
    Action.UPDATE_ACTION: "record what became of its agreed actions",
    Action.HAND_OVER: "hand it over",
    Action.REOPEN: "reopen it",
    Action.FOLLOW_ON: "raise a follow-on concern from it",
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
    if Rel.CONSULTED in rels and concern.consulted_manager is not None:
        parts.append(f"the manager they consulted ({concern.consulted_manager.full_name})")
    for rel, holder, agency in (
        (Rel.RAISING_HOLDER, concern.raising_holder, raising),
        (Rel.RECEIVING_HOLDER, concern.receiving_holder, receiving),
    ):
        if rel in rels and holder is not None:
            parts.append(f"the named holder in {agency} ({holder.full_name})")
    if rels >= LEADS:
        parts.append(f"a safeguarding lead in {raising} or {receiving}")
    elif Rel.RAISING_LEAD in rels:
        parts.append(f"a safeguarding lead in {raising}")
    elif Rel.RECEIVING_LEAD in rels:
        parts.append(f"a safeguarding lead in {receiving}")
    if Rel.COVER in rels:
        parts.append("whoever covers for them")
    if Rel.ACTION_OWNER in rels:
        parts.append("the people named to own its agreed actions")
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


def may_manage_retention(user: User) -> bool:
    """Legal holds, disposal and subject-access exports: the partnership's officers (the
    partnership holds the record; its officers answer for its retention)."""
    return user.is_authenticated and user.is_active and user.role == Role.PARTNERSHIP_OFFICER


def may_see_audit_findings(user: User) -> bool:
    """An audit's rating and findings are about how the agencies and their managers handled
    the process: the partnership, the managers and the safeguarding leads who can open the
    concern see them; practitioners see that it was audited (issue 11 asked who should)."""
    return (
        user.role in (Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR)
        or user.is_manager
        or user.is_safeguarding_lead
    )


def may_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PARTNERSHIP_AUDITOR
