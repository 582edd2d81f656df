"""PostgreSQL backend: stored, generated tsvectors of the normalised text.

``search_vector`` (title A, summary B, body C) is created by migration resources/0002;
``head_vector`` (title and summary only) by search/0002. The 'simple' configuration is right
because the text is already normalised (stemmed, transliterated) in Python.

Index layout (search/0002), chosen by measurement (docs/benchmarks.md, bench/search.py):

- ``head_vector`` gets a RUM index where the extension is installed. RUM stores positions in
  the index and ranks there (``ORDER BY head_vector <=> query``), so the first tier of every
  ranking (search/query.py: the title and summary matches, which only resources and threads
  have) comes out best first without visiting each match's row. Without RUM, GIN and ts_rank:
  the same order, slower for common words, and a warning in the log.
- ``search_vector`` keeps its GIN index: counting up to 10,000 matches and finding the later
  tiers' rows is faster with GIN's posting lists than with RUM's (a two-word query's count took
  80 ms with RUM against 36 ms with GIN at 1.1 million entries). Its tiers rank with ts_rank,
  or with ``<=>`` if someone builds RUM on it (RUM_CREATE).
"""

from __future__ import annotations

import json
import logging

from django.db import connection

from search.expression import Match, tsquery

logger = logging.getLogger(__name__)

RUM_INDEX = "resources_searchentry_rum"
GIN_INDEX = "resources_searchentry_vector"
_rum: dict[tuple[str, bool], bool] = {}


def rum_installed(*, head: bool = False) -> bool:
    """Whether the title-and-summary vector (``head``), or the whole-text one, has a RUM index
    in this database (looked up once per process). The migration gives the first one RUM where
    the extension exists, and the second GIN (see the module's docstring); a missing RUM index
    on the first is logged, since ranking then costs more."""
    key = (connection.alias, head)
    if key not in _rum:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = %s",
                [HEAD_RUM_INDEX if head else RUM_INDEX],
            )
            _rum[key] = cursor.fetchone() is not None
        if head and not _rum[key]:
            logger.warning(
                "search: no RUM index on head_vector, ranking every match with ts_rank (slower)"
            )
    return _rum[key]


def _vector(head: bool) -> str:
    return "e.head_vector" if head else "e.search_vector"


def _condition(match: Match) -> tuple[str, list]:
    """The SQL condition of ``match`` over ``e``, and its parameters."""
    sql = f"{_vector(match.head)} @@ to_tsquery('simple', %s)"
    args = [tsquery(match.expression)]
    for expression, head in match.excluding:
        sql += f" AND NOT {_vector(head)} @@ to_tsquery('simple', %s)"
        args.append(tsquery(expression))
    return sql, args


def ranked(*, match: Match, where: str, args: list, limit: int, offset: int = 0) -> list[tuple]:
    """Matches in rank order: (id, score, created, title); score higher is better. With RUM the
    index yields them best first (no tie-breaker: a second sort key would make PostgreSQL rank
    every match before the LIMIT); without it, ts_rank over every match."""
    condition, condition_args = _condition(match)
    vector = _vector(match.head)
    query = tsquery(match.expression)
    if rum_installed(head=match.head):
        sql = f"""
            SELECT e.id, {vector} <=> to_tsquery('simple', %s), e.created, e.title
            FROM resources_searchentry e
            WHERE {condition} AND {where}
            ORDER BY {vector} <=> to_tsquery('simple', %s)
            LIMIT %s OFFSET %s
        """
        params = [query, *condition_args, *args, query, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                (row[0], 1.0 / row[1] if row[1] else 1e6, row[2], row[3])
                for row in cursor.fetchall()
            ]
    sql = f"""
        SELECT e.id, ts_rank({vector}, to_tsquery('simple', %s), 32) AS score, e.created, e.title
        FROM resources_searchentry e
        WHERE {condition} AND {where}
        ORDER BY score DESC, e.id
        LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *condition_args, *args, limit, offset])
        return rows(cursor)


def ordered(
    *, match: Match, where: str, args: list, order_by: str, limit: int, offset: int
) -> list[tuple]:
    """Matches in another order (``order_by``: SQL over ``e``): (id, 0.0, created, title)."""
    condition, condition_args = _condition(match)
    sql = f"""
        SELECT e.id, 0.0, e.created, e.title FROM resources_searchentry e
        WHERE {condition} AND {where}
        ORDER BY {order_by} LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*condition_args, *args, limit, offset])
        return rows(cursor)


