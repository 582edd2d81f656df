"""Visitors' pages of posts, rendered once and cached.

Most readers are not signed in, and for them a page of posts is the same for everyone: it is
rendered once per thread version (bumped by every change to what its posts show, see
forums/services/derived.py, and by every change to what an author shows of themselves, below),
language and time zone (post times are shown in the reader's), and cached. The rest of the page
(header, forms with their CSRF token) is rendered per request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from forums.models import Thread

VISITOR_PAGE_SECONDS = 600


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
    Thread.objects.filter(posts__author=instance).update(version=F("version") + 1)
