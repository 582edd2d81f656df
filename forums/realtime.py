"""Doorbells on the channel layer. Call these from ``transaction.on_commit`` only.

The layer is never the record: every frame here tells clients that something committed to the
database changed; a client that misses one catches up from the database (``sync`` for chat, a
page load or partial fetch for threads and the badge).
"""

from __future__ import annotations

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def room_group(room_id: int) -> str:
    return f"chat.{room_id}"


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        # The write is committed; clients catch up from the database. Losing a doorbell must
        # never turn a successful write into an error for the writer.
        logger.exception("channel layer: could not announce %s to %s", event.get("type"), group)


def announce_chat(*, room_id: int, frame: dict) -> None:
    """A chat frame (message, update) for everyone in the room. It is also sent encoded once
    here, so that a room of N connections does not run json.dumps N times per message."""
    _send(room_group(room_id), {"type": "chat.frame", "frame": frame, "text": json.dumps(frame)})


def announce_thread_post(*, thread_id: int, number: int) -> None:
    """A new post in a thread: live thread pages show "N new replies"."""
    _send(thread_group(thread_id), {"type": "thread.post", "thread": thread_id, "number": number})


def announce_notifications(*, user_ids: list[int]) -> None:
    """These people's inboxes changed: their live badges fetch the new count."""
    for user_id in set(user_ids):
        _send(user_group(user_id), {"type": "user.notifications"})


def announce_membership_change(*, user_id: int, community_id: int) -> None:
    """Someone's membership changed: their chat connections in that community check again."""
    _send(user_group(user_id), {"type": "user.membership", "community": community_id})


def announce_session_end(*, user_id: int, session_key: str) -> None:
    """A session ended (sign-out): the connections opened with it close."""
    _send(user_group(user_id), {"type": "user.logout", "session_key": session_key})
