"""The concern list's filters. Choices come from data; nothing here writes."""

from __future__ import annotations

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
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
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
