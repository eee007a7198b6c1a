"""The demo's concerns, each taken through the real services with a clock in the past.

Step dates are counted back from today (see `demo.plans`), so nothing is ever
recorded in the future and histories, events and deadlines are those real use would make.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from django.utils import timezone

from concerns import services
from concerns.models import AgreedAction, Concern, Theme, User
from concerns.models.concern import LeadProfessionalTold, LevelOfNeed
from concerns.models.people import Role
from concerns.models.records import ContactMethod

from .people import Directory
from .plans import FINDINGS, PLANS, Plan
from .stories import BY_KEY, DemoStory


@dataclass(frozen=True)
class DemoCast:
    raiser: User
    responder: User
    raising_manager: User
    receiving_manager: User
    raising_senior: User
    receiving_senior: User
    officer: User
    auditor: User


def cast_for(story: DemoStory, directory: Directory, pair: int) -> DemoCast:
    def who(slug: str, role: str) -> User:
        return directory.person(slug, role, pair)

    return DemoCast(
        raiser=who(story.raising, Role.PRACTITIONER),
        responder=who(story.receiving, Role.PRACTITIONER),
        raising_manager=who(story.raising, Role.MANAGER),
        receiving_manager=who(story.receiving, Role.MANAGER),
        raising_senior=who(story.raising, Role.SENIOR_MANAGER),
        receiving_senior=who(story.receiving, Role.SENIOR_MANAGER),
        officer=who("partnership", Role.PARTNERSHIP_OFFICER),
        auditor=who("partnership", Role.PARTNERSHIP_AUDITOR),
    )


def working_days_back(day: dt.date, days: int) -> dt.date:
    """`days` weekdays before `day` (bank holidays ignored: a demo step may fall on one)."""
    while days > 0:
        day -= dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def step_times(gaps: list[int], idle: int, today: dt.date) -> list[dt.datetime]:
    """One time per step: `gaps[i]` working days after the step before, the last `idle`
    working days before today; times of day rise through the list so order is kept."""
    days = [working_days_back(today, idle)]
    for gap in reversed(gaps[1:]):
        days.insert(0, working_days_back(days[0], gap))
    zone = timezone.get_current_timezone()
    start = dt.time(9, 0)
    return [
        dt.datetime.combine(d, start, zone) + dt.timedelta(minutes=20 * i)
        for i, d in enumerate(days)
    ]


Step = Callable[[dt.datetime], None]
E = TypeVar("E", bound=services.EscalationData)


class Journey:
    """One plan played through the services; `play()` returns the concern as it ends."""

    def __init__(
        self, plan: Plan, directory: Directory, themes: dict[str, Theme], today: dt.date
    ) -> None:
        self.plan, self.story = plan, BY_KEY[plan.story]
        self.cast = cast_for(self.story, directory, plan.pair)
        self.directory, self.themes, self.today = directory, themes, today
        self.concern: Concern | None = None
        self.stage = 0

    @property
    def concern_id(self) -> int:
        assert self.concern is not None
        return self.concern.pk

    @cached_property
    def timed_steps(self) -> list[tuple[dt.datetime, Step]]:
        steps = self.steps()
        times = step_times([gap for gap, _ in steps], self.plan.idle, self.today)
        return list(zip(times, [step for _, step in steps], strict=True))

    @property
    def starts_at(self) -> dt.datetime:
        return self.timed_steps[0][0]

    def play(self) -> Concern:
        for at, step in self.timed_steps:
            step(at)
        assert self.concern is not None
        self.concern.refresh_from_db()
        return self.concern

    def steps(self) -> list[tuple[int, Step]]:
        plan, pace = self.plan, self.plan.pace
        steps: list[tuple[int, Step]] = [(0, self.draft)]
        if plan.target == "draft":
            return steps
        steps.append((pace, self.submit))
        stage = 1
        if plan.urgent:
            steps.append((pace, self.escalate_urgently))
            stage = 3
        if plan.disputed:
            steps += [(pace, self.propose), (1, self.dispute)]
        while stage < plan.stage:
            steps.append((pace, self.escalate))
            stage += 1
        if plan.paused:
            steps.append((1, self.pause))
        if plan.handed_over:
            steps.append((1, self.hand_over))
        if plan.target == "withdrawn":
            steps.append((pace, self.withdraw))
        if plan.proposed:
            steps.append((pace, self.propose))
        if plan.reopened:  # resolved, both confirm (closed), then reopened
            steps += [(pace, self.propose), (0, self.answer), *self.closing_steps()]
            steps.append((pace, self.reopen))
        if plan.target in ("resolved", "closed", "audited") and plan.deemed:
            # Three working days to answer; the first sweep after them records the silence.
            steps += [(pace, self.propose), (4, self.deem)]
        elif plan.target in ("resolved", "closed", "audited"):
            steps += [(pace, self.propose), (0, self.answer)]
        if plan.target in ("closed", "audited"):
            steps += self.closing_steps()
        if plan.target == "audited":
            steps += [(pace, self.action_followed_up), (pace, self.audit)]
        if plan.follow_on:
            steps.append((1, self.follow_on))
        return steps

    def closing_steps(self) -> list[tuple[int, Step]]:
        if self.plan.by_window:
            # Well past the five-working-day confirmation window (even with bank holidays in
            # it), so the partnership may close it without the second confirmation.
            return [(1, self.confirm_raising), (9, self.close)]
        return [(self.plan.pace, self.confirm_raising), (0, self.confirm_receiving)]

    # --- The steps, each one service call (plus the notes written on the same day).

    def draft(self, at: dt.datetime) -> None:
        story, cast = self.story, self.cast
        data = services.DraftData(
            child_initials=self.plan.initials,
            child_date_of_birth=self.birth_date(at.date()),
            child_unborn=story.age is None,
            raising_agency_case_number=case_number(story.raising, self.plan.initials),
            receiving_agency_case_number=case_number(story.receiving, self.plan.initials),
            receiving_agency=self.directory.agencies[story.receiving],
            receiving_practitioner=None if self.plan.contact else cast.responder,
            receiving_contact_name="Pat Okafor" if self.plan.contact else "",
            receiving_contact_role="School nurse (no account)" if self.plan.contact else "",
            receiving_contact_team="North West locality" if self.plan.contact else "",
            receiving_contact_phone="0113 496 0000" if self.plan.contact else "",
            category=story.category,
            level_of_need=story.level_of_need,
            summary=story.summary,
            outcome_sought=story.outcome_sought,
            child_voice=story.child_voice,
            themes=[self.themes[name] for name in story.themes if name in self.themes],
        )
        self.concern = services.concern_create_draft(actor=cast.raiser, data=data, now=at)
        self.note(
            at,
            (cast.raiser, cast.raising_manager, ContactMethod.MEETING),
            f"Talked through the concern about {story.issue} before contacting the other agency.",
            "Agreed it should go through the concerns resolution process.",
        )

    def birth_date(self, day: dt.date) -> dt.date | None:
        age = self.story.age
        if age is None:
            return None
        spread = zlib.crc32(self.plan.initials.encode()) % 300
        return day - dt.timedelta(days=age * 365 + (spread if age else 120))

    def submit(self, at: dt.datetime) -> None:
        at_risk = self.story.level_of_need == LevelOfNeed.CHILD_PROTECTION
        data = services.SubmitData(
            immediate_risk=at_risk,
            safeguarding_action=(
                "Referred to the children's social care front door by phone the same day."
                if at_risk
                else ""
            ),
            consulted_manager=self.cast.raising_manager,
            other_practitioner_contacted_at=at - dt.timedelta(hours=20),
            lead_professional_told=(
                LeadProfessionalTold.NO_LEAD if self.plan.pair else LeadProfessionalTold.YES
            ),
        )
        services.concern_submit(
            concern_id=self.concern_id, actor=self.cast.raiser, data=data, now=at
        )
        self.stage = 1
        cast, story = self.cast, self.story
        self.note(
            at,
            (cast.raiser, cast.responder, ContactMethod.PHONE),
            story.first_talk,
            story.first_agreed,
        )
        if self.plan.pair:
            self.note(
                at,
                (cast.responder, cast.receiving_manager, ContactMethod.MEETING),
                "Discussed in supervision; asked for the full history before replying.",
                internal=True,
            )

    def escalate(self, at: dt.datetime) -> None:
        actor = {1: self.stage_one_actor(), 2: self.cast.raising_manager}.get(
            self.stage, self.cast.raising_senior
        )
        services.concern_escalate(
            concern_id=self.concern_id,
            actor=actor,
            data=self.escalation(self.stage + 1, services.EscalationData),
            now=at,
        )
        self.stage += 1
        self.stage_note(at)

    def escalate_urgently(self, at: dt.datetime) -> None:
        data = self.escalation(3, services.UrgentEscalationData)
        data.urgency = "The child may be at risk while the agencies disagree; it cannot wait."
        data.within_24_hours = True
        services.concern_escalate_urgently(
            concern_id=self.concern_id, actor=self.cast.raising_manager, data=data, now=at
        )
        self.stage = 3
        self.stage_note(at)

    def pause(self, at: dt.datetime) -> None:
        """The receiving side's holder pauses the stage until a strategy discussion."""
        concern = Concern.objects.get(pk=self.concern_id)
        actor = concern.receiving_holder or self.stage_one_actor()
        data = services.PauseData(
            reason="strategy_discussion",
            resume_expected=timezone.localdate(at) + dt.timedelta(days=14),
        )
        services.concern_pause(concern_id=self.concern_id, actor=actor, data=data, now=at)

    def hand_over(self, at: dt.datetime) -> None:
        """The receiving holder hands the concern to a colleague (the other pair's manager)."""
        colleague = self.directory.person(self.story.receiving, Role.MANAGER, 1 - self.plan.pair)
        data = services.HandoverData(
            role="receiving_holder",
            to_person=colleague,
            reason="Moving to the east locality team; a colleague takes over my caseload.",
        )
        services.concern_hand_over(
            concern_id=self.concern_id, actor=self.cast.receiving_manager, data=data, now=at
        )

    def stage_one_actor(self) -> User:
        return self.cast.responder if self.plan.pair else self.cast.raiser

    def escalation(self, target: int, kind: type[E]) -> E:
        cast, story = self.cast, self.story
        seniors = target >= 3
        return kind(
            reason=f"No agreement at stage {target - 1} about {story.issue}.",
            raising_position=story.raising_position,
            receiving_position=story.receiving_position,
            raising_holder=cast.raising_senior if seniors else cast.raising_manager,
            receiving_holder=cast.receiving_senior if seniors else cast.receiving_manager,
            partnership_holder=cast.officer if target >= 4 else None,
        )

    def stage_note(self, at: dt.datetime) -> None:
        cast, story = self.cast, self.story
        if self.stage == 2:
            self.note(
                at,
                (cast.raising_manager, cast.receiving_manager, ContactMethod.VIDEO),
                story.managers_talk,
                story.managers_agreed,
            )
        elif self.stage == 3:
            self.note(
                at,
                (cast.raising_senior, cast.receiving_senior, ContactMethod.MEETING),
                f"Senior managers met about {story.issue}. {story.raising_position} "
                f"In reply: {story.receiving_position}",
                "Each service to set out its position in writing for the partnership.",
            )
        elif self.stage == 4:
            self.note(
                at,
                (cast.officer, cast.raising_senior, ContactMethod.MEETING),
                f"Partnership resolution meeting about {story.issue}, chaired by the business "
                f"unit with {cast.raising_senior.full_name} and {cast.receiving_senior.full_name}.",
                "The business unit will send its written decision to both agencies.",
            )

    def proposer(self) -> User:
        cast = self.cast
        return {
            1: cast.responder,
            2: cast.receiving_manager,
            3: cast.receiving_senior,
        }.get(self.stage, cast.officer)

    def propose(self, at: dt.datetime) -> None:
        """The receiving side's holder (the business unit at stage 4) proposes the outcome."""
        story = self.story
        data = services.ProposalData(
            outcome_statement=story.outcome,
            decision=story.decision,
            actions=[
                services.ActionData(
                    owner_agency=self.directory.agencies[story.receiving],
                    description=story.action,
                    due_date=timezone.localdate(at) + dt.timedelta(days=14),
                    owner=self.cast.responder if self.stage == 1 else None,
                )
            ],
        )
        services.concern_propose(
            concern_id=self.concern_id, actor=self.proposer(), data=data, now=at
        )

    def answer(self, at: dt.datetime) -> None:
        """Each awaited answer: the other side's holder accepts; the raiser accepts, or (at
        stage 2 and above, where the holders agree for the agencies) records that they do not."""
        cast = self.cast
        other = {1: cast.raiser, 2: cast.raising_manager, 3: cast.raising_senior}.get(self.stage)
        if other is not None:
            services.concern_accept(concern_id=self.concern_id, actor=other, now=at)
        if self.stage == 1:
            return
        later = at + dt.timedelta(minutes=30)
        if self.plan.accepts:
            services.concern_accept(concern_id=self.concern_id, actor=cast.raiser, now=later)
        else:
            services.concern_dispute(
                concern_id=self.concern_id,
                actor=cast.raiser,
                reason="The plan still does not say who will see the child, or when.",
                now=later,
            )

    def dispute(self, at: dt.datetime) -> None:
        """At stage 1 the raiser disputes the responder's proposed outcome."""
        services.concern_dispute(
            concern_id=self.concern_id,
            actor=self.cast.raiser,
            reason=f"It does not settle {self.story.issue}; we will take it to our managers.",
            now=at,
        )

    def deem(self, at: dt.datetime) -> None:
        services.deem_silent_answer(concern_id=self.concern_id, now=at)

    def action_followed_up(self, at: dt.datetime) -> None:
        """The receiving side records the agreed action done (or, if the audit rated the case
        red, not done)."""
        action = AgreedAction.objects.filter(concern_id=self.concern_id).first()
        if action is None:
            return
        red = self.plan.rating == "red"
        data = services.ActionUpdateData(
            status="not_done" if red else "done",
            reason="The family moved before the assessment started." if red else "",
        )
        services.action_update(action_id=action.pk, actor=self.cast.responder, data=data, now=at)

    def reopen(self, at: dt.datetime) -> None:
        services.concern_reopen(
            concern_id=self.concern_id,
            actor=self.cast.raiser,
            new_information=f"New information about {self.story.issue}: the school has "
            "raised fresh concerns since it closed.",
            now=at,
        )

    def follow_on(self, at: dt.datetime) -> None:
        """A follow-on concern, left a draft after its raiser talks it through again."""
        cast = self.cast
        draft = services.concern_follow_on(concern_id=self.concern_id, actor=cast.raiser, now=at)
        data = services.NoteData(
            occurred_at=at + dt.timedelta(hours=1),
            with_whom=f"{cast.raising_manager.full_name}, {cast.raising_manager.job_title}",
            method="meeting",
            discussion="New worries since the first concern was audited; agreed to raise it again.",
        )
        services.note_create(
            concern_id=draft.pk, actor=cast.raiser, data=data, now=at + dt.timedelta(hours=2)
        )

    def confirm_raising(self, at: dt.datetime) -> None:
        services.concern_confirm(concern_id=self.concern_id, actor=self.cast.raiser, now=at)

    def confirm_receiving(self, at: dt.datetime) -> None:
        services.concern_confirm(concern_id=self.concern_id, actor=self.cast.responder, now=at)

    def close(self, at: dt.datetime) -> None:
        services.concern_close(concern_id=self.concern_id, actor=self.cast.officer, now=at)

    def withdraw(self, at: dt.datetime) -> None:
        data = services.WithdrawalData(
            reason="The other agency has since acted on the concern; it no longer stands.",
            agreed_by=self.cast.raising_manager,
        )
        services.concern_withdraw(
            concern_id=self.concern_id, actor=self.cast.raiser, data=data, now=at
        )

    def audit(self, at: dt.datetime) -> None:
        rating = self.plan.rating
        data = services.AuditData(
            process_followed={"green": "yes", "amber": "partly", "red": "no"}[rating],
            child_central=rating != "red",
            voice_recorded=True,
            rating=rating,
            findings=FINDINGS[self.plan.rating],
            themes=[self.themes[n] for n in self.story.themes if n in self.themes],
        )
        services.concern_audit(
            concern_id=self.concern_id, actor=self.cast.auditor, data=data, now=at
        )

    def note(
        self,
        at: dt.datetime,
        talk: tuple[User, User, str],
        discussion: str,
        agreed: str = "",
        *,
        internal: bool = False,
    ) -> None:
        """Record, three hours after the step, a discussion held half an hour before that.

        `talk` is (the author, who they talked with, how)."""
        author, other, method = talk
        recorded = at + dt.timedelta(hours=3)
        data = services.NoteData(
            occurred_at=recorded - dt.timedelta(minutes=30),
            with_whom=f"{other.full_name}, {other.job_title} ({other.agency})",
            method=method,
            discussion=discussion,
            agreed=agreed,
            internal=internal,
        )
        services.note_create(concern_id=self.concern_id, actor=author, data=data, now=recorded)


def case_number(slug: str, initials: str) -> str:
    return f"{slug[:3].upper()}-{zlib.crc32(f'{slug}{initials}'.encode()) % 900000 + 100000}"


def create_concerns(directory: Directory, now: dt.datetime | None = None) -> list[Concern]:
    today = timezone.localdate(now or timezone.now())
    themes = {theme.name: theme for theme in Theme.objects.all()}
    journeys = [Journey(p, directory, themes, today) for p in PLANS]
    # Oldest first, so reference numbers rise with the date each concern was raised.
    journeys.sort(key=lambda journey: journey.starts_at)
    played = [journey.play() for journey in journeys]
    arrange_cover(directory, today)
    return played


def arrange_cover(directory: Directory, today: dt.date) -> None:
    """A team manager (Rachel Dunmore) is away for the next fortnight: a colleague (Imran
    Qureshi) covers her concerns and gets her reminders."""
    away = directory.person("social-work", Role.MANAGER, 0)
    cover = directory.person("social-work", Role.MANAGER, 1)
    services.cover_create(
        actor=away,
        data=services.CoverData(
            person=away, cover=cover, starts=today, ends=today + dt.timedelta(days=14)
        ),
    )
