"""The full-text index for the database at hand: a generated tsvector column with a GIN index
on PostgreSQL, an FTS5 table with triggers on SQLite (see resources/search/)."""

from django.db import migrations


def _statements(schema_editor, which: str) -> list[str]:
    if schema_editor.connection.vendor == "postgresql":
        from search import postgres as backend
    else:
        from search import sqlite as backend
    return getattr(backend, which)


def install(apps, schema_editor):
    for sql in _statements(schema_editor, "INSTALL"):
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    for sql in _statements(schema_editor, "UNINSTALL"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
