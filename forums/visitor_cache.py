"""Visitors' pages of posts, rendered once and cached.

Most readers are not signed in, and for them a page of posts is the same for everyone: it is
rendered once per thread version (bumped by every change to what its posts show, see
forums/services/derived.py), language and time zone (post times are shown in the reader's),
and cached. The rest of the page (header, forms with
their CSRF token) is rendered per request. Author details shown in posts may lag up to
VISITOR_PAGE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
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
