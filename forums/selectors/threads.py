"""Reads of thread lists and single threads, with their query shape decided here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime

from core import permissions
from core.models import Community
from core.permissions import Action, Viewer
from forums.models import Bookmark, Report, Tag, Thread, ThreadFollow, ThreadReadState

THREADS_PER_PAGE = 30
THREAD_FILTERS = ("unanswered", "solved", "following")


@dataclass
class ThreadPage:
    pinned: list[Thread]
    threads: list[Thread]
    next_cursor: str | None
    filter: str = ""
    tag: Tag | None = None


# The thread list's "more" cursor: (last_activity, id) of the last thread shown, signed so that
# only cursors this site made are decoded, and refused unread when longer than one can be.
_CURSORS = Signer(salt="forums.thread-list")
CURSOR_MAX_CHARS = 200


def _cursor_encode(thread: Thread) -> str:
    return _CURSORS.sign_object([thread.last_activity.isoformat(), thread.pk])


def _cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    """The position a cursor names, or None (start at the first page) for anything else."""
    if len(cursor) > CURSOR_MAX_CHARS:
        return None
    try:
        when, pk = _CURSORS.unsign_object(cursor)
    except (BadSignature, ValueError, TypeError):
        return None
    parsed = parse_datetime(when) if isinstance(when, str) else None
    if parsed is None or isinstance(pk, bool) or not isinstance(pk, int):
        return None
    return parsed, pk


# What a thread list reads of each thread: its keyset, the version its cached row is kept under
# (forums/fragments.render_thread_rows) and what the reader's unread state needs. A row the
# cache does not hold is read whole (thread_rows).
_LIST_FIELDS = (
    "community_id", "is_pinned", "last_activity", "last_post_number", "version",
)  # fmt: skip

# What a thread list row shows.
_ROW_FIELDS = (
    "community_id", "title", "language", "is_pinned", "is_locked", "created", "last_activity",
    "reply_count", "last_post_number", "last_post_id", "accepted_post_id", "version",
    "author__username", "author__display_name", "author__avatar", "author__deleted",
    "last_poster__username", "last_poster__display_name", "last_poster__deleted",
)  # fmt: skip


def _thread_list_qs(*, community: Community, user: Viewer) -> QuerySet[Thread]:
    qs = Thread.objects.filter(community=community, is_deleted=False).only(*_LIST_FIELDS)
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


def thread_rows(*, community: Community, thread_ids: list[int]) -> dict[int, Thread]:
    """By id, these threads of ``community`` with everything their row in a list shows (author,
    last poster, tags): for the rows the cache does not hold."""
    threads = list(
        Thread.objects.filter(pk__in=thread_ids, community=community)
        .select_related("author", "last_poster")
        .only(*_ROW_FIELDS)
    )
    tags = _tags_of(threads)
    for thread in threads:
        thread.community = community
        thread.tag_list = tags.get(thread.pk, [])
    return {thread.pk: thread for thread in threads}


def thread_list(
    *,
    community: Community,
    user: Viewer,
    cursor: str = "",
    tag_slug: str = "",
    filter: str = "",
    limit: int = THREADS_PER_PAGE,
) -> ThreadPage:
    """A page of a community's live threads: pinned ones first (on the first page), then by last
    activity, paginated by keyset on (last_activity, id) so every page costs the same. Each
    thread says ``has_unread`` and ``first_unread`` for ``user``. An unknown filter lists all
    threads; an unknown tag raises Http404; a cursor that does not decode starts at page 1.
    Threads carry what their row shows (``tag_list`` included) and nothing else."""
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
    position = _cursor_decode(cursor) if cursor else None
    if position:
        when, pk = position
        pinned = []
        rest = qs.filter(is_pinned=False).filter(
            Q(last_activity__lt=when) | Q(last_activity=when, id__lt=pk)
        )
        threads = list(rest.order_by("-last_activity", "-id")[: limit + 1])
    else:
        pinned, threads = _first_page(qs, limit)
    next_cursor = _cursor_encode(threads[limit - 1]) if len(threads) > limit else None
    threads = threads[:limit]
    for thread in [*pinned, *threads]:
        thread.community = community  # the one community: no join, no instance per row
        last_read = getattr(thread, "last_read", None)
        thread.has_unread = user.is_authenticated and thread.last_post_number > (last_read or 0)
        thread.first_unread = (last_read or 0) + 1
    return ThreadPage(
        pinned=pinned, threads=threads, next_cursor=next_cursor, filter=filter, tag=tag
    )


# The first page reads its pinned threads and the first others in one query (one scan of the
# thread_list index) when there are no more pinned threads than this; else two more queries
# read them apart.
PINNED_IN_ONE_QUERY = 10


def _first_page(qs: QuerySet[Thread], limit: int) -> tuple[list[Thread], list[Thread]]:
    """All pinned threads, and the first ``limit`` + 1 others (one more: is there a next page?)."""
    wanted = PINNED_IN_ONE_QUERY + limit + 1
    rows = list(qs.order_by("-is_pinned", "-last_activity", "-id")[:wanted])
    pinned = [thread for thread in rows if thread.is_pinned]
    others = [thread for thread in rows if not thread.is_pinned]
    if len(rows) == wanted and len(others) < limit + 1:
        # More pinned threads than the allowance: some of them, or some others, were cut off.
        pinned = list(qs.filter(is_pinned=True).order_by("-last_activity", "-id"))
        others = list(qs.filter(is_pinned=False).order_by("-last_activity", "-id")[: limit + 1])
    return pinned, others


def _tags_of(threads: list[Thread]) -> dict[int, list[Tag]]:
    """Per thread id, its tags by name, in one query. A plain dict, not prefetch_related: a
    prefetched queryset and its thread point at each other (a cycle kept until a full
    collection)."""
    found: dict[int, list[Tag]] = {}
    if not threads:
        return found
    links = (
        Thread.tags.through.objects.filter(thread_id__in=[t.pk for t in threads])
        .select_related("tag")
        .order_by("tag__name")
    )
    for link in links:
        found.setdefault(link.thread_id, []).append(link.tag)
    return found


def thread_list_recent(
    *, community_ids: list[int], per_community: int = 3
) -> dict[int, list[Thread]]:
    """Per community id, its latest active threads (one query per community: a handful)."""
    result: dict[int, list[Thread]] = {}
    for community_id in community_ids:
        result[community_id] = list(
            Thread.objects.filter(community_id=community_id, is_deleted=False)
            .select_related("last_poster", "community")
            .order_by("-last_activity", "-id")[:per_community]
        )
    return result


# What a member's home shows of a new thread.
_NEW_FIELDS = (
    "community_id", "title", "language", "created", "reply_count", "last_post_number",
    "author__username", "author__display_name", "author__avatar", "author__deleted",
)  # fmt: skip


def thread_list_new(
    *, user: Viewer, communities: list[Community], since: datetime, limit: int = 8
) -> list[Thread]:
    """The live threads that others started in these communities since ``since``, newest
    first (one query, whatever the number of communities), for a member's home. Each thread
    carries its community (one of ``communities``: no join), its author, and ``has_unread`` /
    ``first_unread`` for ``user``."""
    by_id = {community.pk: community for community in communities}
    if not by_id:
        return []
    qs = (
        Thread.objects.filter(community_id__in=list(by_id), is_deleted=False, created__gte=since)
        .select_related("author")
        .only(*_NEW_FIELDS)
    )
    if user.is_authenticated:
        qs = qs.exclude(author=user).annotate(
            last_read=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_number"
                )[:1]
            )
        )
    threads = list(qs.order_by("-created", "-id")[:limit])
    for thread in threads:
        thread.community = by_id[thread.community_id]
        last_read = getattr(thread, "last_read", None) or 0
        thread.has_unread = user.is_authenticated and thread.last_post_number > last_read
        thread.first_unread = last_read + 1
    return threads


def thread_get(
    *, community: Community, thread_id: int, user: Viewer, with_tags: bool = True
) -> Thread:
    """A live thread of this community, readable by ``user``; Http404 if there is none (or it
    was deleted), Refusal if ``user`` may not read it. For a signed-in user,
    ``thread.is_following`` says whether they follow it and ``thread.last_read`` how far they
    have read (same query); ``thread.tag_list`` holds its tags (unless not ``with_tags``: a
    page served from the cache shows them without asking)."""
    qs = Thread.objects.filter(pk=thread_id, community=community)
    if user.is_authenticated:
        qs = qs.annotate(
            is_following=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user=user)),
            last_read=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_number"
                )[:1]
            ),
        )
    # Not .first(): ordering the one row by its key would only add compiling.
    found = list(qs[:1])
    thread = found[0] if found else None
    if thread is None or thread.is_deleted:
        raise Http404("thread")
    thread.community = community  # the one loaded already: no join
    permissions.check(user, Action.THREAD_READ, community)
    # A plain list, not prefetch_related: a prefetched queryset and its thread point at each
    # other, a cycle that outlives the request until a full collection.
    if with_tags:
        thread.tag_list = thread_tags(thread=thread)
    return thread


def thread_tags(*, thread: Thread) -> list[Tag]:
    """The thread's tags, by name: kept in the cache under the thread's version, which moves
    when its tags or a tag's name change (forums/visitor_cache.py)."""
    key = f"thread-tags:{thread.pk}:{thread.version}"
    tags = cache.get(key)
    if tags is None:
        tags = list(Tag.objects.filter(threads=thread))
        cache.set(key, tags, TAGS_SECONDS)
    return tags


