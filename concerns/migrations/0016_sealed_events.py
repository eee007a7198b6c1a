"""Events carry the id of the key that sealed them (HMAC-SHA256, concerns.chain); and the
append-only trigger's TRUNCATE escape hatch opens only in a test runner's database.

Before, any role could `SET concerns.allow_truncate = on` and empty the event table. Now the
setting is honoured only in a database named like Django's test databases (test_*), which a
production database never is; `concerns_may_truncate` holds the rule, so a test can ask it
about a production name.
"""

from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION concerns_may_truncate(database_name text) RETURNS boolean AS $$
    SELECT database_name LIKE 'test\_%'
       AND coalesce(current_setting('concerns.allow_truncate', true), '') = 'on';
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION concerns_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND concerns_may_truncate(current_database()) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
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
DROP FUNCTION IF EXISTS concerns_may_truncate(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0015_one_concern_per_raise_form")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(forward, backward),
    ]
