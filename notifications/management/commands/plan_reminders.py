"""Plan the timed reminders of concerns that were already open before reminders existed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.planning import plan_for_open_concerns


class Command(BaseCommand):
    help = (
        "Plan due-soon, overdue and confirmation reminders for every concern with a running "
        "clock. Safe to run again: reminders already planned are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = plan_for_open_concerns(timezone.now())
        self.stdout.write(f"Checked {count} reminders; any that were missing are now planned.")
