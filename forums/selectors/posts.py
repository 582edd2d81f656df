"""Reads of a thread's posts: pages of posts with what their template shows, read markers,
revisions, and the page arithmetic of post numbers."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import django
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from core.permissions import Viewer
from forums.models import Post, PostRevision, Thread, ThreadReadState

POSTS_PER_PAGE = 20


@dataclass
class PostPage:
    posts: list[Post]
    page: int
    pages: int
    first_unread: int | None = None
    # The reader's stored read marker as it was before this page was shown (None: none yet).
    read_state: ThreadReadState | None = None


def page_of_number(number: int, per_page: int = POSTS_PER_PAGE) -> int:
    """The page that shows post ``number``."""
    return max(1, (number - 1) // per_page + 1)


def page_window(*, page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a few around ``page``; None marks a gap.

    Its length does not grow with the thread, so a 500-page thread's navigation costs what a
    5-page one does."""
    shown = {1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)}
    window: list[int | None] = []
    for number in sorted(shown):
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def thread_posts_page(
    *, thread: Thread, user: Viewer, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> PostPage:
    """Page ``page`` of a thread (clamped to the pages there are): posts numbered
    ((page-1)*per_page, page*per_page], with the reader's first unread post and read marker.

    Posts are found by their stored number (an index range), not by OFFSET, so the last page of
    a 10,000-post thread costs the same as the first. Authors and quoted posts come in the same
    query; reactions and the reader's marks come with the fragments (forums/fragments.py).
    """
    shape = thread_page_shape(thread=thread, user=user, page=page, per_page=per_page)
    shape.posts = thread_page_posts(thread=thread, page=shape.page, per_page=per_page)
    return shape


def thread_page_shape(
    *, thread: Thread, user: Viewer, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> PostPage:
    """Page ``page`` of a thread as thread_posts_page gives it, without its posts (a page
    served from the cache needs only its number and the reader's marker)."""
    pages = page_of_number(max(thread.last_post_number, 1), per_page)
    page = min(max(page, 1), pages)
    state = thread_read_state(thread=thread, user=user)
    return PostPage(
        posts=[],
        page=page,
        pages=pages,
        first_unread=_first_unread(thread, user, state),
        read_state=state,
    )


def thread_page_posts(*, thread: Thread, page: int, per_page: int = POSTS_PER_PAGE) -> list[Post]:
    """The posts of page ``page`` (an existing page: thread_page_shape clamps)."""
    return _page_posts(thread, (page - 1) * per_page + 1, per_page)


def _page_posts(thread: Thread, start: int, per_page: int) -> list[Post]:
    """The posts numbered [start, start + per_page), kept in the cache under the thread's
    version (which moves with every change to what they show: forums/visitor_cache.py), so a
    page read again costs no query and no model building."""
    key = f"page-posts:{thread.pk}:{thread.version}:{start}:{per_page}:{_SHAPE}"
    posts = cache.get(key)
    if posts is None:
        posts = list(
            _posts_qs(thread)
            .filter(number__gte=start, number__lt=start + per_page)
            .order_by("number")
        )
        cache.set(key, posts, PAGE_POSTS_SECONDS)
    return posts


PAGE_POSTS_SECONDS = 600


def posts_after(*, thread: Thread, user: Viewer, after: int, limit: int = 50) -> list[Post]:
    """New posts for the live thread page (after the number the page already shows)."""
    return list(_posts_qs(thread).filter(number__gt=after).order_by("number")[:limit])


def thread_read_state(*, thread: Thread, user: Viewer) -> ThreadReadState | None:
    """The user's read marker in the thread (None for visitors and before the first read);
    from ``thread.last_read`` when thread_get loaded it with the thread."""
    if not user.is_authenticated:
        return None
    if hasattr(thread, "last_read"):
        if thread.last_read is None:
            return None
        return ThreadReadState(user=user, thread=thread, last_read_number=thread.last_read)
    return ThreadReadState.objects.filter(user=user, thread=thread).first()


def _first_unread(thread: Thread, user: Viewer, state: ThreadReadState | None) -> int | None:
    if not user.is_authenticated:
        return None
    last_read = state.last_read_number if state else 0
    return last_read + 1 if last_read < thread.last_post_number else None


def thread_first_unread(*, thread: Thread, user: Viewer) -> int | None:
    """The number of the first post ``user`` has not seen (None: all seen, or a visitor)."""
    return _first_unread(thread, user, thread_read_state(thread=thread, user=user))


def _posts_qs(thread: Thread) -> QuerySet[Post]:
    """Posts with what their fragments are keyed by and show: authors and quoted posts' authors
    (reactions and the reader's marks come with the fragments, forums/fragments.py)."""
    return (
        Post.objects.filter(thread=thread)
        .select_related("author", "quoted__author")
        .only(*_POST_FIELDS)
    )


# What a post's fragment is keyed by and shows (forums/fragments.render_posts): not its
# Markdown source, nor anything of the quoted post but its number and author.
_POST_FIELDS = (
    "thread_id", "number", "author_id", "html", "language", "quoted_id", "created", "edited_at",
    "is_deleted", "is_hidden", "hidden_reason", "version",
    "author__username", "author__display_name", "author__country", "author__organisation",
    "author__avatar", "author__deleted", "author__is_staff", "author__is_active",
    "author__profile_audience", "author__country_audience", "author__organisation_audience",
    "author__email_audience",
    "quoted__number", "quoted__author_id", "quoted__author__username",
    "quoted__author__display_name", "quoted__author__deleted",
)  # fmt: skip


# Cached pages of posts are pickled model instances: a release that reads other fields, or
# another Django, reads its own.
_SHAPE = zlib.crc32(f"{django.__version__}:{','.join(_POST_FIELDS)}".encode())


def post_get(*, post_id: int) -> Post:
    """A post of a live thread, with its thread, community and author; Http404 otherwise."""
    post = Post.objects.select_related("thread__community", "author").filter(pk=post_id).first()
    if post is None or post.thread.is_deleted:
        raise Http404("post")
    return post


def post_get_visible(*, thread: Thread, post_id: int) -> Post | None:
    """A post of ``thread`` that readers can see (to quote it), or None."""
    post = Post.objects.filter(thread=thread, pk=post_id).select_related("author").first()
    return post if post is not None and post.is_visible else None


def post_revisions(*, post: Post) -> list[PostRevision]:
    """The post's earlier versions, newest first, with their editors."""
    return list(post.revisions.select_related("editor").order_by("-created", "-id"))
