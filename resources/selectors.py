"""Reads of the library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    When,
    prefetch_related_objects,
)
from django.db.models.lookups import Contains
from django.http import Http404

from core import permissions
from core.db import UnicodeLower
from core.models import Community
from core.permissions import Action, Viewer
from resources.models import Collection, CollectionItem, Resource, ResourceRevision
from resources.rules import can_view_resource

S = Resource.Status
PAGE_SIZE = 20
SORTS = {
    "newest": ("-published_at", "-id"),
    "oldest": ("published_at", "id"),
    "title": ("title", "id"),
    "year": ("-year", "-published_at", "-id"),
}


def _with_relations(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.prefetch_related("communities", "tags")


@dataclass
class LibraryFilters:
    q: str = ""
    kind: str = ""
    community: Community | None = None
    country: str = ""
    language: str = ""
    year_from: int | None = None
    year_to: int | None = None
    tag: str = ""
    collection: Collection | None = None
    sort: str = "newest"


def _browse_queryset(filters: LibraryFilters, *, with_kind: bool = True):
    qs = Resource.objects.filter(status=S.PUBLISHED)
    if filters.kind and with_kind:
        qs = qs.filter(kind=filters.kind)
    if filters.community is not None:
        qs = qs.filter(communities=filters.community)
    if filters.country:
        # CountryField(multiple=True) stores codes comma-separated, sorted.
        code = filters.country.upper()
        qs = qs.filter(
            Q(countries=code)
            | Q(countries__startswith=f"{code},")
            | Q(countries__endswith=f",{code}")
            | Q(countries__contains=f",{code},")
        )
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.year_from:
        qs = qs.filter(year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(year__lte=filters.year_to)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    if filters.collection is not None:
        qs = qs.filter(pk__in=filters.collection.items.values("resource_id"))
    return qs


def library_browse(*, filters: LibraryFilters, page: int = 1) -> Page:
    """A page of published resources matching the filters (without a text query), with their
    communities and tags. With a text query, the library page uses search instead."""
    qs = _browse_queryset(filters).distinct().order_by(*SORTS.get(filters.sort, SORTS["newest"]))
    return Paginator(_with_relations(qs), PAGE_SIZE).get_page(page)


# What a library card shows (templates/resources/_resource_card.html): the list leaves out the
# resource's body and its rendered HTML, the widest columns, and needs no communities or tags.
CARD_FIELDS = (
    "id", "title", "summary", "kind", "language", "year", "source", "countries", "status",
    "published_at",
)  # fmt: skip


def library_cards(*, filters: LibraryFilters, page: int = 1) -> Page:
    """The library page's cards: ``library_browse`` with only what a card shows."""
    qs = _browse_queryset(filters).only(*CARD_FIELDS)
    if filters.tag:  # the only filter joining a table that may repeat a resource
        qs = qs.distinct()
    return Paginator(qs.order_by(*SORTS.get(filters.sort, SORTS["newest"])), PAGE_SIZE).get_page(
        page
    )


