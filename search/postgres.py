"""PostgreSQL backend: a stored, generated tsvector of the normalised text, GIN-indexed.

The column and index are created by migration resources/0002; weights: title A, summary B,
body C. The 'simple' configuration is right because the text is already normalised (stemmed,
folded, transliterated) in Python before it reaches the database.
"""

from __future__ import annotations

from django.db import connection


def tsquery(terms: list[list[str]]) -> str:
    """Every word must match one of its alternatives, each as a prefix."""
    return " & ".join("(" + " | ".join(f"{alt}:*" for alt in group) + ")" for group in terms)


def match(*, terms: list[list[str]], where: str, args: list, limit: int) -> list[tuple]:
    # ORDER BY created + LIMIT bounds the work for common words: the planner walks the
    # recency index and stops after `limit` matches instead of ranking every match.
    sql = f"""
        SELECT e.id, ts_rank(e.search_vector, q, 32) AS score, e.created, e.title
        FROM resources_searchentry e, to_tsquery('simple', %s) q
        WHERE e.search_vector @@ q AND {where}
        ORDER BY e.created DESC, e.id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery(terms), *args, limit])
        return rows(cursor)


def rows(cursor) -> list[tuple]:
    """Candidate rows as (id, score, created, title)."""
    return [(row[0], float(row[1]), row[2], row[3]) for row in cursor.fetchall()]


def facets(*, ids: list[int]) -> list[tuple[str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, value, count(*) FROM resources_searchfacet "
            "WHERE entry_id = ANY(%s) GROUP BY name, value",
            [ids],
        )
        return cursor.fetchall()


INSTALL = [
    """
    ALTER TABLE resources_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_norm, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(summary_norm, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(body_norm, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX resources_searchentry_vector ON resources_searchentry USING gin (search_vector)",
]
UNINSTALL = [
    "DROP INDEX IF EXISTS resources_searchentry_vector",
    "ALTER TABLE resources_searchentry DROP COLUMN IF EXISTS search_vector",
]
