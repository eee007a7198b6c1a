"""Time the common reads and writes on a large generated dataset in a separate database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concerns.models import CaseEvent, Concern
from demo import bench_sweep  # noqa: F401  (registers the sweep's cases with demo.bench)
from demo.bench import Measured, run_cases
from demo.bench_db import BenchDatabase, BenchDatabaseError, migrate
from demo.volume import seed_volume

DEFAULT_CONCERNS = {"postgresql": 100_000, "sqlite": 10_000}


class Command(BaseCommand):
    help = (
        "Benchmark the common reads and writes: load N synthetic concerns into a separate "
        "database (<name>_bench on PostgreSQL, var/bench.sqlite3 on SQLite; reused while N "
        "stays the same), then print each case's median time and query count."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concerns", type=int, help="Dataset size (default 100000, 10000 on SQLite)."
        )
        parser.add_argument("--repeat", type=int, default=20, help="Runs of each case.")
        parser.add_argument("--fresh", action="store_true", help="Rebuild the dataset.")
        parser.add_argument(
            "--bench-db", help="The benchmark database's name (PostgreSQL) or file (SQLite)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            db = BenchDatabase.beside_default(options["bench_db"])
        except BenchDatabaseError as error:
            raise CommandError(str(error)) from error
        count = options["concerns"] or DEFAULT_CONCERNS[db.vendor]
        if count < 1 or options["repeat"] < 1:
            raise CommandError("--concerns and --repeat must be at least 1.")
        if options["fresh"]:
            db.drop()
        db.create_if_missing()
        with db.in_use():
            self.load(db, count)
            self.report(list(run_cases(options["repeat"])), options["repeat"])

    def load(self, db: BenchDatabase, count: int) -> None:
        migrate()
        existing = Concern.objects.count()
        if existing == count:
            self.stdout.write(f"Reusing {count} concerns in the {db.label}.")
            return
        if existing:
            self.stdout.write(f"The {db.label} holds {existing} concerns, not {count}: rebuilding.")
            db.rebuild()
        self.stdout.write(f"Loading {count} concerns into the {db.label}...")
        started = time.perf_counter()
        result = seed_volume(count)
        self.stdout.write(
            f"Loaded {result.concerns} concerns and {result.events} events in "
            f"{time.perf_counter() - started:.1f} s."
        )

    def report(self, measured: list[Measured], repeat: int) -> None:
        events = CaseEvent.objects.count()
        self.stdout.write(
            f"\n{Concern.objects.count()} concerns, {events} events; median of {repeat} runs "
            "(cases marked * ran once)."
        )
        width = max(len(m.name) for m in measured) + 2
        self.stdout.write(f"{'case':<{width}}{'median ms':>10}{'queries':>9}")
        for m in measured:
            name = f"{m.name} *" if m.runs == 1 and repeat > 1 else m.name
            self.stdout.write(f"{name:<{width}}{m.median_ms:>10.1f}{m.queries:>9}")
