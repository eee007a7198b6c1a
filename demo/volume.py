"""Volume data, part 3: many concerns at once, in bulk, with chains that verify.

Timelines are drawn for all N first and sorted by start, so reference numbers rise with the
date a concern was raised. Each batch is one transaction: it reserves a block of references,
builds the rows of its concerns (`demo.lives`) and inserts them with bulk_create,
history rows and hash-chained events included.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, reset_queries, transaction
from django.db.models import Model
from django.utils import timezone

from concerns.models import (
    Agency,
    AgreedAction,
    Audit,
    CaseEvent,
    Concern,
    Confirmation,
    DiscussionNote,
    ReferenceCounter,
    StagePeriod,
    Theme,
    User,
)
from concerns.models.people import AgencyKind, Role

from .lives import Life
from .people import AGENCIES, ensure_people
from .stories import STORIES, DemoStory
from .timeline import CachedCalendar, Planner, Process, Timeline
from .world import Cast, World, maker

INSERT_BATCH = 1000  # rows per INSERT statement
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Side:
    """One agency's people, by role (ids)."""

    agency_id: int
    name: str
    practitioners: list[int]
    managers: list[int]
    seniors: list[int]

    @property
    def usable(self) -> bool:
        return bool(self.practitioners and (self.managers or self.seniors))


@dataclass
class Pool:
    """The people volume concerns are shared out among."""

    sides: list[Side]
    officers: list[int]
    auditors: list[int]
    users: dict[int, User]

    @classmethod
    def load(cls) -> Pool:
        users = {u.pk: u for u in User.objects.filter(is_active=True, agency__isnull=False)}

        def with_role(agency_id: int, role: str) -> list[int]:
            return [u.pk for u in users.values() if u.agency_id == agency_id and u.role == role]

        sides = [
            Side(
                org.pk,
                org.name,
                with_role(org.pk, Role.PRACTITIONER),
                with_role(org.pk, Role.MANAGER),
                with_role(org.pk, Role.SENIOR_MANAGER),
            )
            for org in Agency.objects.exclude(kind=AgencyKind.PARTNERSHIP).order_by("pk")
        ]
        officers = [u.pk for u in users.values() if u.role == Role.PARTNERSHIP_OFFICER]
        auditors = [u.pk for u in users.values() if u.role == Role.PARTNERSHIP_AUDITOR]
        return cls([s for s in sides if s.usable], officers, auditors, users)

    @property
    def usable(self) -> bool:
        return len(self.sides) >= 2 and bool(self.officers) and bool(self.auditors)

    @classmethod
    def load_or_create(cls) -> Pool:
        """The people already here (after seed_demo, say), or else the demo partnership's,
        created unable to sign in: volume data needs no passwords."""
        pool = cls.load()
        if not pool.usable:
            ensure_people(None)
            pool = cls.load()
        return pool


class Casting:
    """Chooses the two agencies and the people for each concern: the story's own agencies
    when they exist here, otherwise any two."""

    def __init__(self, rng: random.Random, pool: Pool) -> None:
        self.rng, self.pool = rng, pool
        by_name = {side.name: side for side in pool.sides}
        names = {spec.slug: spec.name for spec in AGENCIES}
        self.story_sides = {
            story.key: (by_name.get(names[story.raising]), by_name.get(names[story.receiving]))
            for story in STORIES
        }

    def sides(self, story: DemoStory) -> tuple[Side, Side]:
        raising, receiving = self.story_sides[story.key]
        if raising and receiving and self.rng.random() < 0.7:
            return raising, receiving
        first, second = self.rng.sample(self.pool.sides, 2)
        return first, second

    def cast(self, story: DemoStory) -> Cast:
        raising, receiving = self.sides(story)
        pick = self.rng.choice
        return Cast(
            raising_agency=raising.agency_id,
            receiving_agency=receiving.agency_id,
            raiser=pick(raising.practitioners),
            responder=pick(receiving.practitioners),
            raising_manager=pick(raising.managers or raising.seniors),
            receiving_manager=pick(receiving.managers or receiving.seniors),
            raising_senior=pick(raising.seniors or raising.managers),
            receiving_senior=pick(receiving.seniors or receiving.managers),
            officer=pick(self.pool.officers),
            auditor=pick(self.pool.auditors),
        )


@dataclass
class VolumeResult:
    concerns: int = 0
    events: int = 0
    history_rows: int = 0
    seconds: float = 0.0


