"""Check every audit chain, and each against the latest signed checkpoint; name what broke."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concerns.anchor import verify_against_anchor
from concerns.chain import verify_all
from concerns.models import CaseEvent
from concerns.reads import verify_reads


class Command(BaseCommand):
    help = (
        "Verify the sealed hash chain of every concern's audit events and the partnership's, "
        "and each chain against the latest signed checkpoint; fail naming each broken one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concern", type=int, action="append", help="Only this concern id.")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["concern"]
        broken = list(verify_all(ids))
        anchor = verify_against_anchor(ids)
        named = {(link.concern_id, link.sequence) for link in broken}
        broken += [p for p in anchor.problems if (p.concern_id, p.sequence) not in named]
        if not ids:  # the access records: each person's chain of reads and sign-ins
            broken += list(verify_reads())
        for link in broken:
            self.stderr.write(f"Broken chain: {link}")
        if broken:
            raise CommandError(f"{len(broken)} audit chain(s) broken; first: {broken[0]}")
        count = CaseEvent.objects.count()
        point = anchor.checkpoint
        anchored = (
            f"; anchored by the checkpoint of {point.at:%d %b %Y %H:%M} ({len(point.chains)} "
            "chains)"
            if point
            else "; no checkpoint yet"
        )
        self.stdout.write(
            self.style.SUCCESS(f"All audit chains verified ({count} events{anchored}).")
        )
