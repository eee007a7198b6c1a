"""Check every concern's audit chain and name the first broken link of each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concerns.chain import verify_all
from concerns.models import CaseEvent


class Command(BaseCommand):
    help = "Verify the hash chain of every concern's audit events; fail on the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concern", type=int, action="append", help="Only this concern id.")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = list(verify_all(options["concern"]))
        for link in broken:
            self.stderr.write(f"Broken chain: {link}")
        if broken:
            raise CommandError(f"{len(broken)} audit chain(s) broken; first: {broken[0]}")
        count = CaseEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"All audit chains verified ({count} events)."))
