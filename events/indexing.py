"""Events in the one search index (type "event"); hub-wide events carry every community, as
they are shown in every community."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import markup
from core.models import Community
from core.permissions import Action
from events.models import Event
from search.documents import Document, DocumentType
from search.index import document_remove, document_store

DOC_TYPE = "event"


def event_document(event: Event) -> Document:
    communities = (
        [event.community.slug]
        if event.community_id
        else list(Community.objects.values_list("slug", flat=True))
    )
    speakers = ", ".join(s.display_name for s in event.speakers.select_related("user"))
    body = markup.to_text(event.html)
    return Document(
        doc_type=DOC_TYPE,
        object_id=event.pk,
        title=event.title,
        summary=" ".join(filter(None, [speakers, event.venue])),
        body=body,
        text=body,
        url=event.get_absolute_url(),
        language=event.language,
        kind=event.kind,
        year=event.starts_at.year,
        created=event.starts_at,
        facets={
            "community": communities,
            "kind": [event.kind],
            "language": [event.language] if event.language else [],
            "year": [str(event.starts_at.year)],
        },
    )


def event_store(event: Event) -> None:
    """Index a scheduled event; a cancelled one leaves the index."""
    if event.is_cancelled:
        document_remove(doc_type=DOC_TYPE, object_ids=[event.pk])
        return
    document_store(event_document(event))


def _sources():
    return [(Event.objects.filter(status=Event.Status.SCHEDULED), event_store)]


def _facet_labels(name: str, values: set[str]) -> dict[str, str]:
    if name == "kind":
        return {value: str(label) for value, label in Event.Kind.choices}
    return {}


DOCUMENT_TYPE = DocumentType(
    name=DOC_TYPE,
    label=_("Events"),
    read_action=Action.EVENT_READ,
    sources=_sources,
    facet_labels=_facet_labels,
    kinds=tuple(Event.Kind.values),
    position=5,
)
