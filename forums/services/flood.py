"""How fast one person may send chat messages, across all their connections and processes."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.models import User
from core.permissions import Refusal

logger = logging.getLogger(__name__)


def flood_check(user: User) -> None:
    """Count one message of ``user``; raise Refusal (code ``flood``) when it would be more than
    CHAT_FLOOD_MESSAGES in CHAT_FLOOD_SECONDS.

    A sliding-window counter in the cache (Redis in production, so all processes share it):
    the previous window's count weighted by how much of it still overlaps, plus this window's.
    If the cache is unreachable the message goes through: the limiter protects the room from
    floods, it must not turn a Redis outage into lost messages (the database is the record).
    """
    window = settings.CHAT_FLOOD_SECONDS
    limit = settings.CHAT_FLOOD_MESSAGES
    now = time.time()
    bucket = int(now // window)
    key = f"chatflood:{user.pk}:{bucket}"
    try:
        counts = cache.get_many([f"chatflood:{user.pk}:{bucket - 1}", key])
    except Exception:
        logger.warning("chat flood limit skipped: the cache is unreachable", exc_info=True)
        return
    previous = counts.get(f"chatflood:{user.pk}:{bucket - 1}", 0)
    current = counts.get(key, 0)
    overlap = 1 - (now % window) / window
    if previous * overlap + current >= limit:
        raise Refusal(
            _("You are sending messages too quickly. Wait a few seconds and try again."), "flood"
        )
    try:
        if not cache.add(key, 1, timeout=window * 2 + 1):
            cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window * 2 + 1)  # expired between add and incr
    except Exception:
        logger.warning("chat flood limit not counted: the cache is unreachable", exc_info=True)
