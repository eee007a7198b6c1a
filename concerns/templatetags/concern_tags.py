from __future__ import annotations

import datetime as dt

from django import template

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
