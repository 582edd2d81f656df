"""The JSON API (django-ninja): search and the library. OpenAPI at /api/v1/openapi.json.

Reads only; the user is the session's (anonymous callers see public content). A malformed
parameter is answered with 422 and the name of the field, by ninja's validation.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Query, Schema
from ninja.responses import Status
from pydantic import ValidationInfo, field_validator

from cop.models import Community
from resources import selectors
from resources.models import Collection, Resource
from resources.search import SearchParams, search

api = NinjaAPI(
    title="Community of practice API",
    version="1",
    description=(
        "Search across the shared library, forum threads and posts, and chat messages "
        "(only what the caller may read), and read the library."
    ),
    docs_url=None,  # the bundled docs page loads scripts from a CDN, which our CSP forbids
    urls_namespace="api",
)

KindSlug = Literal[
    "", "case", "practice-note", "journal", "publication", "toolkit", "recording", "dataset", "link"
]
LanguageCode = Literal["", "kk", "ru", "en", "other"]


# Slugs and codes: "Case", "KZ" and "E-Government" mean what their lower-case forms mean.
_CASE_INSENSITIVE = frozenset(
    {"type", "community", "kind", "country", "language", "tag", "collection", "order", "sort"}
)


class QueryParams(Schema):
    """A query string as clients write it: an empty parameter (``year_from=``) means the
    parameter was not given, and slugs are not case-sensitive. Anything else malformed is a
    422 naming the field."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_means_not_given(cls, value, info: ValidationInfo):
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return cls.model_fields[info.field_name].default
        return value.lower() if info.field_name in _CASE_INSENSITIVE else value


class SearchQuery(QueryParams):
    q: str = Field("", max_length=200, description="Words to find; empty lists everything.")
    type: Literal["", "resource", "thread", "post", "message"] = ""
    community: str = Field("", max_length=50, pattern=r"^[-a-z0-9]*$")
    kind: KindSlug = ""
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2")
    language: LanguageCode = ""
    tag: str = Field("", max_length=60)
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    collection: str = Field("", max_length=80, pattern=r"^[-a-z0-9]*$")
    order: Literal["relevance", "newest", "oldest", "title"] = "relevance"
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(20, ge=1, le=50)


def params_from_query(query: SearchQuery) -> SearchParams:
    return SearchParams(**query.dict())


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


@api.get("/search", response=SearchOut, summary="Search everything the caller may read")
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


class ResourceQuery(QueryParams):
    kind: KindSlug = ""
    community: str = Field("", max_length=50, pattern=r"^[-a-z0-9]*$")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    language: LanguageCode = ""
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    tag: str = Field("", max_length=60)
    collection: str = Field("", max_length=80)
    sort: Literal["newest", "oldest", "title", "year"] = "newest"
    page: int = Field(1, ge=1, le=10000)


class ResourceOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    kind: str
    language: str
    year: int | None
    countries: list[str]
    communities: list[str]
    tags: list[str]
    source: str
    authors: str
    link: str
    published: datetime | None


class FileOut(Schema):
    name: str
    url: str
    content_type: str
    size: int


class ResourceDetailOut(ResourceOut):
    body_html: str
    licence: str
    files: list[FileOut]
    related: list[int]
    discussed_in: list[str]


class ResourceListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ResourceOut]


class ErrorOut(Schema):
    detail: str


def _resource_out(resource: Resource) -> dict:
    return {
        "id": resource.pk,
        "url": resource.get_absolute_url(),
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "language": resource.language,
        "year": resource.year,
        "countries": [str(c) for c in resource.countries],
        "communities": [c.slug for c in resource.communities.all()],
        "tags": [t.slug for t in resource.tags.all()],
        "source": resource.source,
        "authors": resource.authors,
        "link": resource.url,
        "published": resource.published_at,
    }


@api.get("/resources", response=ResourceListOut, summary="Published library resources")
def api_resources(request: HttpRequest, query: Query[ResourceQuery]):
    filters = selectors.LibraryFilters(
        kind=query.kind,
        community=Community.objects.filter(slug=query.community).first()
        if query.community
        else None,
        country=query.country,
        language=query.language,
        year_from=query.year_from,
        year_to=query.year_to,
        tag=query.tag,
        collection=Collection.objects.filter(slug=query.collection).first()
        if query.collection
        else None,
        sort=query.sort,
    )
    if (query.community and filters.community is None) or (
        query.collection and filters.collection is None
    ):
        return {"count": 0, "page": 1, "pages": 1, "results": []}
    page = selectors.library_browse(filters=filters, page=query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": max(1, math.ceil(page.paginator.count / page.paginator.per_page)),
        "results": [_resource_out(r) for r in page.object_list],
    }


@api.get(
    "/resources/{resource_id}",
    response={200: ResourceDetailOut, 404: ErrorOut},
    summary="One library resource",
)
def api_resource(request: HttpRequest, resource_id: int):
    try:
        resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    except Http404:
        return Status(404, {"detail": "Not found."})
    return {
        **_resource_out(resource),
        "body_html": resource.html,
        "licence": resource.licence,
        "files": [
            {
                "name": f.original_name,
                "url": f.get_absolute_url(),
                "content_type": f.content_type,
                "size": f.size,
            }
            for f in resource.files.all()
        ],
        "related": [r.pk for r in selectors.related_resources(resource=resource)],
        "discussed_in": [t.get_absolute_url() for t in selectors.discussed_in(resource=resource)],
    }
