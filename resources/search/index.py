"""Keeping the search index current. Services call these inside their write transactions.

Only what may appear in results is indexed: published resources, live threads and visible
posts, undeleted chat messages. Everything else is removed from the index at once, so a hidden,
deleted or unpublished item can never leak into results, counts or snippets.
"""

from __future__ import annotations

from django.db import transaction

from cop import markup
from resources.models import Resource, SearchEntry, SearchFacet
from resources.search.normalize import index_text

TEXT_MAX = 20_000  # characters of original text kept for snippets


def _facet_rows(entry: SearchEntry, facets: dict[str, list[str]]) -> list[SearchFacet]:
    return [
        SearchFacet(entry=entry, name=name, value=str(value)[:64])
        for name, values in facets.items()
        for value in dict.fromkeys(values)
        if value not in (None, "")
    ]


def _store(*, doc_type: str, object_id: int, fields: dict, facets: dict[str, list[str]]) -> None:
    entry, _created = SearchEntry.objects.update_or_create(
        doc_type=doc_type, object_id=object_id, defaults=fields
    )
    SearchFacet.objects.filter(entry=entry).delete()
    SearchFacet.objects.bulk_create(_facet_rows(entry, {"type": [doc_type], **facets}))


def _remove(doc_type: str, object_ids) -> None:
    SearchEntry.objects.filter(doc_type=doc_type, object_id__in=list(object_ids)).delete()


def _norm(text: str, language: str) -> str:
    return index_text(text, language)


def index_thread(thread, *, with_replies: bool = False) -> None:
    """(Re)index a thread (title + opening post); ``with_replies`` also refreshes its replies'
    entries (after a move, a retag or a deletion, which change what they inherit)."""
    from forums.models import Post

    if thread.is_deleted:
        _remove(SearchEntry.Type.THREAD, [thread.pk])
        _remove(
            SearchEntry.Type.POST, Post.objects.filter(thread=thread).values_list("pk", flat=True)
        )
        return
    opening = Post.objects.filter(thread=thread, number=1).first()
    text = markup.to_text(opening.html) if opening and opening.is_visible else ""
    tags = [t.slug for t in thread.tags.all()]
    _store(
        doc_type=SearchEntry.Type.THREAD,
        object_id=thread.pk,
        fields={
            "visibility": SearchEntry.Visibility.PUBLIC,
            "community_id": thread.community_id,
            "title": thread.title[:300],
            "url": thread.get_absolute_url(),
            "language": thread.language,
            "kind": "",
            "year": thread.created.year,
            "created": thread.created,
            "title_norm": _norm(thread.title, thread.language),
            "summary_norm": "",
            "body_norm": _norm(text, thread.language),
            "text": text[:TEXT_MAX],
        },
        facets=_thread_facets(thread, tags),
    )
    if not with_replies:
        return
    # Replies carry the thread's community and tags as facets: refresh them on move/retag.
    for post in Post.objects.filter(thread=thread, number__gt=1).select_related("thread"):
        _index_reply(post, thread=thread, tags=tags)


def _thread_facets(thread, tags: list[str]) -> dict[str, list[str]]:
    return {
        "community": [thread.community.slug],
        "language": [thread.language],
        "year": [str(thread.created.year)],
        "tag": tags,
    }


def index_post(post) -> None:
    """(Re)index a post: the opening post reindexes its thread; a reply is its own entry."""
    thread = post.thread
    if post.number == 1:
        index_thread(thread)
        return
    _index_reply(post, thread=thread, tags=[t.slug for t in thread.tags.all()])


def _index_reply(post, *, thread, tags: list[str]) -> None:
    if thread.is_deleted or not post.is_visible:
        _remove(SearchEntry.Type.POST, [post.pk])
        return
    text = markup.to_text(post.html)
    _store(
        doc_type=SearchEntry.Type.POST,
        object_id=post.pk,
        fields={
            "visibility": SearchEntry.Visibility.PUBLIC,
            "community_id": thread.community_id,
            "title": thread.title[:300],
            "url": post.get_absolute_url(),
            "language": post.language,
            "kind": "",
            "year": post.created.year,
            "created": post.created,
            "title_norm": "",
            "summary_norm": "",
            "body_norm": _norm(text, post.language),
            "text": text[:TEXT_MAX],
        },
        facets={**_thread_facets(thread, tags), "year": [str(post.created.year)]},
    )


def index_message(message) -> None:
    """Chat messages are readable by signed-in people only, and so is their index entry."""
    if message.is_deleted:
        _remove(SearchEntry.Type.MESSAGE, [message.pk])
        return
    room = message.room
    text = markup.to_text(message.html)
    language = ""
    _store(
        doc_type=SearchEntry.Type.MESSAGE,
        object_id=message.pk,
        fields={
            "visibility": SearchEntry.Visibility.SIGNED_IN,
            "community_id": room.community_id,
            "title": room.name[:300],
            "url": message.get_absolute_url(),
            "language": language,
            "kind": "",
            "year": message.created.year,
            "created": message.created,
            "title_norm": "",
            "summary_norm": "",
            "body_norm": _norm(text, None),
            "text": text[:TEXT_MAX],
        },
        facets={"community": [room.community.slug], "year": [str(message.created.year)]},
    )


def index_resource(resource: Resource) -> None:
    """Published resources are indexed; any other status removes the entry."""
    if resource.status != Resource.Status.PUBLISHED:
        _remove(SearchEntry.Type.RESOURCE, [resource.pk])
        return
    body_text = markup.to_text(resource.html)
    lang = resource.language
    communities = [c.slug for c in resource.communities.all()]
    _store(
        doc_type=SearchEntry.Type.RESOURCE,
        object_id=resource.pk,
        fields={
            "visibility": SearchEntry.Visibility.PUBLIC,
            "community_id": None,
            "title": resource.title[:300],
            "url": resource.get_absolute_url(),
            "language": lang,
            "kind": resource.kind,
            "year": resource.year,
            "created": resource.published_at or resource.created,
            "title_norm": _norm(resource.title, lang),
            "summary_norm": _norm(
                " ".join([resource.summary, resource.authors, resource.source]), lang
            ),
            "body_norm": _norm(body_text, lang),
            "text": f"{resource.summary}\n{body_text}"[:TEXT_MAX],
        },
        facets={
            "community": communities,
            "kind": [resource.kind],
            "language": [lang],
            "year": [str(resource.year)] if resource.year else [],
            "country": [str(code) for code in resource.countries],
            "tag": [t.slug for t in resource.tags.all()],
        },
    )


def reindex_all(*, progress=None, batch: int = 500) -> int:
    """Rebuild the whole index from the source tables. ``progress(done, total)`` is called
    after each batch. Returns the number of objects indexed."""
    from forums.models import ChatMessage, Post, Thread

    sources = [
        Thread.objects.filter(is_deleted=False).select_related("community"),
        Post.objects.filter(number__gt=1, thread__is_deleted=False).select_related(
            "thread__community"
        ),
        ChatMessage.objects.filter(is_deleted=False).select_related("room__community"),
        Resource.objects.filter(status=Resource.Status.PUBLISHED),
    ]
    total = sum(qs.count() for qs in sources)
    done = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
    indexers = [index_thread, index_post, index_message, index_resource]
    for qs, indexer in zip(sources, indexers, strict=True):
        last_pk = 0
        while True:
            chunk = list(qs.filter(pk__gt=last_pk).order_by("pk")[:batch])
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
