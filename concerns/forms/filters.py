"""The concern list's filters. Choices come from data; nothing here writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from concerns.models import Agency, Stage
from concerns.models.concern import Category, State

from .base import GovukFormMixin

SORTS = [
    ("due", "Due date, soonest first"),
    ("-due", "Due date, latest first"),
    ("-created", "Newest first"),
]


class ConcernFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A reference (CR-2026-00041 or 2026-41), either agency's case number, the "
        "child's initials, or words from the summary or discussions",
    )
    # The child's date of birth, as GOV.UK's date input: day, month and year boxes.
    born_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    born_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    born_year = forms.IntegerField(label="Year", required=False, min_value=1900, max_value=2100)
    state = forms.ChoiceField(label="State", required=False)
    stage = forms.TypedChoiceField(label="Stage", required=False, coerce=int, empty_value=None)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.all(), required=False, empty_label="Any agency"
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Category.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = [("", "Any state"), ("open", "Open (at any stage)")]
        states += [(s.value, s.label) for s in State if not s.value.startswith("stage_")]
        self.fields["state"].choices = states  # type: ignore[attr-defined]
        stages = [(str(s.number), str(s)) for s in Stage.objects.all()]
        self.fields["stage"].choices = [("", "Any stage"), *stages]  # type: ignore[attr-defined]
        for name in ("born_day", "born_month", "born_year"):
            width = "4" if name == "born_year" else "2"
            self.fields[name].widget = forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            self.fields[name].error_messages["invalid"] = "Enter the date of birth as numbers"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        parts = [data.get("born_day"), data.get("born_month"), data.get("born_year")]
        data["born"] = None
        if any(parts) and not self.errors:
            try:
                data["born"] = dt.date(parts[2], parts[1], parts[0])  # type: ignore[arg-type]
            except (TypeError, ValueError):
                self.add_error("born_day", "Enter a real date of birth, with a day, month and year")
        return data
