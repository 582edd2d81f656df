"""Doorbells on the channel layer: every broadcast of every app goes through here.

The layer is never the record. A doorbell tells connected clients that something committed to
the database changed; a client that misses one catches up from the database (``sync`` for chat,
a page load or a partial fetch for threads and the badge). So:

- writes ring with :func:`send_event_on_commit`, inside their transaction: a rolled-back write
  never announces itself, and a committed one is announced after it is visible;
- a doorbell that cannot be delivered (the layer is down) is logged and dropped; it never turns
  a successful write into an error for the writer.

Ephemeral events that record nothing (typing, presence) use :func:`asend_event` from async code.
"""

from __future__ import annotations

import json
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core import metrics

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """The group of every connection a person has open (badge, membership and sign-out)."""
    return f"user.{user_id}"


def encoded(event: dict, frame: dict) -> dict:
    """``event`` carrying ``frame`` already JSON-encoded (``text``): a group of N connections
    then sends the same string N times instead of encoding it N times."""
    return {**event, "text": json.dumps(frame)}


def send_event(group: str, event: dict) -> None:
    """Ring ``group`` now, from synchronous code. Prefer :func:`send_event_on_commit`."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        # When it was rung: the fan-out measures from here (core/metrics.py).
        async_to_sync(layer.group_send)(group, {**event, "rung": time.time()})
    except Exception:
        metrics.LAYER_ERRORS.labels("send").inc()
        logger.exception("channel layer: could not announce %s to %s", event.get("type"), group)


async def asend_event(group: str, event: dict) -> None:
    """Ring ``group`` now, from async code (presence, typing: nothing to commit first)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(group, event)
    except Exception:
        metrics.LAYER_ERRORS.labels("send").inc()
        logger.warning("channel layer: could not announce %s", event.get("type"), exc_info=True)


def send_event_on_commit(group: str, event: dict) -> None:
    """Ring ``group`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: send_event(group, event))


def announce_membership_change(*, user_id: int, community_id: int) -> None:
    """Someone's membership changed: their chat connections in that community check again.
    Call inside the transaction that changed it."""
    send_event_on_commit(
        user_group(user_id), {"type": "user.membership", "community": community_id}
    )


def announce_session_end(*, user_id: int, session_key: str) -> None:
    """A session ended (sign-out): the connections opened with it close."""
    send_event_on_commit(user_group(user_id), {"type": "user.logout", "session_key": session_key})
