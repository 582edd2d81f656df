"""The search entry point shared by the search page and the JSON API.

Flow: the query is normalised in Python (normalize.query_terms), filters and permissions become
one SQL WHERE clause, the backend for the database at hand returns the matching entries
(bounded: at most CANDIDATES, newest first, so a very common word stays fast), and the rest —
ordering, facet counts, pagination, snippets — is the same code for both databases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.models import CONTENT_LANGUAGES, Community
from core.permissions import Viewer
from search import postgres, sqlite
from search.documents import document_types, visibilities_for
from search.models import SearchEntry
from search.normalize import query_terms
from search.snippets import highlight, snippet

# Matches considered per query. Counts and facets above this are shown as "more than".
CANDIDATES = 500
PER_PAGE_MAX = 50
# The facets results are counted by, in the order pages show them.
FACETS = ("type", "community", "kind", "country", "year", "language", "tag")


@dataclass(frozen=True)
class SearchParams:
    """What to look for. Build it from a query string with ``search.params`` (the API, the
    search page and the library all parse theirs there)."""

    q: str = ""
    type: str = ""
    community: str = ""
    kind: str = ""
    country: str = ""
    language: str = ""
    tag: str = ""
    year_from: int | None = None
    year_to: int | None = None
    collection: str = ""
    order: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    type: str
    id: int
    title: str
    title_html: SafeString
    url: str
    snippet: SafeString
    created: datetime
    community: str | None
    language: str
    kind: str
    year: int | None
    score: float


@dataclass
class SearchResult:
    count: int
    capped: bool
    results: list[Hit]
    facets: dict[str, list[dict]]
    page: int
    pages: int
    terms: list[list[str]] = field(default_factory=list)
    too_short: bool = False


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def _where(*, user: Viewer, params: SearchParams) -> tuple[str, list]:
    """Filters and visibility as SQL over ``resources_searchentry e``."""
    visible = visibilities_for(user)
    clauses = [f"e.visibility IN ({', '.join(['%s'] * len(visible))})"]
    args: list = list(visible)
    if params.type:
        clauses.append("e.doc_type = %s")
        args.append(params.type)
    if params.kind:
        clauses.append("e.kind = %s")
        args.append(params.kind)
    if params.language:
        clauses.append("e.language = %s")
        args.append(params.language)
    if params.year_from is not None:
        clauses.append("e.year >= %s")
        args.append(params.year_from)
    if params.year_to is not None:
        clauses.append("e.year <= %s")
        args.append(params.year_to)
    for name, value in (
        ("community", params.community),
        ("country", params.country.upper()),
        ("tag", params.tag),
        ("collection", params.collection),
    ):
        if value:
            clauses.append(
                "EXISTS (SELECT 1 FROM resources_searchfacet f "
                "WHERE f.entry_id = e.id AND f.name = %s AND f.value = %s)"
            )
            args += [name, value]
    return " AND ".join(clauses), args


def search(*, user: Viewer, params: SearchParams) -> SearchResult:
    """Results the user may read, with facet counts and highlighted snippets."""
    terms = query_terms(params.q) if params.q else []
    too_short = bool(params.q.strip()) and not terms
    if too_short:
        return SearchResult(0, False, [], {}, 1, 1, [], too_short=True)
    where, args = _where(user=user, params=params)
    backend = _backend()
    if terms:
        candidates = backend.match(terms=terms, where=where, args=args, limit=CANDIDATES + 1)
    else:
        candidates = _browse(where=where, args=args, limit=CANDIDATES + 1)
    capped = len(candidates) > CANDIDATES
    candidates = _ordered(candidates[:CANDIDATES], params.order)
    per_page = max(1, min(params.per_page, PER_PAGE_MAX))
    pages = max(1, math.ceil(len(candidates) / per_page))
    page = min(max(params.page, 1), pages)
    window = candidates[(page - 1) * per_page : page * per_page]
    ids = [c[0] for c in candidates]
    facets = _facet_labels(backend.facets(ids=ids)) if ids else {}
    return SearchResult(
        count=len(candidates),
        capped=capped,
        results=_hits(window, terms),
        facets=facets,
        page=page,
        pages=pages,
        terms=terms,
    )


def _browse(*, where: str, args: list, limit: int) -> list[tuple]:
    """Without words: the newest entries the filters let through (the same SQL on both
    databases)."""
    sql = f"""
        SELECT e.id, 0.0, e.created, e.title FROM resources_searchentry e
        WHERE {where} ORDER BY e.created DESC, e.id DESC LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, limit])
        return _backend().rows(cursor)


