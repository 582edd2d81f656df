"""SQLite backend (the embedded default): an FTS5 table over the normalised text.

The table is an external-content FTS5 index of resources_searchentry, kept in step by triggers
(migration resources/0002). A migration that rebuilds resources_searchentry on SQLite drops the
triggers: such a migration must run INSTALL again. Ranked by bm25 with weights title 10,
summary 4, body 1, over every match (the title and summary alone for the first tier).
"""

from __future__ import annotations

from datetime import UTC

from django.db import connection
from django.utils.dateparse import parse_datetime

from search.expression import Match, fts5

_JOIN = """
    FROM resources_searchentry_fts
    JOIN resources_searchentry e ON e.id = resources_searchentry_fts.rowid
    WHERE resources_searchentry_fts MATCH %s
"""


def _bm25(head: bool) -> str:
    """bm25 with weights title 10, summary 4, body 1 (0 when ranking the title and summary)."""
    return f"bm25(resources_searchentry_fts, 10.0, 4.0, {0.0 if head else 1.0})"


def ranked(*, match: Match, where: str, args: list, limit: int, offset: int = 0) -> list[tuple]:
    """Matches in rank order: (id, score, created, title); score higher is better."""
    sql = f"""
        SELECT e.id, -{_bm25(match.head)} AS score, e.created, e.title {_JOIN} AND {where}
        ORDER BY score DESC, e.id LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5(match), *args, limit, offset])
        return rows(cursor)


def ordered(
    *, match: Match, where: str, args: list, order_by: str, limit: int, offset: int
) -> list[tuple]:
    """Matches in another order (``order_by``: SQL over ``e``): (id, 0.0, created, title)."""
    sql = f"""
        SELECT e.id, 0.0, e.created, e.title {_JOIN} AND {where}
        ORDER BY {order_by} LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5(match), *args, limit, offset])
        return rows(cursor)


def count(*, match: Match, where: str, args: list, cap: int) -> int:
    """How many entries match, counted up to ``cap``."""
    sql = f"SELECT count(*) FROM (SELECT 1 {_JOIN} AND {where} LIMIT %s) m"
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5(match), *args, cap])
        return cursor.fetchone()[0]


def matching_ids_sql(*, match: Match, where: str, args: list, cap: int):
    """(SQL, params) of a subquery: the ids of (up to ``cap``) matches, in no order."""
    return f"SELECT e.id {_JOIN} AND {where} LIMIT %s", [fts5(match), *args, cap]


def rows(cursor) -> list[tuple]:
    """Candidate rows as (id, score, created, title); SQLite returns times as UTC text."""
    out = []
    for entry_id, score, created, title in cursor.fetchall():
        when = parse_datetime(created) if isinstance(created, str) else created
        if when is not None and when.tzinfo is None:  # stored in UTC
            when = when.replace(tzinfo=UTC)
        out.append((entry_id, float(score), when, title))
    return out


_COLUMNS = "title_norm, summary_norm, body_norm"
_OLD = "old.title_norm, old.summary_norm, old.body_norm"
_NEW = "new.title_norm, new.summary_norm, new.body_norm"
INSTALL = [
    f"""CREATE VIRTUAL TABLE resources_searchentry_fts USING fts5(
        {_COLUMNS}, content='resources_searchentry', content_rowid='id', tokenize='unicode61'
    )""",
    f"""CREATE TRIGGER resources_searchentry_fts_ai AFTER INSERT ON resources_searchentry BEGIN
        INSERT INTO resources_searchentry_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
    END""",
    f"""CREATE TRIGGER resources_searchentry_fts_ad AFTER DELETE ON resources_searchentry BEGIN
        INSERT INTO resources_searchentry_fts(resources_searchentry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
    END""",
    f"""CREATE TRIGGER resources_searchentry_fts_au AFTER UPDATE ON resources_searchentry BEGIN
        INSERT INTO resources_searchentry_fts(resources_searchentry_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
        INSERT INTO resources_searchentry_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
    END""",
]
UNINSTALL = [
    "DROP TRIGGER IF EXISTS resources_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS resources_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS resources_searchentry_fts_ai",
    "DROP TABLE IF EXISTS resources_searchentry_fts",
]
