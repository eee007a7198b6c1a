"""Full-text search indexes on PostgreSQL (concerns.search): the same expressions the search
builds, so a search reads the index instead of computing every concern's and every note's
text vector (about half a second a query at 20,000 concerns). SQLite searches with LIKE and
has nothing to index here."""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS concern_text_search ON concerns_concern USING gin (
    to_tsvector('english'::regconfig,
        COALESCE("summary", '') || ' ' || COALESCE("outcome_sought", ''))
);
CREATE INDEX IF NOT EXISTS note_text_search ON concerns_discussionnote USING gin (
    to_tsvector('english'::regconfig,
        COALESCE("discussion", '') || ' ' || COALESCE("agreed", '') || ' '
        || COALESCE("with_whom", ''))
);
"""

BACKWARD = """
DROP INDEX IF EXISTS concern_text_search;
DROP INDEX IF EXISTS note_text_search;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0023_report_period_index")]

    operations = [migrations.RunPython(forward, backward)]
