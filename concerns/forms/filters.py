"""The concern list's filters. Choices come from data; nothing here writes."""

from __future__ import annotations

from typing import Any

from django import forms

from concerns.models import Agency, Stage
from concerns.models.concern import Category, State

from .base import DateInput, GovukFormMixin

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
    born = forms.DateField(label="Child's date of birth", required=False, widget=DateInput())
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
        self.fields["born"].error_messages["invalid"] = (
            "Enter a real date of birth, with a day, month and year"
        )
