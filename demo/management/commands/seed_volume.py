"""Add N synthetic concerns in bulk, with their history and verified audit chains."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.volume import seed_volume


class Command(BaseCommand):
    help = (
        "Create N synthetic concerns in every state, with stage periods, notes, history and "
        "hash-chained events, using bulk inserts (for load tests and the benchmark)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many concerns to create.")
        parser.add_argument("--batch", type=int, default=5000, help="Concerns per transaction.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch = options["count"], options["batch"]
        if count < 1 or batch < 1:
            raise CommandError("The count and the batch size must be at least 1.")
        verbosity = options["verbosity"]
        result = seed_volume(
            count, batch=batch, seed=options["seed"], progress=self.progress(count, verbosity)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.concerns} concerns, {result.events} events and "
                f"{result.history_rows} history rows in {result.seconds:.1f} s."
            )
        )

    def progress(self, total: int, verbosity: int) -> Callable[[int], None]:
        def report(done: int) -> None:
            if verbosity >= 2 or (verbosity >= 1 and total >= 20000):
                self.stdout.write(f"  {done} of {total} concerns")

        return report
