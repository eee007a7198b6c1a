"""The process as configuration: stage names, order and clocks, closure days, themes, settings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MAX_STAGES = 6


class UrgentRoute(models.Model):
    """A route for a child at risk of significant harm now, shown before anything else when a
    practitioner raises a concern. The partnership keeps them current in the admin."""

    text = models.CharField(max_length=300, help_text="For example: the front door, 0113 …")
    position = models.PositiveSmallIntegerField(default=0, help_text="Shown in this order.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Holder(models.TextChoices):
    """Who holds a stage: they may resolve it and (if a later stage exists) escalate it."""

    PRACTITIONERS = "practitioners", "Both practitioners"
    MANAGERS = "managers", "Managers of both agencies"
    PARTNERSHIP = "partnership", "The partnership business unit"


class Stage(models.Model):
    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_STAGES)]
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    holder = models.CharField(max_length=20, choices=Holder.choices)
    working_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days from the start of the stage to its resolution deadline.",
    )
    response_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days for a first response, if this stage has one.",
    )
    accepts_urgent_escalation = models.BooleanField(
        default=False, help_text="Urgent escalations from earlier stages come straight here."
    )
    holder_seniority = models.CharField(
        max_length=32,
        choices=[
            ("practitioner", "Practitioner"),
            ("manager", "First-line manager or designated safeguarding lead"),
            ("senior_manager", "Senior manager or head of service"),
        ],
        default="manager",
        help_text="The least senior role a named holder of this stage may have.",
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"

    @property
    def state(self) -> str:
        return f"stage_{self.number}"


class ClosureDay(models.Model):
    """A local closure day of the partnership: not a working day for any clock."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b %Y}: {self.description}"


class Theme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcessSettings(models.Model):
    """The partnership's settings: a single row, edited in the admin."""

    confirmation_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Working days for each agency to confirm the outcome is recorded."
    )
    answer_working_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Working days to accept or dispute a proposed outcome; silence after that "
        "is recorded as deemed acceptance.",
    )
    reopen_working_days = models.PositiveSmallIntegerField(
        default=20,
        validators=[MaxValueValidator(120)],
        help_text="Working days after closing in which a party may reopen a concern (not once "
        "audited); after that, a linked follow-on concern is raised instead.",
    )
    small_number_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Report counts below this show as 'fewer than N'."
    )
    # Retention (concerns.services.retention): a closed concern comes up for review this many
    # years after it closed, or when the child reaches this age, whichever is later.
    retention_years = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Years after closing before a concern's personal data comes up for review "
        "and disposal.",
    )
    retention_until_age = models.PositiveSmallIntegerField(
        default=25,
        validators=[MaxValueValidator(100)],
        help_text="Or the child's age (from their date of birth) at which it comes up, if "
        "that is later. 0: not used.",
    )

    class Meta:
        verbose_name = "process settings"
        verbose_name_plural = "process settings"

    def __str__(self) -> str:
        return "Process settings"

    @classmethod
    def current(cls) -> ProcessSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class ReferenceCounter(models.Model):
    """The last reference number issued in a year: CR-2026-00042 is the 42nd of 2026."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
