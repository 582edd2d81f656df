"""What is derived from posts and kept current in the transaction that changes them: the search
index, the library's "discussed in" links, and the versions that cached renderings are keyed
by (the thread's, for visitors' pages; the post's, for its fragment)."""

from __future__ import annotations

from django.db.models import F

from forums.indexing import post_index
from forums.models import Post, Thread
from forums.services.citations import citations_update
from forums.visitor_cache import threads_bump


def post_changed(post: Post) -> None:
    """A post was written, edited, hidden or deleted: index, citations and cached pages follow.
    Call inside the transaction of the change."""
    post_index(post)
    citations_update(post=post)
    posts_changed(thread_id=post.thread_id, post_id=post.pk)


def posts_changed(*, thread_id: int, post_id: int | None = None) -> None:
    """What the thread's posts show has changed (a reaction, an accepted answer): visitors'
    cached pages of it are stale, and so is the cached fragment of post ``post_id``."""
    threads_bump(Thread.objects.filter(pk=thread_id))
    if post_id is not None:
        Post.objects.filter(pk=post_id).update(version=F("version") + 1)


def thread_lock(thread: Thread) -> Thread:
    """The thread's row, locked until the end of the transaction, with its community."""
    return Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
