"""GOV.UK Frontend classes and ARIA wiring for Django forms. Forms only validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from concerns.models import User
from concerns.models.people import MANAGER_ROLES

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.widgets.Input, "govuk-input"),
]
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class GovukFormMixin:
    """Adds GOV.UK classes, hint and error ids, and error styling to every field."""

    fields: dict[str, forms.Field]
    errors: Any
    auto_id: Any
    # Field name -> what to say when it is left empty (GOV.UK: say what to do, specifically).
    required_messages: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
            widget = field.widget
            if isinstance(widget, CHOICE_WIDGETS):
                continue
            css = next((c for kind, c in WIDGET_CLASSES if isinstance(widget, kind)), "")
            widget.attrs["class"] = " ".join(filter(None, [css, widget.attrs.get("class")]))
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.field_id(name)}-hint"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field.widget, CHOICE_WIDGETS):
                continue
            css = field.widget.attrs.get("class", "")
            base = css.split(" ")[0] if css else ""
            if base and f"{base}--error" not in css:
                field.widget.attrs["class"] = f"{css} {base}--error"
            described = field.widget.attrs.get("aria-describedby", "")
            error_id = f"{self.field_id(name)}-error"
            field.widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()

    def field_id(self, name: str) -> str:
        """The field's HTML id, with a formset row's prefix (so rows never share ids)."""
        return str(self.auto_id % self.add_prefix(name))  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"class": "govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M"
        )


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str) -> bool:
    return value == "yes"


class PersonChoiceField(forms.ModelChoiceField):
    """A person, named with their agency."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.agency}" if obj.agency_id else obj.full_name


class AgencyTaggedSelect(forms.Select):
    """Each person's option carries their agency (data-agency), so the page's script can show
    only the chosen agency's people; without JavaScript all are listed and the server refuses
    a mismatch."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None and getattr(instance, "agency_id", None):
            option["attrs"]["data-agency"] = str(instance.agency_id)
        return option


class HolderChoiceField(PersonChoiceField):
    """Someone to name as a holder, with their role, so the seniority is plain."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}: {obj.role_label}"


def managers_in(agency_id: int | None) -> QuerySet[User]:
    return User.objects.filter(agency_id=agency_id or 0, role__in=MANAGER_ROLES, is_active=True)
