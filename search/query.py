"""The search entry point shared by the search page, the library and the JSON API.

Flow:

1. The query's words are normalised in Python (search/normalize.py). A word the index's
   vocabulary knows is matched exactly on its keys; one it does not is matched as a prefix.
2. Words that name a thesaurus concept are widened with the concept's terms in the three
   languages (search/thesaurus.py).
3. Filters and permissions become one SQL WHERE clause; the backend for the database at hand
   ranks *every* match (PostgreSQL: the RUM index's rank order; SQLite: FTS5's bm25).
   Documents matching the words as typed come first; those found only through the thesaurus
   follow. Within the best-ranked few hundred, a recent document gets a gentle boost.
4. Counts are exact up to COUNT_CAP, and facets count every match up to that size (above it,
   the FACET_SAMPLE best-ranked, and the result says so).
5. When no document has every word: the documents with any of them, with a notice, and a
   "did you mean" from the vocabulary for words it does not know.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import metrics, versions
from core.models import CONTENT_LANGUAGES, Community
from core.permissions import Viewer
from search import postgres, sqlite, thesaurus, vocabulary
from search.documents import document_types, visibilities_for
from search.expression import Expression, Match, Phrase, Word
from search.models import SearchEntry, SearchFacet
from search.normalize import index_text, query_words
from search.snippets import highlight, snippet
from search.translit import fold_case, script_of

# Counts are exact up to this; above it a result says "more than", and facets count the
# COUNT_CAP best-ranked matches.
COUNT_CAP = 10_000
PER_PAGE_MAX = 50
QUERY_MAX = 200  # characters of a query taken into account (a longer one is cut)
# Among the BOOST_WINDOW best-ranked matches, a document of today gains up to RECENCY_BOOST of
# its score, a year-old one half of that, and so on: never enough to lift a weak match over a
# strong one, enough to order near-equals newest first. Beyond the window, rank order alone.
RECENCY_BOOST = 0.15
BOOST_WINDOW = 200
# Above COUNT_CAP matches, facets count the FACET_SAMPLE best-ranked (and say so).
FACET_SAMPLE = 200
# The facets results are counted by, in the order pages show them.
FACETS = ("type", "community", "kind", "country", "year", "language", "tag")
ORDERS = {
    "newest": "e.created DESC, e.id DESC",
    "oldest": "e.created ASC, e.id ASC",
    "title": "e.title_key ASC, e.id ASC",
}


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
    # Not from a query string: saved-search alerts look only at entries added after
    # ``entry_after`` (ids only grow), of these document types.
    entry_after: int | None = None
    doc_types: tuple[str, ...] = ()


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
    # The words found in it: {"text", "language", "via": "query" | "thesaurus"}.
    matched: list[dict] = field(default_factory=list)
    translated: bool = False  # found only through the thesaurus


@dataclass
class SearchResult:
    count: int
    capped: bool
    results: list[Hit]
    facets: dict[str, list[dict]]
    page: int
    pages: int
    terms: list[list[str]] = field(default_factory=list)
    too_short: bool = False  # words were typed, but none that can be searched for
    fallback: str = ""  # "any": no document had every word; these have some of them
    suggestion: str = ""  # "did you mean" (the query with unknown words replaced)
    # The thesaurus concepts the query named: {"matched", "language", "terms": [{"text",
    # "language"}]}.
    expansions: list[dict] = field(default_factory=list)
    translated_count: int = 0  # how many were found only through the thesaurus
    # What the facet counts describe: "all" matches, or (above COUNT_CAP) the FACET_SAMPLE
    # "best"-ranked ones, or the "newest" ones when browsing; facets_counted: how many.
    facets_scope: str = "all"
    facets_counted: int = 0
    # Communities whose name (in any language) the query names: {"slug", "name", "url"}.
    communities: list[dict] = field(default_factory=list)


@dataclass
class _Plan:
    words: list[tuple[str, Word]]  # (as typed, its keys)
    own: Expression
    expanded: Expression
    expansions: list[thesaurus.Expansion]


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def _plan(q: str) -> _Plan:
    typed = query_words(q)
    known = vocabulary.known(word for word, _keys in typed)
    words = [(word, Word(keys, prefix=word not in known)) for word, keys in typed]
    own = Expression(tuple(((w,),) for _word, w in words))
    found = thesaurus.expansions([list(w.keys) for _word, w in words])
    slots: list[tuple[Phrase, ...]] = []
    position = 0
    for expansion in found:
        slots += [((w,),) for _word, w in words[position : expansion.start]]
        typed_phrase = tuple(w for _word, w in words[expansion.start : expansion.end])
        others = tuple(tuple(Word(tuple(keys)) for keys in term.words) for term in expansion.others)
        slots.append((typed_phrase, *others))
        position = expansion.end
    slots += [((w,),) for _word, w in words[position:]]
    return _Plan(words, own, Expression(tuple(slots)), found)


def _where(*, user: Viewer, params: SearchParams) -> tuple[str, list]:
    """Filters and visibility as SQL over ``resources_searchentry e``."""
    visible = visibilities_for(user)
    clauses = [f"e.visibility IN ({', '.join(['%s'] * len(visible))})"]
    args: list = list(visible)
    if params.type:
        clauses.append("e.doc_type = %s")
        args.append(params.type)
    if params.doc_types:
        clauses.append(f"e.doc_type IN ({', '.join(['%s'] * len(params.doc_types))})")
        args += list(params.doc_types)
    if params.entry_after is not None:
        clauses.append("e.id > %s")
        args.append(params.entry_after)
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


def _tiers(own: Expression, expanded: Expression | None) -> list[tuple[Match, bool]]:
    """The ranked tiers, best first, each (match, found only through the thesaurus): the words
    as typed in the title or summary, then in the text; then the thesaurus terms likewise."""
    tiers = [(Match(own, head=True), False), (Match(own, excluding=((own, True),)), False)]
    if expanded is not None:
        tiers += [
            (Match(expanded, head=True, excluding=((own, False),)), True),
            (Match(expanded, excluding=((expanded, True), (own, False))), True),
        ]
    return tiers


def search(*, user: Viewer, params: SearchParams) -> SearchResult:
    """Results the user may read, best first (or in ``params.order``), with facet counts,
    highlighted snippets and the words each result was found by.

    Kept in the cache for everyone who may read the same documents and asks the same thing in
    the same language, under the index's version (``core.versions.SEARCH``, moved by every
    change to the index) and the thesaurus's. Only searches that were run are timed."""
    key = _result_key(user, params)
    result = cache.get(key) if key else None
    if result is None:
        with metrics.SEARCH_LATENCY.labels(connection.vendor).time():
            result = _search(user=user, params=params)
        if key:
            cache.set(key, result, RESULT_SECONDS)
    return result


