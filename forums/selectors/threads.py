"""Reads of threads, posts and chat, with their query shape decided here."""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.dateparse import parse_datetime

from cop import permissions
from cop.models import Community
from cop.permissions import Action
from forums.models import (
    Bookmark,
    Post,
    Reaction,
    Report,
    Tag,
    Thread,
    ThreadFollow,
    ThreadReadState,
)

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20


# --- Thread list ---------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    pinned: list[Thread]
    threads: list[Thread]
    next_cursor: str | None
    filter: str = ""
    tag: Tag | None = None


def _encode_cursor(thread: Thread) -> str:
    raw = json.dumps([thread.last_activity.isoformat(), thread.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, pk = json.loads(raw)
        parsed = parse_datetime(when)
        if parsed is None or not isinstance(pk, int):
            return None
        return parsed, pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def _thread_list_qs(*, community: Community, user) -> QuerySet[Thread]:
    qs = (
        Thread.objects.filter(community=community, is_deleted=False)
        .select_related("author", "last_poster", "community")
        .prefetch_related("tags")
    )
    if user.is_authenticated:
        qs = qs.annotate(
            last_read=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_number"
                )[:1]
            ),
            is_following=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user=user)),
        )
    return qs


THREAD_FILTERS = ("unanswered", "solved", "following")


def thread_list(
    *,
    community: Community,
    user,
    cursor: str = "",
    tag_slug: str = "",
    filter: str = "",
    limit: int = THREADS_PER_PAGE,
) -> ThreadPage:
    """A page of a community's threads: pinned ones first (on the first page), then by last
    activity, paginated by keyset on (last_activity, id) so every page costs the same."""
    qs = _thread_list_qs(community=community, user=user)
    tag = None
    if tag_slug:
        tag = Tag.objects.filter(community=community, slug=tag_slug).first()
        if tag is None:
            raise Http404(tag_slug)
        qs = qs.filter(tags=tag)
    if filter == "unanswered":
        qs = qs.filter(reply_count=0)
    elif filter == "solved":
        qs = qs.filter(accepted_post__isnull=False)
    elif filter == "following" and user.is_authenticated:
        qs = qs.filter(is_following=True)
    else:
        filter = ""
    position = _decode_cursor(cursor) if cursor else None
    pinned = [] if position else list(qs.filter(is_pinned=True).order_by("-last_activity", "-id"))
    rest = qs.filter(is_pinned=False)
    if position:
        when, pk = position
        rest = rest.filter(Q(last_activity__lt=when) | Q(last_activity=when, id__lt=pk))
    threads = list(rest.order_by("-last_activity", "-id")[: limit + 1])
    next_cursor = _encode_cursor(threads[limit - 1]) if len(threads) > limit else None
    threads = threads[:limit]
    for thread in [*pinned, *threads]:
        last_read = getattr(thread, "last_read", None)
        thread.has_unread = user.is_authenticated and thread.last_post_number > (last_read or 0)
        thread.first_unread = (last_read or 0) + 1
    return ThreadPage(
        pinned=pinned, threads=threads, next_cursor=next_cursor, filter=filter, tag=tag
    )


def community_tags(*, community: Community) -> list[Tag]:
    return list(Tag.objects.filter(community=community).order_by("name"))


def recent_threads(*, community_ids: list[int], per_community: int = 3) -> dict[int, list[Thread]]:
    """The latest active threads of several communities (one query per community, small N)."""
    result: dict[int, list[Thread]] = {}
    for community_id in community_ids:
        result[community_id] = list(
            Thread.objects.filter(community_id=community_id, is_deleted=False)
            .select_related("last_poster", "community")
            .order_by("-last_activity", "-id")[:per_community]
        )
    return result


# --- One thread ----------------------------------------------------------------------------------


def thread_get(*, community: Community, thread_id: int, user) -> Thread:
    """A live thread of this community, readable by ``user`` (404 otherwise).

    For a signed-in user, ``thread.is_following`` says whether they follow it (same query)."""
    qs = (
        Thread.objects.select_related("community", "author", "accepted_post__author")
        .prefetch_related("tags")
        .filter(pk=thread_id, community=community)
    )
    if user.is_authenticated:
        qs = qs.annotate(
            is_following=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user=user))
        )
    thread = qs.first()
    if thread is None or thread.is_deleted:
        raise Http404("thread")
    permissions.check(user, Action.THREAD_READ, community)
    return thread


