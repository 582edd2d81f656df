"""``GET /api/v1/search``: everything the caller may read (the router the project mounts)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from search.params import SearchQuery, params_from_query
from search.query import COUNT_CAP, FACET_SAMPLE, search

router = Router(tags=["search"])


class FacetValue(Schema):
    value: str
    label: str
    count: int


class MatchedWord(Schema):
    text: str = Field(description="A query word, or a thesaurus term, found in this result")
    language: str = Field(description="Its language: kk, ru, en (or the result's language)")
    via: Literal["query", "thesaurus"] = Field(
        description="query: a word as typed; thesaurus: a term of the same concept in another "
        "language or a synonym"
    )


class ExpansionTerm(Schema):
    text: str
    language: str


class Expansion(Schema):
    matched: str = Field(description="The query's words that name a thesaurus concept")
    language: str = Field(description="The language of the term they matched")
    terms: list[ExpansionTerm] = Field(description="The concept's other terms, also searched")


class CommunityNamed(Schema):
    slug: str
    name: str
    url: str


class SearchHit(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str = Field(description="HTML: escaped text with <mark> around matching words")
    created: datetime
    community: str | None
    language: str
    kind: str
    year: int | None
    score: float
    matched: list[MatchedWord] = Field(description="What was found in it, in which language")
    translated: bool = Field(
        description="true when only the thesaurus found it (none of the words as typed)"
    )


class SearchOut(Schema):
    count: int = Field(description=f"Matches, exact up to {COUNT_CAP:,}")
    capped: bool = Field(description=f"true when there are more than {COUNT_CAP:,} matches")
    page: int
    pages: int
    results: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    facets_scope: Literal["all", "best", "newest"] = Field(
        description=f"all: facets count every match; best: above {COUNT_CAP:,} matches, the "
        f"{FACET_SAMPLE:,} best-ranked; newest: without words, the {FACET_SAMPLE:,} newest"
    )
    facets_counted: int = Field(description="How many results the facet counts describe")
    too_short: bool = Field(
        description="true when the query had words but none to search by (only stop words "
        "or symbols): the results are then everything, newest first"
    )
    fallback: Literal["", "any"] = Field(
        description="any: no result had every word; these have some of them"
    )
    suggestion: str = Field(
        description="A spelling suggestion (the query with unknown words replaced), or empty"
    )
    expansions: list[Expansion] = Field(
        description="The thesaurus concepts the query named, searched in every language"
    )
    translated_count: int = Field(
        description=f"How many matches only the thesaurus found (counted when the words as "
        f"typed have at most {COUNT_CAP:,} matches, else 0)"
    )
    communities: list[CommunityNamed] = Field(
        description="Communities whose name (in any language) the query names"
    )


@router.get("/search", response=SearchOut, summary="Search everything the caller may read")
def api_search(request: HttpRequest, query: Query[SearchQuery]):
    result = search(user=request.user, params=params_from_query(query))
    return {
        "count": result.count,
        "capped": result.capped,
        "page": result.page,
        "pages": result.pages,
        "results": [{**hit.__dict__, "snippet": str(hit.snippet)} for hit in result.results],
        "facets": result.facets,
        "facets_scope": result.facets_scope,
        "facets_counted": result.facets_counted,
        "too_short": result.too_short,
        "fallback": result.fallback,
        "suggestion": result.suggestion,
        "expansions": result.expansions,
        "translated_count": result.translated_count,
        "communities": result.communities,
    }
