"""Keeping the index current. Apps' services call these inside their write transactions.

Only what may appear in results is indexed: an app stores a document when it can be read and
removes it as soon as it cannot (deleted, hidden, unpublished), in the same transaction, so a
private item never leaks into results, counts, facets or snippets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from core import versions
from search.documents import Document, document_type, document_types
from search.models import SearchEntry, SearchFacet, SearchWord
from search.normalize import index_text
from search.vocabulary import vocabulary_add, words_of

TEXT_MAX = 20_000  # characters of original text kept for snippets


def _entry_fields(document: Document) -> dict:
    """The one place a document becomes an index row: normalised for matching, original text
    kept for snippets."""
    language = document.language or None
    return {
        "visibility": document_type(document.doc_type).visibility,
        "community_id": document.community_id,
        "title": document.title[:300],
        "url": document.url,
        "language": document.language,
        "kind": document.kind,
        "year": document.year,
        "title_key": document.title.casefold()[:300],
        "created": document.created,
        "title_norm": (index_text(document.title, language) if document.title_matches else ""),
        "summary_norm": index_text(" ".join([document.summary, *document.keywords]), language),
        "body_norm": index_text(document.body, language),
        "text": document.text[:TEXT_MAX],
    }


def _facet_rows(entry: SearchEntry, document: Document) -> list[SearchFacet]:
    facets = {"type": [document.doc_type], **document.facets}
    return [
        SearchFacet(entry=entry, name=name, value=str(value)[:64])
        for name, values in facets.items()
        for value in dict.fromkeys(values)
        if value not in (None, "")
    ]


def document_store(document: Document) -> None:
    """Add or replace the document's entry and its facet values."""
    versions.bump(versions.SEARCH)  # cached results (search.query.search)
    entry, _created = SearchEntry.objects.update_or_create(
        doc_type=document.doc_type, object_id=document.object_id, defaults=_entry_fields(document)
    )
    SearchFacet.objects.filter(entry=entry).delete()
    SearchFacet.objects.bulk_create(_facet_rows(entry, document))
    vocabulary_add(
        words_of(document.title, document.summary, document.body, " ".join(document.keywords))
    )


def document_remove(*, doc_type: str, object_ids: Iterable[int]) -> None:
    """Take these documents out of the index (nothing happens for ids that are not in it)."""
    versions.bump(versions.SEARCH)
    SearchEntry.objects.filter(doc_type=doc_type, object_id__in=list(object_ids)).delete()


def index_rebuild(*, progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Empty the index and index every document of every registered type again, from the
    owning apps' tables. ``progress(done, total)`` is called after each batch. Returns how many
    objects were indexed."""
    sources = [source for kind in document_types() for source in kind.sources()]
    total = sum(queryset.count() for queryset, _indexer in sources)
    versions.bump(versions.SEARCH)
    done = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
    for queryset, indexer in sources:
        last_pk = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:batch])
            if not chunk:
                break
            with transaction.atomic():
                for obj in chunk:
                    indexer(obj)
            last_pk = chunk[-1].pk
            done += len(chunk)
            if progress:
                progress(done, total)
    return done
