"""Database helpers that behave the same on PostgreSQL and SQLite."""

from __future__ import annotations

from django.db.models import CharField, Func

SQLITE_LOWER = "cop_unicode_lower"


class UnicodeLower(Func):
    """LOWER() for every alphabet. SQLite's own lower() and LIKE fold ASCII letters only, so
    "айгерім" would not find "Айгерім" there; on SQLite this calls Python's str.lower, which
    cop.apps registers on each new connection."""

    function = "LOWER"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_LOWER, **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: add the functions above to a new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_LOWER,
        1,
        lambda value: value.lower() if value is not None else None,
        deterministic=True,
    )
