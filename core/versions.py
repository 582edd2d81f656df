"""Content versions: a counter per kind of content that moves with every change to it. A
cached page is stored under the versions of what it shows, read before its content is; every
change moves them at once and again after its commit. So a page rendered from rows older than
a change is stored under a version the change has already moved past, and is never used again.

The counters live in the cache, without expiry. One that is gone (Redis restarted or evicted
it, or is away) starts again from the clock in nanoseconds: a value no earlier counter of that
name reached, so nothing stored under an older one is ever read.

The names:

- ``library``: resources, their communities, tags and files; collections and their items;
  communities (the library's filters and cards, a resource's page, a community's home);
- ``search``: the search index (every ``document_store`` and ``document_remove``, a rebuild)
  and communities (results name them);
- ``events``: events and who registered for them;
- ``people``: memberships and what a person shows of themselves;
- ``rooms``: chat rooms;
- ``threads``: any thread of any community (moved with every ``Community.activity_version``):
  the threads that cite a resource, on its page;
- ``thread:<id>``: one thread, moved with its ``Thread.version`` and when it is deleted: a
  visitor's page of it is keyed by this, so that serving it asks the database nothing. These
  expire (``THREAD_SECONDS``); one that expired starts again like one the cache lost.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

LIBRARY = "library"
SEARCH = "search"
EVENTS = "events"
PEOPLE = "people"
ROOMS = "rooms"
THREADS = "threads"
THREAD_SECONDS = 3600


def thread(thread_id: int) -> str:
    """The name of one thread's version."""
    return f"thread:{thread_id}"


def room(room_id: int) -> str:
    """The name of one chat room's version: its messages (kept ``THREAD_SECONDS`` too)."""
    return f"room:{room_id}"


def _key(name: str) -> str:
    return f"version:{name}"


def bump(*names: str, seconds: int | None = None) -> None:
    """Move these versions now and again once the current transaction commits. ``seconds``:
    how long one made anew is kept (counters of many small things, such as one per thread,
    expire; one that expired starts again above anything it held, like one the cache lost)."""
    keys = [_key(name) for name in sorted(set(names))]
    _move(keys, seconds)
    transaction.on_commit(lambda: _move(keys, seconds))


def bumper(*names: str, ignore: frozenset[str] = frozenset()):
    """A signal receiver (post_save, post_delete, m2m_changed) that moves these versions; a
    save of only the fields in ``ignore`` (``update_fields``) moves nothing, nor does loading
    fixtures (``raw``) or an m2m_changed signal before the change."""

    def receiver(sender, raw=False, update_fields=None, action=None, **kwargs) -> None:
        if raw or (action is not None and not action.startswith("post_")):
            return
        if update_fields is not None and ignore and set(update_fields) <= ignore:
            return
        bump(*names)

    return receiver


def _move(keys: list[str], seconds: int | None = None) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # gone: a new start, above anything it held
            cache.add(key, time.time_ns(), seconds)


def current(*names: str, seconds: int | None = None) -> str:
    """The versions of ``names`` as one string for a cache key (one round trip to the cache);
    ``seconds`` as for ``bump``."""
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), seconds)
            # None: the cache is away (or lost it at once); a value that matches nothing.
            found[key] = cache.get(key) or f"n{time.time_ns()}"
    return ".".join(str(found[key]) for key in keys)