TAGS_SECONDS = 600


def thread_find(*, thread_id: int) -> Thread:
    """A live thread in any community (to follow a thread that moved); Http404 if none."""
    thread = Thread.objects.select_related("community").filter(pk=thread_id).first()
    if thread is None or thread.is_deleted:
        raise Http404("thread")
    return thread


def thread_last_number(*, user: Viewer, thread_id: int) -> int | None:
    """For live thread pages: the number of the thread's last post if ``user`` may read the
    thread, else None (no such thread, deleted, or not readable)."""
    thread = Thread.objects.select_related("community").filter(pk=thread_id).first()
    if thread is None or thread.is_deleted:
        return None
    if not permissions.can(user, Action.THREAD_READ, thread.community):
        return None
    return thread.last_post_number


def tag_list(*, community: Community) -> list[Tag]:
    """The community's thread tags, by name: kept in the cache (every thread list shows them),
    dropped by every save or deletion of one of its tags (``tags_changed``)."""
    key = _tags_key(community.pk)
    tags = cache.get(key)
    if tags is None:
        tags = list(Tag.objects.filter(community=community).order_by("name"))
        cache.set(key, tags, TAGS_SECONDS)
    return tags


def _tags_key(community_id: int) -> str:
    return f"community-tags:{community_id}"