# Results move with the index, but their order also leans on how recent a match is.
RESULT_SECONDS = 600


def _result_key(user: Viewer, params: SearchParams) -> str | None:
    concepts = thesaurus.version()
    if concepts < 0:  # the cache is away
        return None
    what = "\x1f".join(
        (
            versions.current(versions.SEARCH),
            str(concepts),
            get_language() or "",
            ",".join(visibilities_for(user)),
            repr(params),
        )
    )
    return "search:" + hashlib.blake2b(what.encode(), digest_size=16).hexdigest()


def _search(*, user: Viewer, params: SearchParams) -> SearchResult:
    plan = _plan(params.q[:QUERY_MAX])
    where, args = _where(user=user, params=params)
    per_page = max(1, min(params.per_page, PER_PAGE_MAX))
    if not plan.words:
        result = _browse(where=where, args=args, params=params, per_page=per_page)
        result.too_short = bool(params.q.strip())
        return result
    backend = _backend()
    own, expanded = plan.own, (plan.expanded if plan.expansions else None)
    own_count, other_count = _counts(backend, own, expanded, where, args)
    fallback = suggestion = ""
    if own_count + other_count == 0:
        suggestion = _suggestion(params.q[:QUERY_MAX], plan)
        if len(plan.words) > 1:
            fallback = "any"
            own = Expression(own.slots, any_slot=True)
            if expanded is not None:
                expanded = Expression(expanded.slots, any_slot=True)
            own_count, other_count = _counts(backend, own, expanded, where, args)
    total = own_count + other_count
    pages = max(1, math.ceil(min(total, COUNT_CAP) / per_page))
    page = min(max(params.page, 1), pages)
    offset = (page - 1) * per_page
    everything = Match(expanded if expanded is not None else own)
    ranker = _Ranker(
        backend,
        _tiers(own, expanded),
        where,
        args,
        prefetch=FACET_SAMPLE if total > COUNT_CAP and params.order not in ORDERS else 0,
        totals=(
            own_count,
            other_count if expanded is not None and own_count <= COUNT_CAP else None,
        ),
    )
    if params.order in ORDERS:
        rows = backend.ordered(
            match=everything,
            where=where,
            args=args,
            order_by=ORDERS[params.order],
            limit=per_page,
            offset=offset,
        )
        translated = set()
    else:
        rows, translated = ranker.page(offset, per_page)
    if not total:
        facets = {}
    elif total <= COUNT_CAP:
        facets = _facets(*backend.matching_ids_sql(match=everything, where=where, args=args,
                                                   cap=COUNT_CAP))  # fmt: skip
    else:
        best, _translated = ranker.page(0, FACET_SAMPLE, boost=False)
        facets = _facets_of([row[0] for row in best])
    highlight_terms = _highlight_terms(plan)
    return SearchResult(
        count=min(total, COUNT_CAP),
        capped=total > COUNT_CAP,
        results=_hits(rows, highlight_terms, plan, translated),
        facets=facets,
        page=page,
        pages=pages,
        terms=highlight_terms,
        fallback=fallback,
        suggestion=suggestion,
        expansions=[
            {
                "matched": e.matched.text,
                "language": e.matched.language,
                "terms": [{"text": o.text, "language": o.language} for o in e.others],
            }
            for e in plan.expansions
        ],
        translated_count=min(other_count, COUNT_CAP),
        facets_scope="best" if total > COUNT_CAP else "all",
        facets_counted=FACET_SAMPLE if total > COUNT_CAP else total,
        communities=_communities_named(plan),
    )


