"""The library's documents in the search index: one per published resource.

Registered with the index in ``ResourcesConfig.ready()``; the services call
:func:`resource_index` in the transaction of every change to a resource or its collections.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import markup
from core.permissions import Action
from resources.models import CollectionItem, LibraryTag, Resource
from search.documents import Document, DocumentType
from search.index import document_remove, document_store

DOC_TYPE = "resource"


def resource_document(resource: Resource) -> Document:
    """The search document of a resource (its communities, tags and collections are read)."""
    body_text = markup.to_text(resource.html)
    communities = list(resource.communities.all())
    tags = list(resource.tags.all())
    return Document(
        doc_type=DOC_TYPE,
        object_id=resource.pk,
        title=resource.title,
        summary=" ".join([resource.summary, resource.authors, resource.source]),
        body=body_text,
        text=f"{resource.summary}\n{body_text}",
        url=resource.get_absolute_url(),
        language=resource.language,
        kind=resource.kind,
        year=resource.year,
        created=resource.published_at or resource.created,
        keywords=[t.name for t in tags],
        facets={
            "community": [c.slug for c in communities],
            "kind": [resource.kind],
            "language": [resource.language],
            "year": [str(resource.year)] if resource.year else [],
            "country": [str(code) for code in resource.countries],
            "tag": [t.slug for t in tags],
            # Collections filter search results like any facet (they are not counted).
            "collection": list(
                CollectionItem.objects.filter(resource=resource).values_list(
                    "collection__slug", flat=True
                )
            ),
        },
    )


def resource_index(resource: Resource) -> None:
    """Index a published resource; any other status takes it out of the index."""
    if resource.status != Resource.Status.PUBLISHED:
        document_remove(doc_type=DOC_TYPE, object_ids=[resource.pk])
        return
    document_store(resource_document(resource))


def resources_index(*, resource_ids) -> None:
    """Index these resources again (after a change to a collection they are or were in)."""
    for resource in Resource.objects.filter(pk__in=list(resource_ids)).prefetch_related(
        "communities", "tags"
    ):
        resource_index(resource)


@lru_cache(maxsize=8)
def _country_names(language: str) -> dict[str, str]:
    """Country names in one language (building the translated list costs milliseconds)."""
    return {code: str(name) for code, name in countries}


def _facet_labels(name: str, values: set[str]) -> dict[str, str]:
    if name == "kind":
        return {value: str(label) for value, label in Resource.Kind.choices}
    if name == "country":
        return _country_names(get_language())
    if name == "tag":
        return dict(LibraryTag.objects.filter(slug__in=values).values_list("slug", "name"))
    return {}


def _sources():
    published = Resource.objects.filter(status=Resource.Status.PUBLISHED).prefetch_related(
        "communities", "tags"
    )
    return [(published, resource_index)]


DOCUMENT_TYPE = DocumentType(
    name=DOC_TYPE,
    label=_("Library"),
    read_action=Action.RESOURCE_READ,
    sources=_sources,
    facet_labels=_facet_labels,
    kinds=tuple(Resource.Kind.values),
    position=0,
)
