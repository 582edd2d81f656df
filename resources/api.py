"""``GET /api/v1/resources`` and ``/api/v1/resources/<id>``: the library, read-only (the router
the project mounts). The user is the session's; anonymous callers see published resources."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from core.models import Community
from core.params import MAX_ID, QueryParams
from resources import selectors
from resources.models import Collection, Resource

router = Router(tags=["library"])

KindSlug = Literal[
    "", "case", "practice-note", "journal", "publication", "toolkit", "recording", "dataset", "link"
]
LanguageCode = Literal["", "kk", "ru", "en", "other"]


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


@router.get("/resources", response=ResourceListOut, summary="Published library resources")
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


@router.get(
    "/resources/{resource_id}",
    response={200: ResourceDetailOut, 404: ErrorOut},
    summary="One library resource",
)
def api_resource(request: HttpRequest, resource_id: int = Path(..., ge=1, le=MAX_ID)):
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
        "related": [r.pk for r in selectors.resource_list_related(resource=resource)],
        "discussed_in": [d.url for d in selectors.discussion_list(resource=resource)],
    }