def _counts(backend, own, expanded, where, args) -> tuple[int, int]:
    """Matches of the words as typed, and of the thesaurus terms only, each counted up to
    COUNT_CAP + 1 (the second not at all when the first passes COUNT_CAP). The second is all
    matches less the first: counting "these but not those" would check every candidate's text
    against "those" again."""
    own_count = backend.count(match=Match(own), where=where, args=args, cap=COUNT_CAP + 1)
    if expanded is None or own_count > COUNT_CAP:
        return own_count, 0
    every = backend.count(match=Match(expanded), where=where, args=args, cap=COUNT_CAP + 1)
    return own_count, max(0, every - own_count)


class _Ranker:
    """Ranked rows through the tiers in turn (a tier is counted only to be skipped). Each tier's
    best rows are fetched once, ``prefetch`` of them (the boost window, or the facet sample when
    facets need it), and shared by the page and the facets."""

    def __init__(self, backend, tiers, where: str, args: list, prefetch: int, totals=()):
        self.backend, self.tiers, self.where, self.args = backend, tiers, where, args
        self.prefetch = max(prefetch, BOOST_WINDOW)
        self._best: dict[int, list[tuple]] = {}
        # The exact size of each pair of tiers (own words; thesaurus only), where counted.
        self.totals = totals

    def _empty(self, index: int) -> bool:
        """Whether a tier is known to be empty without asking: its pair holds no match, or the
        pair's first tier (fully read) already holds all of them."""
        pair = index // 2
        total = self.totals[pair] if pair < len(self.totals) else None
        if total is None or total > COUNT_CAP:
            return False
        if total == 0:
            return True
        first = self._best.get(pair * 2)
        return (
            index % 2 == 1
            and first is not None
            and len(first) < self.prefetch
            and (len(first) >= total)
        )

    def _ranked(self, match, offset: int, limit: int) -> list[tuple]:
        return self.backend.ranked(
            match=match, where=self.where, args=self.args, limit=limit, offset=offset
        )

    def _tier_best(self, index: int, match) -> list[tuple]:
        if index not in self._best:
            self._best[index] = self._ranked(match, 0, self.prefetch)
        return self._best[index]

    def _tier_size(self, index: int, match, cap: int) -> int:
        best = self._best.get(index)
        if best is not None and (len(best) < self.prefetch or len(best) >= cap):
            return min(len(best), cap)
        return self.backend.count(match=match, where=self.where, args=self.args, cap=cap)

    def _tier_rows(self, index: int, match, offset: int, limit: int, boost: bool):
        """``limit`` rows of one tier from ``offset``: within its first BOOST_WINDOW,
        reordered with the recency boost; beyond it, in rank order."""
        if boost and offset + limit <= BOOST_WINDOW:
            now = timezone.now()
            window = self._tier_best(index, match)[:BOOST_WINDOW]
            boosted = sorted(window, key=lambda row: (-row[1] * _boost(row[2], now), row[0]))
            return boosted[offset : offset + limit]
        if offset + limit <= self.prefetch:
            return self._tier_best(index, match)[offset : offset + limit]
        return self._ranked(match, offset, limit)

    def page(self, offset: int, limit: int, *, boost: bool = True):
        """``limit`` ranked rows from ``offset``; returns (rows, ids of those found only
        through the thesaurus)."""
        rows: list[tuple] = []
        translated: set[int] = set()
        skip, need = offset, limit
        for index, (match, is_translated) in enumerate(self.tiers):
            if need <= 0:
                break
            if self._empty(index):
                continue
            if skip:
                size = self._tier_size(index, match, cap=skip)
                if size < skip:
                    skip -= size
                    continue
            found = self._tier_rows(index, match, skip, need, boost)
            skip = 0
            need -= len(found)
            rows += found
            if is_translated:
                translated |= {row[0] for row in found}
        return rows, translated