# Counting the first COUNT_CAP matches of a word found in half of a million entries reads
# thousands of rows. When the planner expects at least this many matches (ten times the cap),
# the count is "more than the cap" without reading them: its estimates for words that common
# come from the column's statistics and are not off by a factor of ten.
ESTIMATE_FLOOR = 100_000


def estimate(*, match: Match, where: str, args: list) -> int:
    """The planner's estimate of how many entries match."""
    condition, condition_args = _condition(match)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) "
            f"SELECT 1 FROM resources_searchentry e WHERE {condition} AND {where}",
            [*condition_args, *args],
        )
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count(*, match: Match, where: str, args: list, cap: int) -> int:
    """How many entries match, counted up to ``cap`` (a large cap is reached at once when the
    planner expects ten times as many matches: see ESTIMATE_FLOOR)."""
    if cap >= 1000 and estimate(match=match, where=where, args=args) >= max(
        ESTIMATE_FLOOR, 10 * cap
    ):
        return cap
    condition, condition_args = _condition(match)
    sql = f"""
        SELECT count(*) FROM (
            SELECT 1 FROM resources_searchentry e WHERE {condition} AND {where} LIMIT %s
        ) matches
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*condition_args, *args, cap])
        return cursor.fetchone()[0]


def matching_ids_sql(*, match: Match, where: str, args: list, cap: int):
    """(SQL, params) of a subquery: the ids of (up to ``cap``) matches, in no order."""
    condition, condition_args = _condition(match)
    sql = f"SELECT e.id FROM resources_searchentry e WHERE {condition} AND {where} LIMIT %s"
    return sql, [*condition_args, *args, cap]


def rows(cursor) -> list[tuple]:
    """Candidate rows as (id, score, created, title)."""
    return [(row[0], float(row[1]), row[2], row[3]) for row in cursor.fetchall()]


GIN_CREATE = f"CREATE INDEX {GIN_INDEX} ON resources_searchentry USING gin (search_vector)"
RUM_CREATE = (
    f"CREATE INDEX {RUM_INDEX} ON resources_searchentry USING rum (search_vector rum_tsvector_ops)"
)
# The title and summary alone (search/0002): the first tier of every ranking, and small, since
# replies and chat messages have neither.
HEAD_ADD = """
    ALTER TABLE resources_searchentry ADD COLUMN head_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_norm, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(summary_norm, '')), 'B')
    ) STORED
"""
HEAD_DROP = "ALTER TABLE resources_searchentry DROP COLUMN IF EXISTS head_vector"
HEAD_RUM_INDEX = "resources_searchentry_head_rum"
HEAD_GIN_INDEX = "resources_searchentry_head"
HEAD_RUM_CREATE = (
    f"CREATE INDEX {HEAD_RUM_INDEX} ON resources_searchentry "
    "USING rum (head_vector rum_tsvector_ops)"
)
HEAD_GIN_CREATE = f"CREATE INDEX {HEAD_GIN_INDEX} ON resources_searchentry USING gin (head_vector)"
INSTALL = [
    """
    ALTER TABLE resources_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_norm, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(summary_norm, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(body_norm, '')), 'C')
    ) STORED
    """,
    GIN_CREATE,
]
UNINSTALL = [
    f"DROP INDEX IF EXISTS {RUM_INDEX}",
    f"DROP INDEX IF EXISTS {GIN_INDEX}",
    "ALTER TABLE resources_searchentry DROP COLUMN IF EXISTS search_vector",
]
