"""Append a signed checkpoint of every audit chain to the checkpoint file (beat runs it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from concerns.anchor import write_checkpoint


class Command(BaseCommand):
    help = "Anchor every audit chain: append a signed checkpoint of each chain's length and head."

    def handle(self, *args: Any, **options: Any) -> None:
        point = write_checkpoint()
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written: {len(point.chains)} chains, {point.events} events."
            )
        )