def thread_find(*, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("community").filter(pk=thread_id).first()
    if thread is None or thread.is_deleted:
        raise Http404("thread")
    return thread


def post_get(*, post_id: int) -> Post:
    post = Post.objects.select_related("thread__community", "author").filter(pk=post_id).first()
    if post is None or post.thread.is_deleted:
        raise Http404("post")
    return post


@dataclass
class PostPage:
    posts: list[Post]
    page: int
    pages: int
    first_unread: int | None = None
    reaction_kinds: list = field(default_factory=list)
    # The reader's stored read marker as it was before this page was shown (None: none yet).
    read_state: ThreadReadState | None = None


def page_of_number(number: int, per_page: int = POSTS_PER_PAGE) -> int:
    return max(1, (number - 1) // per_page + 1)


def thread_posts_page(
    *, thread: Thread, user, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> PostPage:
    """Page ``page`` of a thread: posts numbered ((page-1)*per_page, page*per_page].

    Posts are found by their stored number (an index range), not by OFFSET, so the last page of
    a 10,000-post thread costs the same as the first. Reactions, bookmarks, authors and quoted
    posts come in a constant number of queries, however many posts and authors there are.
    """
    pages = page_of_number(max(thread.last_post_number, 1), per_page)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page + 1
    posts = list(
        _posts_qs(thread).filter(number__gte=start, number__lt=start + per_page).order_by("number")
    )
    _decorate(posts, user, thread)
    state = thread_read_state(thread=thread, user=user)
    return PostPage(
        posts=posts,
        page=page,
        pages=pages,
        first_unread=_first_unread(thread, user, state),
        reaction_kinds=list(Reaction.Kind),
        read_state=state,
    )


def thread_read_state(*, thread: Thread, user) -> ThreadReadState | None:
    if not user.is_authenticated:
        return None
    return ThreadReadState.objects.filter(user=user, thread=thread).first()


def _first_unread(thread: Thread, user, state: ThreadReadState | None) -> int | None:
    if not user.is_authenticated:
        return None
    last_read = state.last_read_number if state else 0
    return last_read + 1 if last_read < thread.last_post_number else None


def thread_first_unread(*, thread: Thread, user) -> int | None:
    """The number of the first post ``user`` has not seen (None: all seen, or a visitor)."""
    return _first_unread(thread, user, thread_read_state(thread=thread, user=user))


def reaction_summary(post: Post, user) -> list[dict]:
    by_kind: dict[str, list] = defaultdict(list)
    reactions = getattr(post, "reaction_list", None)
    if reactions is None:  # a single post outside a page (e.g. after reacting)
        reactions = post.reactions.select_related("user").order_by("created", "id")
    for reaction in reactions:
        by_kind[reaction.kind].append(reaction.user)
    labels = dict(Reaction.Kind.choices)
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "count": len(by_kind[kind]),
            "names": ", ".join(u.name for u in by_kind[kind]),
            "mine": user.is_authenticated and any(u.pk == user.pk for u in by_kind[kind]),
        }
        for kind in Reaction.Kind.values
        if by_kind.get(kind)
    ]


def posts_after(*, thread: Thread, user, after: int, limit: int = 50) -> list[Post]:
    """New posts for the live thread page (after the number the page already shows)."""
    posts = list(_posts_qs(thread).filter(number__gt=after).order_by("number")[:limit])
    _decorate(posts, user, thread)
    return posts


def _posts_qs(thread: Thread) -> QuerySet[Post]:
    """Posts with what their template shows: authors, quoted posts, reactions and who reacted."""
    return (
        Post.objects.filter(thread=thread)
        .select_related("author", "quoted__author")
        .prefetch_related(
            # A plain list (to_attr): a related manager per post would build a queryset each.
            Prefetch(
                "reactions",
                queryset=Reaction.objects.select_related("user").order_by("created", "id"),
                to_attr="reaction_list",
            )
        )
    )


def _decorate(posts: list[Post], user, thread: Thread) -> None:
    """Set what the post template needs about the reader on each post: ``is_bookmarked``,
    ``reaction_summary``, ``can_edit``, ``can_delete`` (one query, for bookmarks)."""
    bookmarked: set[int] = set()
    if user.is_authenticated and posts:
        bookmarked = set(
            Bookmark.objects.filter(user=user, post__in=posts).values_list("post_id", flat=True)
        )
    community = thread.community
    for post in posts:
        post.thread = thread  # the permission rules look at the thread (locked?) through it
        post.is_bookmarked = post.pk in bookmarked
        post.reaction_summary = reaction_summary(post, user)
        post.can_edit = permissions.can(user, Action.POST_EDIT, community, obj=post)
        post.can_delete = not post.is_deleted and permissions.can(
            user, Action.POST_DELETE, community, obj=post
        )


def post_revisions(*, post: Post) -> list:
    return list(post.revisions.select_related("editor").order_by("-created", "-id"))


def open_reports(*, community: Community) -> list[Report]:
    reports = (
        Report.objects.filter(status=Report.Status.OPEN, post__thread__community=community)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("-created")
    )
    return list(reports)


def bookmarks_of(*, user, limit: int = 100) -> list[Bookmark]:
    return list(
        Bookmark.objects.filter(user=user, post__thread__is_deleted=False)
        .select_related("post__thread__community", "post__author")
        .order_by("-created")[:limit]
    )


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