def _ordered(candidates: list[tuple], order: str) -> list[tuple]:
    """Candidates are (id, score, created, title) tuples, newest first from the backends
    (without words, every score is 0 and relevance order is the newest first)."""
    if order == "oldest":
        return sorted(candidates, key=lambda c: (c[2], c[0]))
    if order == "title":
        return sorted(candidates, key=lambda c: (c[3].casefold(), c[0]))
    if order == "relevance":
        return sorted(candidates, key=lambda c: (c[1], c[2], c[0]), reverse=True)
    return candidates  # "newest": the backends' own order


def _hits(window: list[tuple], terms: list[list[str]]) -> list[Hit]:
    scores = {c[0]: c[1] for c in window}
    # Not the *_norm columns: they are only for matching, and as long as the text itself.
    entries = SearchEntry.objects.only(*HIT_FIELDS).in_bulk([c[0] for c in window])
    communities = _community_slugs({e.community_id for e in entries.values() if e.community_id})
    hits = []
    for entry_id, *_rest in window:
        entry = entries.get(entry_id)
        if entry is None:  # removed since the match (deleted, hidden, unpublished)
            continue
        hits.append(
            Hit(
                type=entry.doc_type,
                id=entry.object_id,
                title=entry.title,
                title_html=highlight(entry.title, terms)
                if terms
                else mark_safe(escape(entry.title)),  # noqa: S308 - escaped above
                url=entry.url,
                snippet=snippet(entry.text, terms),
                created=entry.created,
                community=communities.get(entry.community_id),
                language=entry.language,
                kind=entry.kind,
                year=entry.year,
                # Six significant digits: SQLite's bm25 of a word found in most documents is a
                # few millionths, and rounding to decimals would flatten the order shown.
                score=float(f"{scores[entry_id]:.6g}"),
            )
        )
    return hits


HIT_FIELDS = (
    "doc_type", "object_id", "title", "url", "text", "created", "community_id", "language",
    "kind", "year",
)  # fmt: skip


def _community_slugs(ids: set[int]) -> dict[int, str]:
    return dict(Community.objects.filter(pk__in=ids).values_list("pk", "slug")) if ids else {}


def _facet_labels(rows: list[tuple[str, str, int]]) -> dict[str, list[dict]]:
    """Facet rows (name, value, count) with readable labels, biggest first. Types, communities
    and languages are the index's and the core's own; every other facet's labels come from the
    apps that registered documents with it."""
    values: dict[str, set[str]] = {}
    for name, value, _count in rows:
        values.setdefault(name, set()).add(value)
    types = document_types()
    labels: dict[str, dict[str, str]] = {
        "type": {t.name: str(t.label) for t in types},
        "community": {c.slug: c.name for c in Community.objects.all()},
        "language": {code: str(label) for code, label in CONTENT_LANGUAGES},
    }
    for name in FACETS:
        if name in labels or name not in values:
            continue
        labels[name] = {}
        for kind in types:
            if kind.facet_labels is not None:
                labels[name].update(kind.facet_labels(name, values[name]))
    facets: dict[str, list[dict]] = {name: [] for name in FACETS}
    for name, value, count in rows:
        if name not in facets:
            continue
        label = labels.get(name, {}).get(value, value)
        facets[name].append({"value": value, "label": str(label), "count": count})
    for name, items in facets.items():
        if name == "year":
            items.sort(key=lambda item: item["value"], reverse=True)
        else:
            items.sort(key=lambda item: (-item["count"], item["label"]))
    return {name: items for name, items in facets.items() if items}