def tags_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of a tag: its community's cached tags go, now and after the
    commit (a read between the two would have stored the old list)."""
    if raw:
        return
    key = _tags_key(instance.community_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def tag_get(*, community: Community, tag_id: int) -> Tag:
    """One of the community's tags; Http404 if it has none with this id."""
    return get_object_or_404(Tag, community=community, pk=tag_id)


def reports_open() -> QuerySet[Report]:
    """Every open report on a post, in any community: the report queue and its count."""
    return Report.objects.filter(status=Report.Status.OPEN)


def report_list_open(*, community: Community, limit: int | None = None) -> list[Report]:
    """Open reports on posts of the community, newest first, with post, thread and people."""
    reports = (
        reports_open()
        .filter(post__thread__community=community)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("-created", "-id")
    )
    return list(reports[:limit] if limit else reports)


def report_get(*, community: Community, report_id: int) -> Report:
    """A report on a post of this community; Http404 otherwise."""
    return get_object_or_404(
        Report.objects.select_related("post__thread__community"),
        pk=report_id,
        post__thread__community=community,
    )


def bookmark_list(*, user: Viewer, limit: int = 100) -> list[Bookmark]:
    """The user's bookmarks of posts in live threads, newest first."""
    return list(
        Bookmark.objects.filter(user=user, post__thread__is_deleted=False)
        .select_related("post__thread__community", "post__author")
        .order_by("-created")[:limit]
    )
