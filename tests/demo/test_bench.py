"""`manage.py bench`: timings on a generated dataset in its own database, never the test one.

The runs happen once, in order, in a module fixture (they migrate a database each): the
tests read what they printed and what the test database looked like before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from concerns.models import Agency, Concern
from demo.bench import CASES
from demo.bench_db import BenchDatabase, admin_connection

# Every test is a database test, so pytest-django sets up the test database (it sets up none
# for a session without one) and keeps this module's tests together. The module fixtures
# run before each test's transaction opens: the benchmark must run outside one.
pytestmark = pytest.mark.django_db


def bench(*args: str, bench_db: str | None) -> str:
    out = StringIO()
    call_command("bench", *args, *(["--bench-db", bench_db] if bench_db else []), stdout=out)
    return out.getvalue()


@dataclass
class Runs:
    first: str
    again: str
    resized: str
    database_before: str
    database_after: str
    concerns_before: int
    concerns_after: int
    marker_survived: bool
    bench_database_existed: bool


@pytest.fixture(scope="module")
def bench_db(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str | None]:
    """SQLite: a file in a temporary folder, not var/bench.sqlite3. PostgreSQL: the default
    `<test database>_bench`, dropped when the module is done."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            yield str(tmp_path_factory.mktemp("bench") / "bench.sqlite3")
            return
        yield None
        BenchDatabase.beside_default().drop()


@pytest.fixture(scope="module")
def runs(bench_db, django_db_blocker) -> Runs:
    """A first load, the same size again, then another size; a marker row in the test
    database throughout, removed afterwards."""
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block
        before = (str(connection.settings_dict["NAME"]), Concern.objects.count())
        marker = Agency.objects.create(name="Marker agency (bench test)", kind="other")
        try:
            first = bench("--concerns", "40", "--repeat", "2", bench_db=bench_db)
            again = bench("--concerns", "40", "--repeat", "1", bench_db=bench_db)
            resized = bench("--concerns", "30", "--repeat", "1", bench_db=bench_db)
            survived = Agency.objects.filter(pk=marker.pk).exists()
            existed = connection.vendor == "postgresql" and pg_database_exists()
            after = (str(connection.settings_dict["NAME"]), Concern.objects.count())
        finally:
            Agency.objects.filter(pk=marker.pk).delete()
    return Runs(first, again, resized, before[0], after[0], before[1], after[1], survived, existed)


def pg_database_exists() -> bool:
    name = f"{connection.settings_dict['NAME']}_bench"
    with admin_connection() as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def test_it_loads_a_dataset_and_prints_a_line_for_every_case(runs):
    assert "Loading 40 concerns" in runs.first
    lines = runs.first.splitlines()
    for case in CASES:
        line = next(line for line in lines if line.startswith(case.name))
        median, queries = line.removeprefix(case.name).split()[-2:]
        assert float(median) >= 0
        assert int(queries) >= 1


def test_the_command_brings_in_the_sweeps_cases(runs):
    """demo.bench_sweep registers them; the bench command imports it (the product never does)."""
    sweeps = [case.name for case in CASES if case.name.startswith("notifications sweep")]
    assert len(sweeps) == 2
    assert all(name in runs.first for name in sweeps)


def test_a_second_run_of_the_same_size_reuses_the_dataset(runs):
    assert "Reusing 40 concerns" in runs.again
    assert "Loading" not in runs.again


def test_a_run_of_another_size_rebuilds_the_dataset(runs):
    assert "holds 40 concerns, not 30: rebuilding" in runs.resized
    assert "Loading 30 concerns" in runs.resized


def test_it_leaves_the_test_database_and_the_connection_as_they_were(runs):
    assert runs.database_after == runs.database_before
    assert runs.marker_survived
    assert runs.concerns_after == runs.concerns_before


def test_it_refuses_the_configured_database_as_its_own():
    default = str(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="must not be the configured one"):
        bench("--concerns", "10", bench_db=default)


def test_on_sqlite_the_dataset_goes_to_var_bench_sqlite3_by_default(settings):
    if connection.vendor != "sqlite":
        pytest.skip("the default file is SQLite's; PostgreSQL has its own test below")
    assert BenchDatabase.beside_default().name == str(Path(settings.VAR_DIR) / "bench.sqlite3")


def test_on_postgresql_it_uses_a_database_of_its_own_on_the_same_server(postgres, runs):
    name = f"{connection.settings_dict['NAME']}_bench"
    assert runs.bench_database_existed
    assert f"PostgreSQL database {name}" in runs.first
