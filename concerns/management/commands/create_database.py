"""Create the PostgreSQL database DATABASE_URL names, if it is not there yet (`make run` and
`make migrate` run this first). SQLite creates its file by itself; so this does nothing there."""

from __future__ import annotations

from typing import Any

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "Create the PostgreSQL database named in DATABASE_URL if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            return
        params = connection.get_connection_params()
        name = params.pop("dbname")
        params.pop("cursor_factory", None)
        params.pop("context", None)
        try:
            with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
                found = admin.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if found is None:
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"Created the PostgreSQL database {name}.")
        except psycopg.Error as error:
            raise CommandError(
                f"Could not reach PostgreSQL to create the database {name}: {error}. "
                "Check DATABASE_URL, or create the database yourself (createdb)."
            ) from error
