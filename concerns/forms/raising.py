"""Raising a concern: the immediate-risk question first, then the child and the disagreement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from concerns.models import Agency, Theme, User
from concerns.models.concern import Category, LeadProfessionalTold, LevelOfNeed, OtherProcedure
from concerns.models.people import MANAGER_ROLES, Role
from concerns.services.drafting import INITIALS

from .base import DateInput, DateTimeInput, GovukFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str) -> bool:
    return value == "yes"


class RiskForm(GovukFormMixin, forms.Form):
    immediate_risk = forms.TypedChoiceField(
        label="Is the child at risk of significant harm now?",
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the child may be at risk of significant harm now."
        },
    )


class SafeguardingActionForm(GovukFormMixin, forms.Form):
    safeguarding_action = forms.CharField(
        label="What safeguarding action have you taken?",
        help_text="For example: referral to the front door, call to the duty team, police called.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what safeguarding action was taken for the child."},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.agency}" if obj.agency_id else obj.full_name


def other_agencies(actor: User) -> QuerySet[Agency]:
    return Agency.objects.exclude(pk=actor.agency_id or 0).exclude(kind="partnership")


def managers_in(agency_id: int | None) -> QuerySet[User]:
    return User.objects.filter(agency_id=agency_id or 0, role__in=MANAGER_ROLES, is_active=True)


class ConcernForm(GovukFormMixin, forms.Form):
    """The child, the other agency and the disagreement; plus what submission needs."""

    child_initials = forms.CharField(
        label="Child's initials",
        max_length=4,
        help_text="Initials only, never a full name. For an unborn baby, the mother's initials.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "autocomplete": "off"}),
    )
    child_date_of_birth = forms.DateField(
        label="Child's date of birth (or expected date)", required=False, widget=DateInput()
    )
    child_unborn = forms.BooleanField(label="The child is not yet born", required=False)
    raising_agency_case_number = forms.CharField(
        label="Your agency's case number for the child",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    receiving_agency = forms.ModelChoiceField(
        label="The other agency", queryset=Agency.objects.none(), empty_label="Choose an agency"
    )
    receiving_practitioner = PersonChoiceField(
        label="The practitioner in the other agency",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a practitioner",
        help_text="Needed before you submit. They will be able to see the concern.",
    )
    receiving_agency_case_number = forms.CharField(
        label="The other agency's case number, if known",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    other_procedure = forms.ChoiceField(
        label="Is the disagreement about a child protection conference decision or a "
        "looked-after child's plan?",
        choices=OtherProcedure.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Those follow their own procedures; the concern is recorded but not submitted.",
    )
    category = forms.ChoiceField(
        label="What is the disagreement about?", choices=Category.choices, widget=forms.RadioSelect
    )
    level_of_need = forms.ChoiceField(
        label="The child's level of need", choices=LevelOfNeed.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="Summary of the disagreement",
        help_text="What was decided or done, and why you disagree. No full names.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    outcome_sought = forms.CharField(
        label="The outcome you are seeking", widget=forms.Textarea(attrs={"rows": 4})
    )
    child_voice = forms.CharField(
        label="The child's voice",
        help_text="What the child has said or shown about their daily life.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consulted_manager = PersonChoiceField(
        label="The manager or safeguarding lead you consulted",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
    )
    other_practitioner_contacted_at = forms.DateTimeField(
        label="When you contacted the other practitioner",
        required=False,
        widget=DateTimeInput(),
    )
    lead_professional_told = forms.ChoiceField(
        label="Has the lead professional, IRO or chair been told in writing?",
        choices=LeadProfessionalTold.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    required_messages = {
        "child_initials": "Enter the child's initials.",
        "receiving_agency": "Choose the other agency.",
        "category": "Choose what the disagreement is about.",
        "level_of_need": "Choose the child's level of need.",
        "summary": "Enter a summary of the disagreement.",
        "outcome_sought": "Enter the outcome you are seeking.",
        "immediate_risk": "Say whether the child may be at risk of significant harm now.",
    }

    SUBMISSION_FIELDS = {
        "consulted_manager": "Choose the manager or safeguarding lead you consulted.",
        "other_practitioner_contacted_at": "Enter when you contacted the other practitioner.",
        "lead_professional_told": "Say whether the lead professional, IRO or chair was told "
        "in writing.",
        "receiving_practitioner": "Name the practitioner in the other agency.",
    }

    def __init__(self, *args: Any, actor: User, submitting: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        agencies = other_agencies(actor)
        self.fields["receiving_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["receiving_practitioner"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(agency__in=agencies, role=Role.PRACTITIONER, is_active=True)
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )
        self.fields["consulted_manager"].queryset = managers_in(  # type: ignore[attr-defined]
            actor.agency_id
        ).select_related("agency")

    def clean_child_initials(self) -> str:
        value: str = self.cleaned_data["child_initials"].strip()
        if not INITIALS.match(value):
            raise forms.ValidationError("Enter the child's initials: 1 to 4 letters, not a name.")
        return value.upper()

    def clean_other_practitioner_contacted_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data["other_practitioner_contacted_at"]
        if value and value > timezone.now():
            raise forms.ValidationError("The contact date must not be in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("child_date_of_birth")
        if born and born > timezone.localdate() and not data.get("child_unborn"):
            self.add_error("child_date_of_birth", "The date of birth must be today or in the past.")
        agency, practitioner = data.get("receiving_agency"), data.get("receiving_practitioner")
        if agency and practitioner and practitioner.agency_id != agency.pk:
            self.add_error("receiving_practitioner", f"The practitioner must work in {agency}.")
        if self.submitting:
            for name, message in self.SUBMISSION_FIELDS.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class DraftEditForm(ConcernForm):
    """Editing a draft: the immediate-risk answer can be changed here too."""

    immediate_risk = RiskForm.base_fields["immediate_risk"]
    safeguarding_action = forms.CharField(
        label="If yes: what safeguarding action have you taken?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["immediate_risk", "safeguarding_action"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("immediate_risk") and not (data.get("safeguarding_action") or "").strip():
            self.add_error(
                "safeguarding_action", "Say what safeguarding action was taken for the child."
            )
        return data