def _boost(created: datetime, now: datetime) -> float:
    years = max(0.0, (now - created).total_seconds() / (365.25 * 86400))
    return 1.0 + RECENCY_BOOST * 0.5**years


def _browse(*, where: str, args: list, params: SearchParams, per_page: int) -> SearchResult:
    """Without words: the entries the filters let through, newest first (or in the order
    asked), counted up to COUNT_CAP, facets over the COUNT_CAP newest."""
    order = ORDERS.get(params.order, ORDERS["newest"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM "
            f"(SELECT 1 FROM resources_searchentry e WHERE {where} LIMIT %s) m",
            [*args, COUNT_CAP + 1],
        )
        total = cursor.fetchone()[0]
    pages = max(1, math.ceil(min(total, COUNT_CAP) / per_page))
    page = min(max(params.page, 1), pages)
    sql = f"""
        SELECT e.id, 0.0, e.created, e.title FROM resources_searchentry e
        WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, per_page, (page - 1) * per_page])
        rows = _backend().rows(cursor)
    capped = total > COUNT_CAP
    ids_sql = (
        f"SELECT e.id FROM resources_searchentry e WHERE {where} "
        f"ORDER BY {ORDERS['newest']} LIMIT %s"
    )
    return SearchResult(
        count=min(total, COUNT_CAP),
        capped=capped,
        results=_hits(rows, [], None, set()),
        facets=_facets(ids_sql, [*args, FACET_SAMPLE if capped else COUNT_CAP]) if total else {},
        page=page,
        pages=pages,
        facets_scope="newest" if capped else "all",
        facets_counted=FACET_SAMPLE if capped else total,
    )


def _facets(ids_sql: str, args: list) -> dict[str, list[dict]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.name, f.value, count(*) FROM resources_searchfacet f "
            f"WHERE f.entry_id IN ({ids_sql}) GROUP BY f.name, f.value",
            args,
        )
        return _facet_labels(cursor.fetchall())


def _facets_of(ids: list[int]) -> dict[str, list[dict]]:
    rows = (
        SearchFacet.objects.filter(entry_id__in=ids)
        .values_list("name", "value")
        .annotate(count=Count("id"))
        .order_by()
    )
    return _facet_labels(list(rows))


def _suggestion(q: str, plan: _Plan) -> str:
    """The query with each word the vocabulary does not know replaced by the known word most
    like it; "" if no word could be replaced."""
    replaced = q
    changed = False
    for typed, word in plan.words:
        if not word.prefix:
            continue
        better = vocabulary.suggestion(typed)
        if better:
            replaced = replaced.replace(typed, better, 1)
            changed = True
    return replaced if changed else ""


def _communities_named(plan: _Plan) -> list[dict]:
    """The communities whose name, in one of its languages, has every word of the query (or a
    thesaurus term for it): shown above the results, rather than every document of the
    community matching its name."""
    found = []
    for community in Community.objects.all():
        keys = {
            key for name, language in community.names for key in index_text(name, language).split()
        }
        if all(
            any(all(_matched(keys, word) for word in phrase) for phrase in slot)
            for slot in plan.expanded.slots
        ):
            found.append(
                {
                    "slug": community.slug,
                    "name": community.name,
                    "url": community.get_absolute_url(),
                }
            )
    return found


def _highlight_terms(plan: _Plan) -> list[list[str]]:
    """Keys to highlight in snippets: the words as typed, and the thesaurus terms used."""
    terms = [list(word.keys) for _typed, word in plan.words]
    for expansion in plan.expansions:
        for term in expansion.others:
            terms += [list(keys) for keys in term.words]
    return terms


def _matched(entry_terms: set[str], word: Word) -> bool:
    if word.prefix:
        return any(term.startswith(key) for key in word.keys for term in entry_terms)
    return bool(entry_terms.intersection(word.keys))


def _word_language(word: str, document_language: str) -> str:
    """The language a typed word was found in: Kazakh if its letters say so; else the
    document's, when its script can write that language; else Russian for Cyrillic, English
    for Latin ("" for other scripts)."""
    script = script_of(fold_case(word))
    if script == "kazakh":
        return "kk"
    possible = {"cyrillic": ("kk", "ru"), "latin": ("kk", "en")}.get(script, ())
    if document_language in possible:
        return document_language
    return {"cyrillic": "ru", "latin": "en"}.get(script, "")


def _words_found(entry, plan: _Plan | None) -> list[dict]:
    """The query words and thesaurus terms this entry contains, with their languages."""
    if plan is None:
        return []
    entry_terms = set(f"{entry.title_norm} {entry.summary_norm} {entry.body_norm}".split())
    found = [
        {"text": typed, "language": _word_language(typed, entry.language), "via": "query"}
        for typed, word in plan.words
        if _matched(entry_terms, word)
    ]
    for expansion in plan.expansions:
        for term in expansion.others:
            if all(entry_terms.intersection(keys) for keys in term.words):
                found.append({"text": term.text, "language": term.language, "via": "thesaurus"})
    return found


def _hits(
    window: list[tuple], terms: list[list[str]], plan: _Plan | None, translated: set[int]
) -> list[Hit]:
    scores = {c[0]: c[1] for c in window}
    fields = HIT_FIELDS if plan is None else (*HIT_FIELDS, *NORM_FIELDS)
    entries = SearchEntry.objects.only(*fields).in_bulk([c[0] for c in window])
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
                matched=_words_found(entry, plan),
                translated=entry_id in translated,
            )
        )
    return hits


# Not the *_norm columns unless the words found are wanted: they are only for matching, and as
# long as the text itself.
HIT_FIELDS = (
    "doc_type", "object_id", "title", "url", "text", "created", "community_id", "language",
    "kind", "year",
)  # fmt: skip
NORM_FIELDS = ("title_norm", "summary_norm", "body_norm")


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
