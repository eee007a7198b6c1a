from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from concerns.models import Concern, Stage
from concerns.presentation import child_voice_text
from concerns.presentation import state_label as _state_label
from concerns.presentation import state_tag_class as _state_tag_class

register = template.Library()


@register.filter
def state_label(state: str, stages: dict[int, Stage]) -> str:
    return _state_label(state, stages)


@register.filter
def state_tag_class(state: str) -> str:
    return _state_tag_class(state)


@register.filter
def child_voice(concern: Concern) -> str:
    return child_voice_text(concern)


@register.filter
def overdue(concern: Concern, today: dt.date) -> bool:
    return concern.is_overdue(today)


# A UK phone number in free text: 999, or a number starting 0 with 10 or 11 digits in all.
PHONE = re.compile(r"\b(999|0\d(?:[\d ]{8,11})\d)\b")


@register.filter(needs_autoescape=True)
def phone_links(text: str, autoescape: bool = True) -> SafeString:
    """Text with its phone numbers as `tel:` links, so a phone dials them in one tap."""
    escaped = conditional_escape(text) if autoescape else text

    def link(match: re.Match[str]) -> str:
        number = match.group(1)
        digits = number.replace(" ", "")
        if digits != "999" and not 10 <= len(digits) <= 11:
            return number
        return f'<a class="govuk-link" href="tel:{digits}">{number}</a>'

    return mark_safe(PHONE.sub(link, str(escaped)))  # noqa: S308 (escaped above)
