"""Volume data: what every generated concern shares, and fast construction of rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from django.db.models import Model

from concerns.models import Concern, User

from .timeline import CachedCalendar, Process

M = TypeVar("M", bound=Model)


class Maker(Generic[M]):
    """Builds unsaved rows positionally, as Django's Model.from_db does: three times faster
    than keyword arguments, which counts at millions of rows. Unnamed fields get defaults."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.slots = [(f.attname, f.get_default()) for f in model._meta.concrete_fields]

    def __call__(self, **values: Any) -> M:
        return self.model(*[values.get(name, default) for name, default in self.slots])


@cache
def maker(model: type[M]) -> Maker[M]:
    return Maker(model)


@dataclass(frozen=True)
class Cast:
    raising_agency: int
    receiving_agency: int
    raiser: int
    responder: int
    raising_manager: int
    receiving_manager: int
    raising_senior: int
    receiving_senior: int
    officer: int
    auditor: int


@dataclass
class World:
    """What every life shares: the process, the clock cache, the people, the dice."""

    rng: random.Random
    process: Process
    calendar: CachedCalendar
    users: dict[int, User]
    theme_ids: list[int]
    blank: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.blank = {
            f.attname: f.get_default() for f in Concern._meta.concrete_fields if not f.primary_key
        }
