"""SQLite backend (the embedded default): an FTS5 table over the normalised text.

The table is an external-content FTS5 index of resources_searchentry, kept in step by triggers
(migration resources/0002). A migration that rebuilds resources_searchentry on SQLite drops the
triggers: such a migration must run INSTALL again. bm25 weights: title 10, summary 4, body 1.
"""

from __future__ import annotations

import json

from django.db import connection
from django.utils.dateparse import parse_datetime


def match_expression(terms: list[list[str]]) -> str:
    """Every word must match one of its alternatives, each as a prefix (FTS5 syntax)."""
    return " AND ".join("(" + " OR ".join(f'"{alt}"*' for alt in group) + ")" for group in terms)


def rows(cursor) -> list[tuple]:
    """Candidate rows as (id, score, created, title); SQLite returns times as text."""
    out = []
    for entry_id, score, created, title in cursor.fetchall():
        when = parse_datetime(created) if isinstance(created, str) else created
        out.append((entry_id, float(score), when, title))
    return out


def match(*, terms: list[list[str]], where: str, args: list, limit: int) -> list[tuple]:
    sql = f"""
        SELECT e.id, -bm25(resources_searchentry_fts, 10.0, 4.0, 1.0) AS score, e.created,
            e.title
        FROM resources_searchentry_fts
        JOIN resources_searchentry e ON e.id = resources_searchentry_fts.rowid
        WHERE resources_searchentry_fts MATCH %s AND {where}
        ORDER BY e.created DESC, e.id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match_expression(terms), *args, limit])
        return rows(cursor)


def facets(*, ids: list[int]) -> list[tuple[str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, value, count(*) FROM resources_searchfacet "
            "WHERE entry_id IN (SELECT value FROM json_each(%s)) GROUP BY name, value",
            [json.dumps(ids)],
        )
        return cursor.fetchall()


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
