"""On PostgreSQL, the database itself refuses UPDATE, DELETE and TRUNCATE on audit events.

TRUNCATE is allowed only to a session that sets concerns.allow_truncate (the test runner's
connections do, to empty tables between tests; production never does).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION concerns_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('concerns.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER concerns_caseevent_no_update_delete
    BEFORE UPDATE OR DELETE ON concerns_caseevent
    FOR EACH ROW EXECUTE FUNCTION concerns_caseevent_append_only();
CREATE TRIGGER concerns_caseevent_no_truncate
    BEFORE TRUNCATE ON concerns_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION concerns_caseevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS concerns_caseevent_no_update_delete ON concerns_caseevent;
DROP TRIGGER IF EXISTS concerns_caseevent_no_truncate ON concerns_caseevent;
DROP FUNCTION IF EXISTS concerns_caseevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_defaults")]
    operations = [migrations.RunPython(forward, backward)]
