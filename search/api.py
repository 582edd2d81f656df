"""``GET /api/v1/search``: everything the caller may read (the router the project mounts)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from search.params import SearchQuery, params_from_query
from search.query import search

router = Router(tags=["search"])


class FacetValue(Schema):
    value: str
    label: str
    count: int


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


class SearchOut(Schema):
    count: int
    capped: bool = Field(description="true when there are more matches than counted")
    page: int
    pages: int
    results: list[SearchHit]
    facets: dict[str, list[FacetValue]]


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
    }
