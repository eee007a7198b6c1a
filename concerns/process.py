"""The process: the stages as configured, where an escalation goes, when a resolved concern may
close, and the one answer to "what may this person do to this concern now?".

Who may act is the access policy's (`concerns.access`); this module adds what the process
itself requires at that moment: a stage to escalate to, an outcome the person's agency has
not yet confirmed, a concern ready to close. The services refuse through `require` and the
concern page offers `actions_now`, so what a page offers and what a service does never differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from concerns import access
from concerns.access import Action
from concerns.calendar import format_day
from concerns.errors import ActionRefused, NotVisible
from concerns.models import Concern, Stage, User
from concerns.models.concern import CloseReason

# --- The stages as configured.


class Stages(dict[int, Stage]):
    """The configured stages by number, read once (for a request or a transaction) and passed
    to whatever needs them; templates read it as a plain dict."""

    @classmethod
    def load(cls) -> Stages:
        return cls((stage.number, stage) for stage in Stage.objects.order_by("number"))

    def of(self, concern: Concern) -> Stage | None:
        """The stage the concern is at; the concern keeps it, so the policy reads no more."""
        stage = self.get(concern.stage_number or 0)
        if stage is not None:
            concern.__dict__["_current_stage"] = stage
        return stage

    def after(self, concern: Concern) -> list[Stage]:
        """The stages after the concern's own, in order (all of them if it is at none)."""
        number = concern.stage_number or 0
        return [stage for n, stage in sorted(self.items()) if n > number]

    def escalation_target(self, concern: Concern) -> Stage | None:
        """Where an ordinary escalation takes the concern: the next stage, if there is one."""
        return next(iter(self.after(concern)), None)

    def urgent_target(self, concern: Concern) -> Stage | None:
        """Where an urgent escalation takes it: the next stage on the urgent route, if any."""
        return next((s for s in self.after(concern) if s.accepts_urgent_escalation), None)

    def states_held_by(self, holder: str) -> list[str]:
        return [stage.state for stage in self.values() if stage.holder == holder]


# --- Closing a resolved concern.


def close_reason(concern: Concern, confirmed: set[int], today: dt.date) -> str | None:
    """Why a resolved concern may close now (None if it may not): both agencies have
    confirmed the outcome is on their records, or the confirmation window has run out."""
    if {concern.raising_agency_id, concern.receiving_agency_id} <= confirmed:
        return CloseReason.BOTH_CONFIRMED
    if concern.due_date is not None and today > concern.due_date:
        return CloseReason.WINDOW_EXPIRED
    return None


# --- What a person may do now: the policy, then what the process needs at this moment.


@dataclass
class Moment:
    """What the process needs to know about a concern now, each part read once when needed."""

    concern: Concern
    today: dt.date
    stages: Stages = field(default_factory=Stages.load)

    def __post_init__(self) -> None:
        self.stages.of(self.concern)

    @cached_property
    def confirmed(self) -> set[int]:
        """The agencies that have confirmed the outcome is on their records."""
        return set(self.concern.confirmations.values_list("agency_id", flat=True))


def nowhere_to_go(moment: Moment, action: Action) -> str | None:
    """Escalation needs a later stage, urgent escalation a later stage on the urgent route:
    without one nobody may do it, so nobody is offered it or told someone else could."""
    concern, stages = moment.concern, moment.stages
    where = access.state_phrase(concern)
    if action == Action.ESCALATE and stages.escalation_target(concern) is None:
        return f"{where}, the last stage; it can be resolved but not escalated further."
    if action == Action.URGENT_ESCALATE and stages.urgent_target(concern) is None:
        return (
            f"{where}; urgent escalation is only for the stages before the urgent route's "
            "stage. Escalate it in the ordinary way instead."
        )
    return None


# While a concern is paused its stage waits: resume it first.
WAITS_WHILE_PAUSED = frozenset({Action.ESCALATE, Action.URGENT_ESCALATE, Action.RESOLVE})


def clock_refusal(moment: Moment, action: Action) -> str | None:
    """Pausing a paused clock, or resuming a running one: nobody may, whoever asks."""
    concern = moment.concern
    where = access.state_phrase(concern)
    paused = concern.paused_at is not None
    if action == Action.PAUSE and paused:
        return f"{where} and already paused; resume it when the wait is over."
    if action == Action.RESUME and not paused:
        return f"{where} and its clock is running; there is nothing to resume."
    return None


def pause_refusal(moment: Moment, action: Action) -> str | None:
    if action in WAITS_WHILE_PAUSED and moment.concern.paused_at is not None:
        return f"{access.state_phrase(moment.concern)} and paused; resume it first."
    return None


def not_yet(user: User, moment: Moment, action: Action) -> str | None:
    """What stops someone the policy allows: a paused clock (or one not paused), their agency
    already confirmed, or the concern not ready to close."""
    concern = moment.concern
    paused = pause_refusal(moment, action)
    if paused:
        return paused
    if action == Action.CONFIRM:
        if user.agency_id not in (concern.raising_agency_id, concern.receiving_agency_id):
            return "Only the two agencies in this concern confirm its outcome."
        if user.agency_id in moment.confirmed:
            return f"{user.agency} has already confirmed the outcome is recorded."
    if action == Action.CLOSE and close_reason(concern, moment.confirmed, moment.today) is None:
        due = format_day(concern.due_date) if concern.due_date else "the window's end"
        return (
            "This concern is resolved but both agencies have not yet confirmed the outcome is "
            f"on their records; it can be closed without them after {due}."
        )
    return None


# What `refusal(..., explain=False)` answers for the policy's refusals: the page only asks
# whether, so it never pays for naming who could act instead (a lookup per person named).
REFUSED = "refused"


def refusal(user: User, moment: Moment, action: Action, *, explain: bool = True) -> str | None:
    """Why `user` may not do `action` to the concern now, in plain words; None if they may.
    Someone with no part in the concern gets NotVisible, never a reason."""
    concern = moment.concern
    if not access.can(user, concern, Action.VIEW):
        raise NotVisible()
    blocked = nowhere_to_go(moment, action) or clock_refusal(moment, action)
    if blocked:
        return blocked
    if not access.can(user, concern, action):
        return access.refusal(concern, action) if explain else REFUSED
    return not_yet(user, moment, action)


def require(user: User, moment: Moment, action: Action) -> None:
    """Refuse, saying why, unless `user` may do `action` now (the services' check)."""
    why = refusal(user, moment, action)
    if why is not None:
        raise ActionRefused(why)


def actions_now(user: User, moment: Moment) -> list[Action]:
    """Everything `user` may do to the concern now (the concern page's offers)."""
    if not access.can(user, moment.concern, Action.VIEW):
        return []
    return [action for action in Action if refusal(user, moment, action, explain=False) is None]
