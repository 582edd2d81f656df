"""The frames of the realtime protocol (docs/realtime.md), built in this one place for the
services that announce them, the consumers that send them and the history endpoint."""

from __future__ import annotations

from accounts.models import User
from core import markup
from core.avatars import avatar_of
from forums.models import ChatMessage

PRESENCE_KEYS = ("joined", "left", "users")


def person_frame(user: User) -> dict:
    """A person as presence and typing frames show them."""
    return {"id": user.pk, "username": user.username, "name": user.name}


def message_frame(message: ChatMessage) -> dict:
    """The ``message`` frame for one stored message. Expects ``author``, ``reply_to__author``
    and ``thread__community`` loaded (the selectors do that), else it queries for them."""
    author = message.author
    reply = message.reply_to
    return {
        "type": "message",
        "seq": message.seq,
        "id": message.pk,
        "author": {
            "id": author.pk if author else None,
            "username": author.username if author else "",
            "name": author.name if author else "",
            "url": author.get_absolute_url() if author else "",
            "avatar": avatar_of(author) if author else None,
        },
        "html": "" if message.is_deleted else message.html,
        "created": message.created.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
        "removed_by_moderator": message.removed_by_moderator,
        "client_id": message.client_id or None,
        "reply_to": (
            {
                "id": reply.pk,
                "seq": reply.seq,
                "author": reply.author.name if reply.author else "",
                "excerpt": "" if reply.is_deleted else markup.excerpt(reply.html, 100),
            }
            if reply
            else None
        ),
        "thread_url": message.thread.get_absolute_url() if message.thread_id else None,
    }


def update_frame(message: ChatMessage) -> dict:
    """The ``update`` frame: a stored message changed (edited, deleted, turned into a thread)."""
    return {**message_frame(message), "type": "update"}


def presence_frame(event: dict) -> dict:
    """The ``presence`` frame of a ``chat.presence`` event (an arrival, a departure, a list)."""
    return {"type": "presence", **{k: v for k, v in event.items() if k in PRESENCE_KEYS}}