def seed_volume(
    count: int,
    *,
    batch: int = 5000,
    seed: int = 2026,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> VolumeResult:
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  synthetic data: repeatable, not secret
    now = now or timezone.now()
    pool = Pool.load_or_create()
    process = Process.load()
    calendar = CachedCalendar(timezone.localdate(now))
    themes = list(Theme.objects.filter(is_active=True).values_list("pk", flat=True))
    world = World(rng, process, calendar, pool.users, themes)
    planner, casting = Planner(rng, process, calendar, now), Casting(rng, pool)
    timelines = sorted((planner.timeline() for _ in range(count)), key=lambda t: t.start)
    result = VolumeResult()
    for chunk in chunks(timelines, batch):
        with transaction.atomic():
            references = reserve_references([t.start for t in chunk])
            lives = [
                Life(world, casting.cast(story), story, ref).live(timeline)
                for timeline, ref in zip(chunk, references, strict=True)
                for story in [rng.choice(STORIES)]
            ]
            insert(lives, result)
        reset_queries()  # with DEBUG on, Django keeps every query's SQL: megabytes per batch
        if progress:
            progress(result.concerns)
    analyze(
        Concern,
        Concern.history.model,
        StagePeriod,
        DiscussionNote,
        AgreedAction,
        Confirmation,
        Audit,
        CaseEvent,
    )
    result.seconds = time.perf_counter() - started
    return result


def analyze(*models: type[Model]) -> None:
    """Fresh planner statistics: after a bulk load the old ones describe empty tables."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def chunks(items: Sequence[Timeline], size: int) -> Iterator[Sequence[Timeline]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def reserve_references(starts: Sequence[dt.datetime]) -> list[str]:
    """One reference per start, numbered in order within each year from a block reserved in
    ReferenceCounter, so concerns raised meanwhile through the services never collide."""
    years = Counter(timezone.localdate(at).year for at in starts)
    next_number: dict[int, int] = {}
    for year, needed in sorted(years.items()):
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        next_number[year] = counter.last + 1
        counter.last += needed
        counter.save(update_fields=["last"])
    references = []
    for at in starts:
        year = timezone.localdate(at).year
        references.append(f"CR-{year}-{next_number[year]:05d}")
        next_number[year] += 1
    return references


def insert(lives: list[Life], result: VolumeResult) -> None:
    concerns = Concern.objects.bulk_create([life.built() for life in lives], INSERT_BATCH)
    for life in lives:
        life.attach()
    bulk(
        Concern.themes.through(concern=life.concern, theme_id=theme)
        for life in lives
        for theme in life.theme_ids
    )
    history = concern_history(lives)
    bulk(period for life in lives for period in life.periods)
    notes = bulk(note for life in lives for note in life.notes)
    history += created_history(DiscussionNote, [(note, note.author_id) for note in notes])
    bulk(proposal for life in lives for proposal in life.proposals)
    actions = [(a, life.resolved_by) for life in lives for a in life.actions]
    bulk(action for action, _ in actions)
    history += created_history(AgreedAction, actions)
    bulk(confirmation for life in lives for confirmation in life.confirmations)
    bulk(life.audit for life in lives if life.audit is not None)
    bulk(
        Audit.themes.through(audit=life.audit, theme_id=theme)
        for life in lives
        for theme in life.audit_theme_ids
    )
    events = bulk(event for life in lives for event in life.chained_events())
    result.concerns += len(concerns)
    result.events += len(events)
    result.history_rows += history


def bulk(rows: Iterable[M]) -> list[M]:
    """Insert rows of one model in statements of INSERT_BATCH rows; the rows get their ids."""
    listed = list(rows)
    if not listed:
        return listed
    return type(listed[0])._default_manager.bulk_create(listed, INSERT_BATCH)


def concern_history(lives: list[Life]) -> int:
    """A history row per save the services would have made: '+' for the draft, '~' after."""
    make = maker(Concern.history.model)
    rows = [
        make(
            **fields,
            id=concern_id,
            history_date=at,
            history_user_id=actor,
            history_type=kind,
            history_change_reason=None,
        )
        for life in lives
        for concern_id in [life.concern.pk if life.concern else None]
        for at, actor, kind, fields in life.snapshots
    ]
    return len(bulk(rows))


def created_history(model: type[Model], saved: list[tuple[Any, int | None]]) -> int:
    """The '+' row simple-history writes when a tracked row is first saved, dated like it."""
    history_model = model.history.model  # type: ignore[attr-defined]
    make, fields = maker(history_model), [f.attname for f in history_model.tracked_fields]
    rows = [
        make(
            **{name: getattr(obj, name) for name in fields},
            history_date=obj.created_at,
            history_user_id=user,
            history_type="+",
            history_change_reason=None,
        )
        for obj, user in saved
    ]
    return len(bulk(rows))
