"""Forms for the partnership's pages: report period, audit queue filters and the audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from concerns.models import Agency, Stage, Theme
from concerns.models.concern import Category
from concerns.models.records import ProcessFollowed, Rating
from concerns.services.completion import AUDIT_MESSAGES

from .base import YES_NO, DateInput, GovukFormMixin, yes_no


def financial_year_start(today: dt.date) -> dt.date:
    year = today.year if today.month >= 4 else today.year - 1
    return dt.date(year, 4, 1)


class ReportPeriodForm(GovukFormMixin, forms.Form):
    required_messages = {
        "start": "Enter the start of the period.",
        "end": "Enter the end of the period.",
    }

    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.exclude(kind="partnership"),
        required=False,
        empty_label="All agencies",
    )

    @classmethod
    def for_request(cls, data: Any) -> ReportPeriodForm:
        today = timezone.localdate()
        initial = {"start": financial_year_start(today).isoformat(), "end": today.isoformat()}
        merged = {**initial, **{k: v for k, v in data.items() if v}} if data else initial
        return cls(merged)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be after its start.")
        return data


class AuditQueueFilterForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.all(), required=False, empty_label="Any agency"
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Category.choices]
    )
    stage = forms.TypedChoiceField(
        label="Highest stage reached", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = [(str(s.number), str(s)) for s in Stage.objects.all()]
        self.fields["stage"].choices = [("", "Any stage"), *stages]  # type: ignore[attr-defined]


class SampleForm(AuditQueueFilterForm):
    size = forms.IntegerField(
        label="How many to sample",
        min_value=1,
        max_value=100,
        initial=10,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class AuditForm(GovukFormMixin, forms.Form):
    required_messages = AUDIT_MESSAGES

    version = forms.IntegerField(widget=forms.HiddenInput)
    process_followed = forms.ChoiceField(
        label="Was the process followed?", choices=ProcessFollowed.choices, widget=forms.RadioSelect
    )
    child_central = forms.TypedChoiceField(
        label="Was the child kept central?", choices=YES_NO, coerce=yes_no, widget=forms.RadioSelect
    )
    voice_recorded = forms.TypedChoiceField(
        label="Was the child's voice recorded?",
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
    )
    rating = forms.ChoiceField(label="Rating", choices=Rating.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label="Findings", widget=forms.Textarea(attrs={"rows": 6}))
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AuditActionForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.all(),
        required=False,
        empty_label="Choose an agency",
    )
    description = forms.CharField(
        label="Action for the agency", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("agency")) != bool((data.get("description") or "").strip()):
            raise forms.ValidationError("Give each action both an agency and a description.")
        return data


AuditActionFormSet = forms.formset_factory(AuditActionForm, extra=2, max_num=10)


class ReasonForm(GovukFormMixin, forms.Form):
    required_messages = {"reason": "Say why you need to open this concern."}

    reason = forms.CharField(
        label="Why do you need to open this concern?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is open and you do not hold it. Your reason is recorded and shown to the "
        "agencies' safeguarding leads; you are asked once a day for each concern.",
    )


class RetentionForm(GovukFormMixin, forms.Form):
    """A legal hold placed or lifted, or a disposal: what, and why (recorded)."""

    required_messages = {"reason": "Enter the reason"}

    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded on the audit trail. Do not name the child or family.",
    )