def library_kind_counts(*, filters: LibraryFilters) -> dict[str, int]:
    """How many published resources of each kind match the other filters (one query): the
    counts on the library's kind tabs."""
    ids = _browse_queryset(filters, with_kind=False).values("pk")
    rows = (
        Resource.objects.filter(pk__in=ids)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return dict(rows)


def resource_get_for_viewer(*, user: Viewer, resource_id: int, content: bool = True) -> Resource:
    """The resource with its communities, tags, files and submitter if ``user`` may see it;
    Http404 otherwise (an unpublished resource is not shown to exist). ``content=False``: only
    what deciding who may see and edit it needs (its communities); resource_content_prefetch
    adds the rest when the page is rendered."""
    qs = Resource.objects.select_related("submitted_by").prefetch_related("communities")
    if content:
        qs = qs.prefetch_related(*CONTENT_RELATIONS)
    resource = qs.filter(pk=resource_id).first()
    if resource is None or not can_view_resource(user, resource):
        raise Http404("resource")
    return resource


# What a resource's page shows besides its own row and communities.
CONTENT_RELATIONS = ("tags", "files")


def resource_content_prefetch(resource: Resource) -> None:
    """Load what a resource's page shows, for a resource read with ``content=False``."""
    prefetch_related_objects([resource], *CONTENT_RELATIONS)


def resource_list_related(*, resource: Resource, limit: int = 8) -> list[Resource]:
    """The published resources a curator linked to this one, then, to fill up to ``limit``,
    the newest published ones sharing one of its tags. Expects ``tags`` prefetched."""
    curated = list(resource.related.filter(status=S.PUBLISHED).order_by("title")[:limit])
    tag_ids = [tag.pk for tag in resource.tags.all()]
    if len(curated) >= limit or not tag_ids:
        return curated
    seen = [resource.pk, *(r.pk for r in curated)]
    alike = (
        Resource.objects.filter(status=S.PUBLISHED, tags__in=tag_ids)
        .exclude(pk__in=seen)
        .distinct()
        .order_by("-published_at", "-id")[: limit - len(curated)]
    )
    return curated + list(alike)


@dataclass(frozen=True)
class Discussion:
    """A place where a resource is discussed, as its page lists it."""

    title: str
    url: str
    language: str
    place: str  # where it is, e.g. the community's name


# Apps above the library that discuss resources register a provider here (the forum does, in
# its ready()): the library shows where it is discussed without importing them.
_discussion_providers: list[Callable[[Resource], list[Discussion]]] = []


def register_discussions(provider: Callable[[Resource], list[Discussion]]) -> None:
    """Add a provider of the places that discuss a resource."""
    _discussion_providers.append(provider)


def discussion_list(*, resource: Resource) -> list[Discussion]:
    """Where ``resource`` is discussed, from every registered provider."""
    return [item for provider in _discussion_providers for item in provider(resource)]


def resource_list_recent(
    *, community_ids: list[int], per_community: int = 3
) -> dict[int, list[Resource]]:
    """Per community id, its newest published resources, without their (long) texts."""
    result = {}
    for community_id in community_ids:
        result[community_id] = list(
            Resource.objects.filter(status=S.PUBLISHED, communities__id=community_id)
            .defer("body", "html")  # lists show titles; bodies can be 100,000 characters
            .order_by("-published_at", "-id")[:per_community]
        )
    return result


def resource_list_new(
    *, community_ids: list[int], since: datetime, limit: int = 6
) -> list[Resource]:
    """Resources published in any of these communities since ``since``, newest first, without
    their (long) texts (one query, for a member's home)."""
    if not community_ids:
        return []
    # The ids first (a resource in two of the communities is one row), then the rows.
    ids = (
        Resource.objects.filter(
            status=S.PUBLISHED, communities__id__in=community_ids, published_at__gte=since
        )
        .values("id")
        .distinct()
    )
    return list(
        Resource.objects.filter(id__in=ids)
        .defer("body", "html")
        .order_by("-published_at", "-id")[:limit]
    )


def resource_list_featured(*, community: Community, limit: int = 5) -> list[Resource]:
    """The community's featured published resources, newest first."""
    return list(
        Resource.objects.filter(
            status=S.PUBLISHED, is_featured=True, communities=community
        ).order_by("-published_at")[:limit]
    )


def resources_awaiting_review() -> QuerySet[Resource]:
    """Every resource waiting for a moderator's decision (submitted, or submitted again after
    a request for changes), in any community: the review queue and its pending count."""
    return Resource.objects.filter(status=S.SUBMITTED)


def resource_list_awaiting_review(*, community: Community, limit: int) -> list[Resource]:
    """The community's submissions that have waited longest for a decision, with their
    submitters (titles only: no texts)."""
    return list(
        resources_awaiting_review()
        .filter(communities=community)
        .select_related("submitted_by")
        .defer("body", "html")
        .order_by("created", "id")[:limit]
    )


def resource_list_for_review(*, community: Community) -> list[Resource]:
    """The community's review queue, oldest first: what waits for a moderator's decision,
    then what waits for its submitter's changes."""
    return list(
        _with_relations(
            Resource.objects.filter(
                communities=community, status__in=[S.SUBMITTED, S.CHANGES_REQUESTED]
            ).select_related("submitted_by")
        ).order_by(
            Case(When(status=S.SUBMITTED, then=0), default=1, output_field=IntegerField()),
            "created",
        )
    )


def resource_list_submitted(*, user: Viewer) -> list[Resource]:
    """What ``user`` submitted, newest first (the latest 200)."""
    return list(
        _with_relations(Resource.objects.filter(submitted_by=user)).order_by("-created")[:200]
    )


def collection_list() -> list[Collection]:
    """Every collection, with its communities."""
    return list(Collection.objects.prefetch_related("communities").order_by("slug"))


def collection_get(*, slug: str) -> Collection:
    """The collection with its published items in order; Http404 if there is none."""
    collection = (
        Collection.objects.prefetch_related(
            "communities",
            Prefetch(
                "items",
                queryset=CollectionItem.objects.filter(resource__status=S.PUBLISHED)
                .select_related("resource")
                .prefetch_related("resource__communities", "resource__tags")
                .order_by("position", "id"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if collection is None:
        raise Http404("collection")
    return collection


def collection_get_for_edit(*, slug: str) -> Collection:
    """The collection with its communities and every item in order, whatever its resource's
    status (an archived resource stays in the list its editors reorder); Http404 if none."""
    collection = (
        Collection.objects.prefetch_related(
            "communities",
            Prefetch(
                "items",
                queryset=CollectionItem.objects.select_related("resource")
                .defer("resource__body", "resource__html")
                .order_by("position", "id"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if collection is None:
        raise Http404("collection")
    return collection


CANDIDATES = 20


def resource_get_published(*, resource_id: int) -> Resource | None:
    """The published resource with this id, or None."""
    return Resource.objects.filter(pk=resource_id, status=S.PUBLISHED).first()


def resource_candidates(
    *, q: str = "", resource_id: int | None = None, limit: int = CANDIDATES
) -> list[Resource]:
    """Published resources whose title holds ``q`` (any alphabet, any case: "кезек" finds
    "Кезекті"), or the one numbered ``resource_id``; by title, at most ``limit`` + 1 (one more
    says there are more)."""
    qs = Resource.objects.filter(status=S.PUBLISHED).defer("body", "html")
    if resource_id is not None:
        qs = qs.filter(pk=resource_id)
    else:
        qs = qs.filter(Contains(UnicodeLower("title"), q.lower()))
    return list(qs.order_by("title", "id")[: limit + 1])


def communities_for_edit(*, user: Viewer, resource: Resource) -> QuerySet[Community]:
    """Those the user may submit to, plus the resource's own (which stay selectable even for
    someone who has since left one of them)."""
    own = [c.pk for c in resource.communities.all()]
    return Community.objects.filter(
        Q(pk__in=permissions.communities_where(user, Action.RESOURCE_SUBMIT)) | Q(pk__in=own)
    )


def resource_revisions(*, resource: Resource, limit: int = 20) -> list[ResourceRevision]:
    """The resource's earlier states, newest first, with their editors."""
    return list(resource.revisions.select_related("editor")[:limit])


# Apps above the library whose objects a resource came from register a provider here (events:
# the webinar a recording is from), shown as "From the event …" on the resource's page.
_origin_providers: list[Callable[[Resource], list[Discussion]]] = []


def register_origins(provider: Callable[[Resource], list[Discussion]]) -> None:
    """Add a provider of where a resource comes from (an event, for its recording)."""
    _origin_providers.append(provider)


def origin_list(*, resource: Resource) -> list[Discussion]:
    return [item for provider in _origin_providers for item in provider(resource)]
