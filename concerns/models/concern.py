"""The concern and its state machine, declared once.

Transitions only move the state and set the fields that belong to the move; who may run them,
locking and the audit event live in `concerns.services`, the only caller.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from .people import Agency
from .process import MAX_STAGES, Stage, Theme

STAGE_STATES = [f"stage_{n}" for n in range(1, MAX_STAGES + 1)]


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    STAGE_1 = "stage_1", "Stage 1"
    STAGE_2 = "stage_2", "Stage 2"
    STAGE_3 = "stage_3", "Stage 3"
    STAGE_4 = "stage_4", "Stage 4"
    STAGE_5 = "stage_5", "Stage 5"
    STAGE_6 = "stage_6", "Stage 6"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    AUDITED = "audited", "Audited"
    WITHDRAWN = "withdrawn", "Withdrawn"


def stage_number(state: str) -> int | None:
    return int(state.removeprefix("stage_")) if state in STAGE_STATES else None


class Category(models.TextChoices):
    REFERRAL_THRESHOLD = "referral_threshold", "Referral threshold"
    ASSESSMENT_OUTCOME = "assessment_outcome", "Assessment outcome"
    CHILD_PROTECTION_PROCEDURES = "child_protection_procedures", "Child protection procedures"
    PLAN_IMPLEMENTATION = "plan_implementation", "Plan implementation"
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    ROLES_AND_RESPONSIBILITIES = "roles_and_responsibilities", "Roles and responsibilities"
    SERVICE_PROVISION = "service_provision", "Service provision"
    NON_ATTENDANCE = "non_attendance", "Non-attendance"
    OTHER = "other", "Other"


class VoiceMissing(models.TextChoices):
    """Why the child's voice could not be gathered, when it was not."""

    TOO_YOUNG = "too_young", "The child is too young to say"
    NOT_SEEN = "not_seen", "The child has not been seen"
    OTHER = "other", "Another reason"


