"""The forum's documents in the search index: threads (title and opening post), replies and
chat messages. Registered with the index in ``ForumsConfig.ready()``; the services call the
``*_index`` functions in the transaction of every change.

Replies carry their thread's community and tags as facets, so moving or retagging a thread
reindexes its replies (``thread_index(..., with_replies=True)``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import markup
from core.permissions import Action
from forums.models import ChatMessage, Post, Tag, Thread
from search.documents import Document, DocumentType
from search.index import document_remove, document_store

THREAD, POST, MESSAGE = "thread", "post", "message"


def _thread_facets(thread: Thread, tags: list[str], year: int) -> dict[str, list[str]]:
    return {
        "community": [thread.community.slug],
        "language": [thread.language],
        "year": [str(year)],
        "tag": tags,
    }


def thread_index(thread: Thread, *, with_replies: bool = False) -> None:
    """(Re)index a thread: its title and opening post; a deleted thread leaves the index with
    its replies. ``with_replies`` also refreshes the replies' entries (after a move or retag)."""
    if thread.is_deleted:
        document_remove(doc_type=THREAD, object_ids=[thread.pk])
        document_remove(
            doc_type=POST,
            object_ids=Post.objects.filter(thread=thread).values_list("pk", flat=True),
        )
        return
    opening = Post.objects.filter(thread=thread, number=1).first()
    text = markup.to_text(opening.html) if opening and opening.is_visible else ""
    tags = list(thread.tags.all())
    document_store(
        Document(
            doc_type=THREAD,
            object_id=thread.pk,
            title=thread.title,
            body=text,
            text=text,
            url=thread.get_absolute_url(),
            language=thread.language,
            community_id=thread.community_id,
            year=thread.created.year,
            created=thread.created,
            keywords=[t.name for t in tags],
            facets=_thread_facets(thread, [t.slug for t in tags], thread.created.year),
        )
    )
    if with_replies:
        for post in Post.objects.filter(thread=thread, number__gt=1).select_related("thread"):
            _reply_index(post, thread=thread, tags=[t.slug for t in tags])


def post_index(post: Post) -> None:
    """(Re)index a post: the opening post reindexes its thread; a reply is its own entry."""
    thread = post.thread
    if post.number == 1:
        thread_index(thread)
        return
    _reply_index(post, thread=thread, tags=[t.slug for t in thread.tags.all()])


def _reply_index(post: Post, *, thread: Thread, tags: list[str]) -> None:
    if thread.is_deleted or not post.is_visible:
        document_remove(doc_type=POST, object_ids=[post.pk])
        return
    text = markup.to_text(post.html)
    document_store(
        Document(
            doc_type=POST,
            object_id=post.pk,
            title=thread.title,  # shown with the reply; only the reply's own words find it
            title_matches=False,
            body=text,
            text=text,
            url=post.get_absolute_url(),
            language=post.language,
            community_id=thread.community_id,
            year=post.created.year,
            created=post.created,
            facets=_thread_facets(thread, tags, post.created.year),
        )
    )


def message_index(message: ChatMessage) -> None:
    """(Re)index a chat message; a deleted one leaves the index. Chat has no language field:
    the normaliser guesses it per word."""
    if message.is_deleted:
        document_remove(doc_type=MESSAGE, object_ids=[message.pk])
        return
    room = message.room
    text = markup.to_text(message.html)
    document_store(
        Document(
            doc_type=MESSAGE,
            object_id=message.pk,
            title=room.name,
            title_matches=False,
            body=text,
            text=text,
            url=message.get_absolute_url(),
            community_id=room.community_id,
            year=message.created.year,
            created=message.created,
            facets={"community": [room.community.slug], "year": [str(message.created.year)]},
        )
    )


def _tag_labels(name: str, values: set[str]) -> dict[str, str]:
    if name != "tag":
        return {}
    return dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))


DOCUMENT_TYPES = [
    DocumentType(
        name=THREAD,
        label=_("Threads"),
        read_action=Action.THREAD_READ,
        sources=lambda: [
            (Thread.objects.filter(is_deleted=False).select_related("community"), thread_index)
        ],
        facet_labels=_tag_labels,
        position=1,
    ),
    DocumentType(
        name=POST,
        label=_("Replies"),
        read_action=Action.THREAD_READ,
        sources=lambda: [
            (
                Post.objects.filter(number__gt=1, thread__is_deleted=False).select_related(
                    "thread__community"
                ),
                post_index,
            )
        ],
        position=2,
    ),
    DocumentType(
        name=MESSAGE,
        label=_("Chat"),
        read_action=Action.CHAT_READ,
        sources=lambda: [
            (
                ChatMessage.objects.filter(is_deleted=False).select_related("room__community"),
                message_index,
            )
        ],
        position=3,
    ),
]
