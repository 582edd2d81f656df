"""Reads of threads, posts and chat, with their query shape decided here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cop import permissions
from cop.models import Community
from cop.permissions import Action
from forums.models import (
    ChatMessage,
    ChatMute,
    ChatReadState,
    ChatRoom,
)

CHAT_PAGE = 50


# --- Chat -----------------------------------------------------------------------------------


def rooms_of(*, community: Community) -> list[ChatRoom]:
    return list(ChatRoom.objects.filter(community=community).order_by("is_archived", "slug"))


def room_get(*, community_slug: str, room_slug: str) -> ChatRoom:
    room = (
        ChatRoom.objects.select_related("community")
        .filter(community__slug=community_slug, slug=room_slug)
        .first()
    )
    if room is None:
        raise Http404("room")
    return room


def room_get_for_reader(*, user, community_slug: str, room_slug: str) -> ChatRoom:
    """The room if ``user`` may read it (signed in), else PermissionDenied / Http404."""
    room = room_get(community_slug=community_slug, room_slug=room_slug)
    permissions.check(user, Action.CHAT_READ, room.community)
    return room


def room_get_for_member(*, user, community_slug: str, room_slug: str) -> ChatRoom:
    """The room if ``user`` may post in it now (member, not muted, room open)."""
    room = room_get(community_slug=community_slug, room_slug=room_slug)
    permissions.check(user, Action.CHAT_POST, room.community, obj=room)
    return room


def _messages_qs(room: ChatRoom) -> QuerySet[ChatMessage]:
    return ChatMessage.objects.filter(room=room).select_related(
        "author", "reply_to__author", "thread__community"
    )


def messages_after(*, room: ChatRoom, after: int, limit: int) -> list[ChatMessage]:
    return list(_messages_qs(room).filter(seq__gt=after).order_by("seq")[:limit])


def messages_before(*, room: ChatRoom, before: int | None, limit: int = CHAT_PAGE):
    qs = _messages_qs(room)
    if before:
        qs = qs.filter(seq__lt=before)
    return list(reversed(qs.order_by("-seq")[:limit]))


def messages_around(*, room: ChatRoom, seq: int, limit: int = CHAT_PAGE):
    """Messages leading up to and including ``seq`` (for links to one message)."""
    return messages_before(room=room, before=seq + limit // 2, limit=limit)


def chat_last_read(*, room: ChatRoom, user) -> int:
    if not user.is_authenticated:
        return room.last_seq
    state = ChatReadState.objects.filter(room=room, user=user).first()
    return state.last_seq if state else 0


def active_mutes(*, room: ChatRoom):
    from django.utils import timezone

    return list(
        ChatMute.objects.filter(room=room, until__gt=timezone.now())
        .select_related("user", "muted_by")
        .order_by("until")
    )
