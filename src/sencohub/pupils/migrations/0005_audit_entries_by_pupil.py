"""An index on the pupil each audit entry is about, for the History tab.

Every pupil a page shows is recorded as read, so the audit table grows by thousands of rows a day; without this
index the History tab would read the whole table to find one pupil's entries. The expression is the one Django
writes for `additional_data__pupil_id=...` on PostgreSQL. SQLite (the demo) gets none: Django passes the JSON path
there as a parameter, which no expression index can match."""

from django.db import migrations

INDEX = {
    "postgresql": "CREATE INDEX IF NOT EXISTS auditlog_logentry_pupil_id ON auditlog_logentry ((additional_data -> 'pupil_id'))",
}


def create(apps, schema_editor):
    sql = INDEX.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in INDEX:
        schema_editor.execute("DROP INDEX IF EXISTS auditlog_logentry_pupil_id")


class Migration(migrations.Migration):
    dependencies = [
        ("pupils", "0004_import_task_and_interruption"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create, drop)]
