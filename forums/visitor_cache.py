"""Visitors' pages, rendered once and cached, and the versions they are keyed by.

Most readers are not signed in, and for them a thread page or a thread list is the same for
everyone who reads it in the same language, zone and theme. Two versions say when it changes:

- ``Thread.version``: bumped by every change to what the thread's page or its row in a list
  shows: a post written, edited, hidden, deleted or reacted to (forums/services/derived.py), any
  save of the thread (title, pin, lock, answer, counts, move, deletion), its tags, and what an
  author shows of themselves (below);
- ``Community.activity_version``: bumped with every thread version of the community, and by its
  tags: what the community's thread lists show.

``core.pagecache.visitor_page`` caches a whole visitor's page under such a version, with a slot
for the CSRF token that is filled per request; ``visitor_posts_page`` the posts of a page of a
thread.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from core import versions
from core.models import Community
from forums.models import Thread

VISITOR_PAGE_SECONDS = 600
# A thread list shows times as "3 minutes ago": a list cached longer would show them staler.
VISITOR_LIST_SECONDS = 30


def visitor_posts_page(*, thread: Thread, page: int, render: Callable[[], dict]) -> dict:
    """The cached rendering of page ``page`` of ``thread`` for visitors, or ``render()``'s,
    stored for next time (a dict: ``html`` and ``last_number``)."""
    zone = get_current_timezone_name()
    key = f"thread-posts:{thread.pk}:{thread.version}:{page}:{get_language()}:{zone}"
    cached = cache.get(key)
    if cached is None:
        cached = render()
        cache.set(key, cached, VISITOR_PAGE_SECONDS)
    return cached


def community_shown(community: Community) -> int:
    """A digest of what a community's pages show of it (its names, edited in the admin)."""
    return zlib.crc32(
        "\x1f".join(
            (community.slug, community.name_en, community.name_ru, community.name_kk)
        ).encode()
    )


def community_bump(*community_ids: int) -> None:
    """The communities' thread lists changed: visitors' cached lists of them are stale."""
    Community.objects.filter(pk__in=community_ids).update(
        activity_version=F("activity_version") + 1
    )
    versions.bump(versions.THREADS)  # threads citing a resource are on its page


def threads_bump(threads) -> None:
    """What these threads (a queryset) show changed: their pages and their communities' lists.
    The one place ``Thread.version`` moves: each thread's own content version moves with it
    (``core.versions.thread``: what visitors' pages of it are keyed by)."""
    rows = list(threads.values_list("pk", "community_id"))
    threads.update(version=F("version") + 1)
    if rows:
        versions.bump(
            *(versions.thread(pk) for pk, _community in rows), seconds=versions.THREAD_SECONDS
        )
        community_bump(*{community for _pk, community in rows})


def thread_deleted(sender, instance, **kwargs) -> None:
    """post_delete of a thread (a community's or an author's content removed with them): a
    visitor's cached page of it must not be served."""
    versions.bump(versions.thread(instance.pk), seconds=versions.THREAD_SECONDS)


def thread_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """post_save of a thread: any change but its version alone is something its page or its
    row shows."""
    if raw or (update_fields is not None and set(update_fields) <= {"version"}):
        return
    threads_bump(Thread.objects.filter(pk=instance.pk))


def thread_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of threads' tags, from either side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        threads_bump(Thread.objects.filter(pk=instance.pk))
    elif pk_set:
        threads_bump(Thread.objects.filter(pk__in=pk_set))
    else:  # tag.threads.clear(): the links are gone, the tag's community is what is known
        community_bump(instance.community_id)


def tag_saved(sender, instance, raw=False, **kwargs):
    """A tag added or renamed: the lists' tag filter and the rows that show it."""
    if raw:
        return
    threads_bump(Thread.objects.filter(tags=instance))
    community_bump(instance.community_id)


def tag_deleted(sender, instance, **kwargs):
    """pre_delete of a tag: its links go without m2m_changed, so bump while they are there."""
    threads_bump(Thread.objects.filter(tags=instance))
    community_bump(instance.community_id)


# What a post shows of its author: a change to any of these (a rename, a new photo, a privacy
# choice, an erasure) makes every cached visitors' page of their threads stale.
AUTHOR_SHOWN_FIELDS = frozenset(
    {
        "username", "display_name", "avatar", "country", "organisation", "deleted",
        "profile_audience", "country_audience", "organisation_audience",
    }
)  # fmt: skip


def author_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """post_save of a user: when what their posts show of them may have changed, the threads
    they wrote in get a new version (so visitors never see a detail the author has since
    hidden). Sign-ins (``last_login``) and other saves of other fields cost nothing."""
    if created or (update_fields is not None and not AUTHOR_SHOWN_FIELDS & set(update_fields)):
        return
    threads_bump(Thread.objects.filter(posts__author=instance).distinct())
