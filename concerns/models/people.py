"""Agencies and the people who work in them. One person belongs to one agency with one role."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PARTNERSHIP = "partnership", "Safeguarding partnership"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    """How partnerships' annual reports group agencies (health, schools, GP, police...)."""

    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health (community and hospital)"
    GP = "gp", "GP and primary care"
    SCHOOLS = "schools", "Schools and colleges"
    EARLY_YEARS = "early_years", "Early years"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation and youth justice"
    ADULT_SERVICES = "adult_services", "Adult social care and mental health"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    PARTNERSHIP = "partnership", "Safeguarding partnership"
    OTHER = "other", "Other"


SECTOR_OF_KIND = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: Sector.CHILDRENS_SOCIAL_CARE,
    AgencyKind.POLICE: Sector.POLICE,
    AgencyKind.HEALTH: Sector.HEALTH,
    AgencyKind.EDUCATION: Sector.SCHOOLS,
    AgencyKind.VOLUNTARY: Sector.VOLUNTARY,
    AgencyKind.PARTNERSHIP: Sector.PARTNERSHIP,
    AgencyKind.OTHER: Sector.OTHER,
}


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    # Blank: taken from its kind (save); the admin sets GP, early years, probation and so on.
    sector = models.CharField(
        max_length=32,
        choices=Sector.choices,
        blank=True,
        help_text="How the annual report groups it. Left blank, it follows the kind.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.sector:
            self.sector = SECTOR_OF_KIND.get(self.kind, Sector.OTHER)  # type: ignore[call-overload]
        super().save(*args, **kwargs)

    @property
    def is_partnership(self) -> bool:
        return self.kind == AgencyKind.PARTNERSHIP


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "First-line manager or designated safeguarding lead"
    SENIOR_MANAGER = "senior_manager", "Senior manager or head of service"
    PARTNERSHIP_OFFICER = "partnership_officer", "Partnership officer"
    PARTNERSHIP_AUDITOR = "partnership_auditor", "Partnership auditor"


MANAGER_ROLES = frozenset({Role.MANAGER, Role.SENIOR_MANAGER})
# How senior each agency role is: a stage's holders must be at least its seniority.
SENIORITY = {Role.PRACTITIONER: 0, Role.MANAGER: 1, Role.SENIOR_MANAGER: 2}
PARTNERSHIP_ROLES = frozenset({Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Their agency and role decide, with the concern, what they may do."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    is_safeguarding_lead = models.BooleanField(
        "Designated safeguarding lead",
        default=False,
        help_text="Sees every concern involving their agency and is told when nobody there is "
        "named to act.",
    )
    is_active = models.BooleanField(default=True)
    # The last day this person covers for anyone (concerns.services.cover keeps it): pages
    # look up whom they cover only while it is today or later.
    covering_until = models.DateField(null=True, blank=True, editable=False)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised when a second factor is added or removed: every session signed in before then
    # ends (the session's check value is made from it, as Django's is from the password).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.agency})" if self.agency_id else self.full_name

    def clean(self) -> None:
        super().clean()
        in_partnership = self.agency is not None and self.agency.is_partnership
        if self.role in PARTNERSHIP_ROLES and not in_partnership:
            raise ValidationError({"role": "Partnership roles belong to the partnership's agency."})

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    def is_at_least(self, seniority: str) -> bool:
        """Whether this person's role is at least as senior as `seniority` (a Role)."""
        mine = SENIORITY.get(self.role)  # type: ignore[call-overload]
        return mine is not None and mine >= SENIORITY[seniority]  # type: ignore[index]

    @property
    def role_label(self) -> str:
        label = Role(self.role).label
        return f"{label}, safeguarding lead" if self.is_safeguarding_lead else label

    @property
    def is_partnership_officer(self) -> bool:
        return self.role == Role.PARTNERSHIP_OFFICER

    @property
    def is_partnership_auditor(self) -> bool:
        return self.role == Role.PARTNERSHIP_AUDITOR

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret)  # type: ignore[misc]
        key_salt = "concerns.models.User.session_epoch"
        value = f"{self.password}|{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]


class Cover(models.Model):
    """Someone named to cover a colleague's concerns for a period (leave, absence): they get
    the colleague's reminders and may act for them, recorded as "X for Y"."""

    person = models.ForeignKey(User, models.PROTECT, related_name="covered_by")
    cover = models.ForeignKey(User, models.PROTECT, related_name="covering")
    starts = models.DateField()
    ends = models.DateField()
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts", "pk"]
        indexes = [models.Index(fields=["cover", "ends"], name="cover_cover_ends")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")), name="cover_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("cover")), name="cover_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cover} covers {self.person} ({self.starts:%d %b} to {self.ends:%d %b %Y})"
