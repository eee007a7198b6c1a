"""One concern for the retention tests: closed in January 2018, about a child born in 2001
(25 in 2026), with a discussion, every text carrying a word found nowhere else (MARK)."""

from __future__ import annotations

import datetime as dt

from concerns import services
from concerns.models import Concern
from tests.concerns.helpers import note_data
from tests.conftest import london
from tests.scenarios import Cast, Story, advance, confirm, resolve

MARK = "Zebedee-7731"
CLOSED_AT = london(2018, 1, 8, 10)


def closed_in_2018(cast: Cast) -> Concern:
    story = Story(
        summary=f"Summary about {MARK}.",
        child_voice=f"{MARK} said they are frightened at home.",
        birth_date=dt.date(2001, 3, 1),
    )
    concern = advance(cast, "stage_1", CLOSED_AT, story=story)
    services.note_create(
        concern_id=concern.pk,
        actor=cast.raiser,
        data=note_data(CLOSED_AT, discussion=f"Spoke about {MARK} and the school."),
        now=CLOSED_AT + dt.timedelta(hours=1),
    )
    at = CLOSED_AT + dt.timedelta(days=1)
    concern = resolve(concern, cast, at)
    confirm(concern, cast.raiser, at)
    return confirm(concern, cast.responder, at)
