"""The benchmark's own database, beside the configured one and never the same.

PostgreSQL: a database named `<default name>_bench` on the same server, created and dropped
with psycopg. SQLite: a file, var/bench.sqlite3 by default. While the benchmark runs, the
default connection points at it, so services and selectors run unchanged; afterwards the
connection points back where it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql
from psycopg.conninfo import make_conninfo


class BenchDatabaseError(Exception):
    pass


@dataclass(frozen=True)
class BenchDatabase:
    vendor: str  # "postgresql" or "sqlite"
    name: str  # a database name, or a file path for SQLite

    @classmethod
    def beside_default(cls, name: str | None = None) -> BenchDatabase:
        default = connections[DEFAULT_DB_ALIAS].settings_dict
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        if vendor == "postgresql":
            db = cls(vendor, name or f"{default['NAME']}_bench")
        elif vendor == "sqlite":
            var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
            db = cls(vendor, str(Path(name) if name else var_dir / "bench.sqlite3"))
        else:
            raise BenchDatabaseError(f"The benchmark runs on PostgreSQL or SQLite, not {vendor}.")
        if db.name == str(default["NAME"]):
            raise BenchDatabaseError("The benchmark database must not be the configured one.")
        return db

    @property
    def label(self) -> str:
        kind = "PostgreSQL database" if self.vendor == "postgresql" else "SQLite file"
        return f"{kind} {self.name}"

    # --- Creating and dropping it (never while the default connection points at it).

    def create_if_missing(self) -> None:
        if self.vendor == "sqlite":
            Path(self.name).parent.mkdir(parents=True, exist_ok=True)
            return
        with admin_connection() as admin:
            found = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
            if found is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        with admin_connection() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    # --- Using it.

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """Point the default connection here for the duration, then back where it was."""
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block:
            raise BenchDatabaseError("The benchmark cannot run inside a transaction.")
        saved = connection.settings_dict["NAME"]
        switch_default_database(self.name)
        try:
            yield
        finally:
            switch_default_database(saved)

    def rebuild(self) -> None:
        """Drop and recreate it while in use (the connection reopens on the next query)."""
        connections[DEFAULT_DB_ALIAS].close()
        self.drop()
        self.create_if_missing()
        migrate()


def switch_default_database(name: Any) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    connection.settings_dict["NAME"] = name
    # settings.DATABASES normally holds the very same dict; keep the two in step regardless.
    settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = name
    # Content type ids differ between databases; Django caches them per process.
    ContentType.objects.clear_cache()


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


@contextmanager
def admin_connection() -> Iterator[psycopg.Connection[Any]]:
    """A connection to the server's maintenance database, for CREATE and DROP DATABASE."""
    default = connections[DEFAULT_DB_ALIAS].settings_dict
    params = {
        "host": default.get("HOST"),
        "port": default.get("PORT"),
        "user": default.get("USER"),
        "password": default.get("PASSWORD"),
    }
    given = {key: str(value) for key, value in params.items() if value}
    with psycopg.connect(make_conninfo(dbname="postgres", **given), autocommit=True) as admin:
        yield admin
