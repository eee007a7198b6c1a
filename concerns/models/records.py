"""What is recorded about a concern besides its state: discussions, actions, stages, outcome."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .concern import Concern
from .people import Agency
from .process import Stage, Theme


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    MEETING = "meeting", "Meeting in person"
    VIDEO = "video", "Video call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class DiscussionNote(models.Model):
    """A written record of a discussion: when, with whom, how, what was said and agreed."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    with_whom = models.CharField(max_length=300)
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    discussion = models.TextField()
    agreed = models.TextField(blank=True)
    # Agency-internal notes are seen only by the author's agency (and the partnership).
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # A key carried by the form, so a resubmitted form cannot record the note twice.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_note_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Discussion on {self.occurred_at:%d %b %Y} ({self.concern})"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class AgreedAction(models.Model):
    """An action agreed in the outcome: owned by one of the two agencies (and optionally a
    named person), due within a year, followed through after the concern closes."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="actions")
    owner_agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    description = models.TextField()
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    status_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self) -> str:
        return f"{self.owner_agency}: due {self.due_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today

    @property
    def done_on_time(self) -> bool:
        done = self.status == ActionStatus.DONE and self.completed_at is not None
        return done and timezone.localdate(self.completed_at) <= self.due_date


class Side(models.TextChoices):
    RAISING = "raising", "Raising agency"
    RECEIVING = "receiving", "Receiving agency"
    PARTNERSHIP = "partnership", "The partnership"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Awaiting answers"
    ACCEPTED = "accepted", "Accepted"
    DEEMED = "deemed", "Deemed accepted"
    DISPUTED = "disputed", "Disputed"
    SUPERSEDED = "superseded", "Set aside: the concern moved on"


class Answer(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISPUTED = "disputed", "Disputed"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    DEEMED = "deemed", "Deemed accepted: no answer in time"


class OutcomeProposal(models.Model):
    """An outcome a stage's holder proposes; the concern resolves when the other side accepts
    it (or is silent for the set working days) and the raiser has given their own answer.

    `other_answer` is the other side's holder's (a dispute returns the concern to its stage);
    `raiser_answer` is the raiser's own, recorded by nobody else. Either may be left blank
    when not needed: the raiser proposed it, or at stage 1 the raiser is the other side.
    """

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="proposals")
    stage_number = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=12, choices=Side.choices)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    outcome_statement = models.TextField()
    decision = models.CharField(max_length=20)
    # The agreed actions as proposed: [{owner_agency, owner, description, due_date}]; they
    # become AgreedAction rows when the outcome is agreed.
    actions = models.JSONField(default=list)
    answer_due = models.DateField()
    answer_due_explanation = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    needs_other = models.BooleanField(default=True)
    other_answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    other_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    other_answered_at = models.DateTimeField(null=True, blank=True)
    needs_raiser = models.BooleanField(default=True)
    raiser_answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    raiser_answered_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField(blank=True)
    raiser_reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern"],
                condition=models.Q(status="pending"),
                name="one_pending_proposal_per_concern",
            )
        ]
        indexes = [models.Index(fields=["status", "answer_due"], name="proposal_status_due")]

    def __str__(self) -> str:
        return f"Outcome proposed for {self.concern} on {self.proposed_at:%d %b %Y}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class CurrentConfirmations(models.Manager["Confirmation"]):
    """Confirmations of the concern's present outcome: those of an outcome set aside by a
    reopening stay in the table (and on the chain) but no longer count."""

    def get_queryset(self) -> models.QuerySet[Confirmation]:
        return super().get_queryset().filter(superseded_at=None)


class Confirmation(models.Model):
    """An agency's confirmation that the outcome is filed on its own record of the child."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="confirmations")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()
    # Where the outcome was filed: the agency's case system and the record in it.
    system = models.CharField(max_length=60, blank=True)
    record_reference = models.CharField(max_length=60, blank=True)
    # Set when the concern is reopened: the outcome confirmed is no longer its outcome.
    superseded_at = models.DateTimeField(null=True, blank=True)

    every = models.Manager()
    objects = CurrentConfirmations()

    class Meta:
        base_manager_name = "every"
        default_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "agency"],
                condition=models.Q(superseded_at=None),
                name="one_confirmation_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} confirmed {self.concern}"


class StagePeriod(models.Model):
    """One stay of a concern at one stage, with the deadline stored when it started."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="stage_periods")
    stage = models.ForeignKey(Stage, models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    due_date = models.DateField()
    response_due_date = models.DateField(null=True, blank=True)
    due_explanation = models.CharField(max_length=300)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Counted once when the period ends, so reports aggregate a stored number.
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Of those, the working days the clock was paused (shown apart in the report).
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    # Who was named to hold the stage: they keep seeing the concern after it moves on.
    raising_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    receiving_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    partnership_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["concern", "number"]
        # A reopened concern returns to its last stage: a second stay there, a second row.
        indexes = [models.Index(fields=["concern", "number"], name="period_concern_number")]

    def __str__(self) -> str:
        return f"{self.concern} at stage {self.number}"


class HandoverRole(models.TextChoices):
    RESPONDER = "responder", "The named practitioner"
    RAISING_HOLDER = "raising_holder", "The raising agency's named holder"
    RECEIVING_HOLDER = "receiving_holder", "The receiving agency's named holder"


class Handover(models.Model):
    """A named part in a concern handed from one person to another, with the reason: both
    keep seeing the concern (past and present holders)."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="handovers")
    role = models.CharField(max_length=20, choices=HandoverRole.choices)
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    to_person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.concern} handed over"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ProcessFollowed(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Audit(models.Model):
    """A partnership auditor's review of a closed concern.

    Whether timescales were met and whether both agencies recorded the outcome are computed
    from the stored dates and confirmations when the audit is made, and kept as they were.
    """

    concern = models.OneToOneField(Concern, models.PROTECT, related_name="audit_record")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    process_followed = models.CharField(max_length=10, choices=ProcessFollowed.choices)
    timescales_met = models.BooleanField()
    child_central = models.BooleanField()
    voice_recorded = models.BooleanField()
    both_recorded = models.BooleanField()
    rating = models.CharField(max_length=10, choices=Rating.choices)
    findings = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="audits")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Audit of {self.concern}"


class AuditAction(models.Model):
    """Learning the audit asks a named agency to act on."""

    audit = models.ForeignKey(Audit, models.PROTECT, related_name="actions")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    description = models.TextField()

    def __str__(self) -> str:
        return f"{self.agency}: {self.description[:40]}"
