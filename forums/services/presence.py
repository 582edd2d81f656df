"""Who is in a chat room: one row per open connection, shared by every server process."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forums.frames import person_frame
from forums.models import ChatPresence, ChatRoom

__all__ = ["presence_enter", "presence_leave", "presence_list", "presence_touch"]

# A connection that has not pinged for this long no longer counts (its process died).
PRESENCE_STALE = timedelta(seconds=150)
PRESENCE_LIST_MAX = 200


def presence_enter(*, room: ChatRoom, user: User, channel_name: str) -> bool:
    """Record an open connection; True if it is the person's first in the room (announce)."""
    now = timezone.now()
    with transaction.atomic():
        first = not ChatPresence.objects.filter(
            room=room, user=user, last_seen__gt=now - PRESENCE_STALE
        ).exists()
        ChatPresence.objects.update_or_create(
            channel_name=channel_name, defaults={"room": room, "user": user, "last_seen": now}
        )
    return first


def presence_leave(*, room: ChatRoom, user: User, channel_name: str) -> bool:
    """Forget a connection; True if the person has no other connection in the room left."""
    now = timezone.now()
    with transaction.atomic():
        ChatPresence.objects.filter(channel_name=channel_name).delete()
        return not ChatPresence.objects.filter(
            room=room, user=user, last_seen__gt=now - PRESENCE_STALE
        ).exists()


def presence_touch(*, channel_name: str) -> None:
    """A connection is alive (its client pinged): it keeps counting as present."""
    ChatPresence.objects.filter(channel_name=channel_name).update(last_seen=timezone.now())


def presence_list(*, room: ChatRoom) -> list[dict]:
    """Who is in the room now, as presence frames show people (one entry per person; at most
    PRESENCE_LIST_MAX, which is more than a list on a page can usefully show)."""
    since = timezone.now() - PRESENCE_STALE
    users = (
        User.objects.filter(
            pk__in=ChatPresence.objects.filter(room=room, last_seen__gt=since).values("user_id")
        )
        .only("id", "username", "display_name")
        .order_by("display_name", "username")[:PRESENCE_LIST_MAX]
    )
    return [person_frame(u) for u in users]
