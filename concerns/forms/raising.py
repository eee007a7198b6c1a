"""Raising a concern: the immediate-risk question first, then the child and the disagreement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from concerns.models import Agency, Theme, User
from concerns.models.concern import (
    Category,
    LeadProfessionalTold,
    LevelOfNeed,
    OtherProcedure,
    VoiceMissing,
)
from concerns.models.people import Role
from concerns.selectors import adviser_candidates
from concerns.services.drafting import (
    DRAFT_MESSAGES,
    INITIALS,
    SUBMIT_MESSAGES,
    consulted_manager_message,
    practitioner_agency_message,
)

from .base import (
    YES_NO,
    AgencyTaggedSelect,
    DateInput,
    DateTimeInput,
    GovukFormMixin,
    PersonChoiceField,
    yes_no,
)


class RiskForm(GovukFormMixin, forms.Form):
    immediate_risk = forms.TypedChoiceField(
        label="Is the child at risk of significant harm now?",
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": SUBMIT_MESSAGES["immediate_risk"]},
    )


class SafeguardingActionForm(GovukFormMixin, forms.Form):
    safeguarding_action = forms.CharField(
        label="What safeguarding action have you taken?",
        help_text="For example: referral to the front door, call to the duty team, police called.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": SUBMIT_MESSAGES["safeguarding_action"]},
    )


def other_agencies(actor: User) -> QuerySet[Agency]:
    return Agency.objects.exclude(pk=actor.agency_id or 0).exclude(kind="partnership")


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
        widget=AgencyTaggedSelect(attrs={"data-filter-by": "id_receiving_agency"}),
    )
    receiving_contact_name = forms.CharField(label="Their name", required=False, max_length=200)
    receiving_contact_role = forms.CharField(label="Their role", required=False, max_length=200)
    receiving_contact_team = forms.CharField(label="Their team", required=False, max_length=200)
    receiving_contact_phone = forms.CharField(
        label="Their phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    receiving_contact_email = forms.EmailField(
        label="Their email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
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
    child_voice_missing = forms.ChoiceField(
        label="If you could not gather the child's voice, why not?",
        choices=VoiceMissing.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    child_voice_missing_detail = forms.CharField(
        label="The other reason",
        widget=forms.Textarea(attrs={"rows": 2}),
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

    # The services' words: the form checks the same rules first only so that every error
    # shows at once, with the required fields'.
    required_messages = {
        **DRAFT_MESSAGES,
        "immediate_risk": SUBMIT_MESSAGES["immediate_risk"],
    }

    SUBMISSION_FIELDS = {
        "consulted_manager": consulted_manager_message(None),
        "other_practitioner_contacted_at": SUBMIT_MESSAGES["other_practitioner_contacted_at"],
        "lead_professional_told": SUBMIT_MESSAGES["lead_professional_told"],
        "receiving_practitioner": SUBMIT_MESSAGES["receiving_practitioner"],
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
        self.fields["consulted_manager"].queryset = adviser_candidates(  # type: ignore[attr-defined]
            actor.agency_id
        ).select_related("agency")

    def check_child_voice(self, data: dict[str, Any]) -> None:
        """The service's rule (drafting.child_voice_errors), checked here too so that every
        error shows at once."""
        if (data.get("child_voice") or "").strip():
            return
        missing = data.get("child_voice_missing")
        if not missing:
            self.add_error("child_voice", SUBMIT_MESSAGES["child_voice"])
        elif (
            missing == VoiceMissing.OTHER
            and not (data.get("child_voice_missing_detail") or "").strip()
        ):
            message = SUBMIT_MESSAGES["child_voice_missing_detail"]
            self.add_error("child_voice_missing_detail", message)

    def clean_child_initials(self) -> str:
        value: str = self.cleaned_data["child_initials"].strip()
        if not INITIALS.match(value):
            raise forms.ValidationError(DRAFT_MESSAGES["child_initials"])
        return value.upper()

    def clean_other_practitioner_contacted_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data["other_practitioner_contacted_at"]
        if value and value > timezone.now():
            raise forms.ValidationError(SUBMIT_MESSAGES["contacted_in_future"])
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("child_date_of_birth")
        if born and born > timezone.localdate() and not data.get("child_unborn"):
            self.add_error("child_date_of_birth", DRAFT_MESSAGES["child_date_of_birth"])
        agency, practitioner = data.get("receiving_agency"), data.get("receiving_practitioner")
        if agency and practitioner and practitioner.agency_id != agency.pk:
            self.add_error("receiving_practitioner", practitioner_agency_message(agency))
        contact = (data.get("receiving_contact_name") or "").strip()
        if practitioner and contact:
            self.add_error(
                "receiving_contact_name",
                "Either choose the practitioner from the list or give a contact, not both.",
            )
        if self.submitting:
            for name, message in self.SUBMISSION_FIELDS.items():
                if name == "receiving_practitioner" and contact:
                    continue  # a contact without an account instead
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            reachable = data.get("receiving_contact_phone") or data.get("receiving_contact_email")
            if contact and not reachable and "receiving_contact_email" not in self.errors:
                self.add_error(
                    "receiving_contact_phone", SUBMIT_MESSAGES["receiving_contact_phone"]
                )
            self.check_child_voice(data)
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
            self.add_error("safeguarding_action", SUBMIT_MESSAGES["safeguarding_action"])
        return data
