"""GOV.UK Frontend classes and ARIA wiring for Django forms. Forms only validate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from concerns.models import User
from concerns.models.people import MANAGER_ROLES

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.widgets.Input, "govuk-input"),
]
# Widgets that carry their own classes and are described by their fieldset (field.html).
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)


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
            if isinstance(field.widget, DateTimeInput):
                field.error_messages["invalid"] = "Enter a real date, and a time like 14:30"
            elif isinstance(field.widget, DateInput):
                field.error_messages["invalid"] = f"{field.label} must be a real date"
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


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (not the browser's date picker, which
    showed mm/dd/yyyy to English users; issue 11). It also takes one ISO date under the
    field's own name, as other clients and the tests send it."""

    template_name = "concerns/widgets/date_parts.html"
    PARTS = ("day", "month", "year")

    with_time = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def box(width: int) -> forms.TextInput:
            css = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            return forms.TextInput(attrs={"class": css, "inputmode": "numeric"})

        boxes = [box(2), box(2), box(4)] + ([box(4)] if self.with_time else [])
        super().__init__(boxes, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name):
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{i}") or "").strip() for i in range(3))
        if not (day or month or year):
            return ""
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            return f"{day}/{month}/{year}"  # not a date: the field says so
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{i}" not in data for i in range(3))


class DateTimeInput(DateInput):
    """The GOV.UK date input with a time box (24-hour, like 14:30) after the year. It also
    takes one ISO date-time (2026-11-02T14:30) under the field's own name."""

    with_time = True

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return [None, None, None, None]
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [local.day, local.month, local.year, f"{local:%H:%M}"]
        return [None, None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name):
            return data.get(name)
        day = super().value_from_datadict(data, files, name)
        time = str(data.get(f"{name}_3") or "").strip().replace(".", ":")
        if not (day or time):
            return ""
        if len(time) == 4 and time.isdigit():  # 1430
            time = f"{time[:2]}:{time[2:]}"
        return f"{day}T{time}" if day and "/" not in day else f"{day} {time}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{i}" not in data for i in range(4))


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