class PauseReason(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Awaiting a strategy discussion"
    CONFERENCE = "conference", "Awaiting a child protection conference"
    ASSESSMENT = "assessment", "Awaiting an assessment"
    OTHER = "other", "Another reason"


class LevelOfNeed(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after child"
    NOT_KNOWN = "not_known", "Not known"


class OtherProcedure(models.TextChoices):
    """Disagreements that follow their own procedure: recorded here, routed elsewhere."""

    NONE = "", "No: this is a disagreement for the concerns resolution process"
    CP_CONFERENCE = "cp_conference", "A child protection conference decision"
    LOOKED_AFTER = "looked_after", "A looked-after child's plan (the IRO's route)"


class LeadProfessionalTold(models.TextChoices):
    YES = "yes", "Yes, in writing"
    NO = "no", "No"
    NO_LEAD = "no_lead", "There is no lead professional, IRO or chair"


class Decision(models.TextChoices):
    UPHELD = "upheld", "Original decision upheld"
    CHANGED = "changed", "Original decision changed"
    PARTLY_CHANGED = "partly_changed", "Original decision partly changed"


class Agreement(models.TextChoices):
    """How a proposed outcome became the resolution."""

    ACCEPTED = "accepted", "Accepted by the other side"
    DEEMED = "deemed", "Deemed accepted: no answer in time"
    DECIDED = "decided", "Decided by the partnership"


class CloseReason(models.TextChoices):
    BOTH_CONFIRMED = "both_confirmed", "Both agencies confirmed the outcome is recorded"
    WINDOW_EXPIRED = "window_expired", "The confirmation window ran out"


OPEN_STATES = frozenset(STAGE_STATES)
# A clock runs at every stage and through the confirmation window after resolution.
CLOCK_STATES = frozenset({*STAGE_STATES, State.RESOLVED})


def running_clock_q() -> models.Q:
    """Concerns whose clock runs: in a clock state and not paused (Concern.is_overdue's)."""
    return models.Q(state__in=CLOCK_STATES, paused_at=None)


def overdue_q(today: dt.date) -> models.Q:
    """The queryset form of Concern.is_overdue(today)."""
    return running_clock_q() & models.Q(due_date__lt=today)


class Concern(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    # The child, by minimal identifiers only.
    child_initials = models.CharField(max_length=4)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_unborn = models.BooleanField(default=False)
    raising_agency_case_number = models.CharField(max_length=40, blank=True)
    receiving_agency_case_number = models.CharField(max_length=40, blank=True)

    raising_agency = models.ForeignKey(Agency, models.PROTECT, related_name="raised_concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="raised_concerns"
    )
    receiving_agency = models.ForeignKey(Agency, models.PROTECT, related_name="received_concerns")
    receiving_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="received_concerns",
        null=True,
        blank=True,
    )

    # The other practitioner, when they have no account: a named contact. Their agency's
    # safeguarding leads then get the notices and act for them.
    receiving_contact_name = models.CharField(max_length=200, blank=True)
    receiving_contact_role = models.CharField(max_length=200, blank=True)
    receiving_contact_team = models.CharField(max_length=200, blank=True)
    receiving_contact_phone = models.CharField(max_length=40, blank=True)
    receiving_contact_email = models.EmailField(blank=True)

    category = models.CharField(max_length=40, choices=Category.choices)
    other_procedure = models.CharField(
        max_length=20, choices=OtherProcedure.choices, blank=True, default=""
    )
    level_of_need = models.CharField(max_length=20, choices=LevelOfNeed.choices)
    summary = models.TextField()
    outcome_sought = models.TextField()
    child_voice = models.TextField(blank=True)
    child_voice_missing = models.CharField(max_length=20, choices=VoiceMissing.choices, blank=True)
    child_voice_missing_detail = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="concerns")

    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    # Submission.
    immediate_risk = models.BooleanField(null=True)
    safeguarding_action = models.TextField(blank=True)
    consulted_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    other_practitioner_contacted_at = models.DateTimeField(null=True, blank=True)
    lead_professional_told = models.CharField(
        max_length=10, choices=LeadProfessionalTold.choices, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The stage the concern is at now (or the confirmation window once resolved).
    raising_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    receiving_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    partnership_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    stage_started_at = models.DateTimeField(null=True, blank=True)
    response_due_date = models.DateField(null=True, blank=True)
    # A stage holder may pause the clock while waiting for another process; on resume the
    # deadline moves by the paused working days.
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=30, choices=PauseReason.choices, blank=True)
    pause_detail = models.CharField(max_length=300, blank=True)
    resume_expected = models.DateField(null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    # An urgent escalation marked for a response within 24 hours: due to the minute, until a
    # named holder answers or the concern moves on.
    response_due_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_explanation = models.CharField(max_length=300, blank=True)

    # Resolution.
    outcome_statement = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    raiser_accepts = models.BooleanField(null=True)
    agreement = models.CharField(max_length=10, choices=Agreement.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # A concern raised again after the reopening window closed, linked to the one it follows.
    follows = models.ForeignKey(
        "self", models.PROTECT, related_name="follow_ons", null=True, blank=True
    )
    # Working days from submission to the outcome (resolution or withdrawal), for reports.
    working_days_to_outcome = models.PositiveSmallIntegerField(null=True, blank=True)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The raise form's one-time key: unique per raiser, so the same form posted twice (or
    # twenty times at once) raises one concern.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    # Retention (concerns.services.retention): a legal hold stops disposal; once disposed of,
    # the personal data and case text are gone and the anonymous figures remain.
    legal_hold_reason = models.CharField(max_length=300, blank=True, editable=False)
    disposed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "submission_key"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="concern_state_due"),
            # Lists show their first page by due date: without this PostgreSQL sorts every
            # visible concern (120-210 ms at 100,000 concerns; about 5 ms with it).
            models.Index(fields=["due_date", "id"], name="concern_due_id"),
            models.Index(fields=["raising_agency", "state"], name="concern_raising_state"),
            models.Index(fields=["receiving_agency", "state"], name="concern_receiving_state"),
            # Reports select a period's concerns by when they were submitted (issue 12).
            models.Index(fields=["submitted_at"], name="concern_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["raised_by", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_concern_per_raise_form",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def stage_number(self) -> int | None:
        return stage_number(self.state)

    @property
    def current_stage(self) -> Stage | None:
        """The configured stage the concern is at (None outside the stages). Read once per
        concern object; `concerns.process.Stages.of` fills it from stages already read."""
        number = self.stage_number
        if number is None:
            return None
        cached: Stage | None = self.__dict__.get("_current_stage")
        if cached is None or cached.number != number:
            cached = Stage.objects.filter(number=number).first()
            self.__dict__["_current_stage"] = cached
        return cached

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: dt.date) -> bool:
        running = self.state in CLOCK_STATES and self.paused_at is None
        return running and self.due_date is not None and today > self.due_date

    # --- The state machine. `permission` is checked by services through concerns.access.

    @transition(field=state, source=State.DRAFT, target=State.STAGE_1)
    def submit(self, *, at: dt.datetime) -> None:
        self.submitted_at = at

    @transition(field=state, source=STAGE_STATES[:-1], target=RETURN_VALUE(*STAGE_STATES))
    def escalate(self, *, to_stage: int) -> str:
        return f"stage_{to_stage}"

    @transition(field=state, source=STAGE_STATES[:-1], target=RETURN_VALUE(*STAGE_STATES))
    def escalate_urgently(self, *, to_stage: int) -> str:
        return f"stage_{to_stage}"

    @transition(field=state, source=STAGE_STATES, target=State.RESOLVED)
    def resolve(self, *, at: dt.datetime, **outcome: Any) -> None:
        self.resolved_at = at
        self.outcome_statement = outcome["outcome_statement"]
        self.decision = outcome["decision"]
        self.raiser_accepts = outcome["raiser_accepts"]
        self.agreement = outcome["agreement"]

    @transition(field=state, source=State.RESOLVED, target=State.CLOSED)
    def close(self, *, at: dt.datetime, reason: str) -> None:
        self.closed_at = at
        self.close_reason = reason
        self._stop_clock()

    @transition(field=state, source=STAGE_STATES, target=State.WITHDRAWN)
    def withdraw(self, *, reason: str) -> None:
        self.withdrawn_reason = reason
        self._stop_clock()

    @transition(field=state, source=State.CLOSED, target=RETURN_VALUE(*STAGE_STATES))
    def reopen(self, *, to_stage: int) -> str:
        self.closed_at = None
        self.close_reason = ""
        return f"stage_{to_stage}"

    @transition(field=state, source=State.CLOSED, target=State.AUDITED)
    def audit(self) -> None:
        pass

    def _stop_clock(self) -> None:
        self.due_date = None
        self.response_due_date = None
        self.response_due_at = None
        self.due_explanation = ""
