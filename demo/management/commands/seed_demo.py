"""Create the local demo: a Leeds-like partnership, its people, and forty concerns."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.people import demo_password
from demo.seed import DemoResult, accounts, counts_by_state, overdue_count, seed_demo


class Command(BaseCommand):
    help = (
        "Create demo agencies, people (one shared password: DEMO_PASSWORD) and concerns in "
        "every state. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run where DEMO_DATA is not set. The demo accounts have a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_DATA", False) and not options["force"]:
            raise CommandError(
                "These settings are not for a demo (DEMO_DATA is not set): this may be a real "
                "system, and the demo creates accounts with a known password. Use --force if "
                "this really is a demo."
            )
        password = demo_password()
        result = seed_demo(password)
        self.report(result)
        self.print_accounts(result, password)
        self.print_states()

    def report(self, result: DemoResult) -> None:
        if result.changed_nothing:
            self.stdout.write("The demo is already set up: nothing was changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result.people_changed} account(s) and agencies added or "
                f"given the demo password, {result.concerns_created} concern(s) created."
            )
        )

    def print_accounts(self, result: DemoResult, password: str) -> None:
        rows = accounts(result.directory)
        width = max(len(email) for email, _, _ in rows)
        role_width = max(len(role) for _, role, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"{'Email':<{width}}  {'Role':<{role_width}}  Agency")
        for email, role, agency in rows:
            self.stdout.write(f"{email:<{width}}  {role:<{role_width}}  {agency}")
        self.stdout.write(f"\nEvery demo account's password: {password}")

    def print_states(self) -> None:
        self.stdout.write("\nConcerns by state:")
        for label, count in counts_by_state():
            self.stdout.write(f"  {label:<10} {count:>6}")
        self.stdout.write(f"  Overdue today: {overdue_count()}")
