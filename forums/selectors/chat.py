"""Reads of chat rooms and messages, with their query shape decided here."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import (
    Exists,
    F,
    OuterRef,
    PositiveBigIntegerField,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import permissions, versions
from core.models import Community
from core.permissions import Action, Viewer
from forums.models import ChatMessage, ChatMute, ChatReadState, ChatRoom, MessageReport

CHAT_PAGE = 50


def room_list(*, community: Community) -> list[ChatRoom]:
    """The community's rooms, open ones first."""
    return list(
        ChatRoom.objects.filter(community=community)
        .select_related("community")
        .order_by("is_archived", "slug")
    )


def room_list_unread(*, user: Viewer, communities: list[Community]) -> list[ChatRoom]:
    """The open rooms of these communities with messages after ``user``'s read marker, in the
    communities' order (one query), for a member's home. ``room.unread`` counts by sequence
    numbers (the room's last seq minus the marker), which costs no count of messages; a
    message deleted since still counts. A room never opened counts all its messages."""
    by_id = {community.pk: community for community in communities}
    if not user.is_authenticated or not by_id:
        return []
    order = {community.pk: index for index, community in enumerate(communities)}
    rooms = list(
        ChatRoom.objects.filter(community_id__in=list(by_id), is_archived=False)
        .annotate(
            read_seq=Coalesce(
                Subquery(
                    ChatReadState.objects.filter(room=OuterRef("pk"), user=user).values("last_seq")[
                        :1
                    ]
                ),
                Value(0),
                output_field=PositiveBigIntegerField(),
            )
        )
        .filter(last_seq__gt=F("read_seq"))
        .order_by("slug", "id")
    )
    for room in rooms:
        room.community = by_id[room.community_id]
        room.unread = room.last_seq - room.read_seq
    rooms.sort(key=lambda room: order[room.community_id])
    return rooms


def room_get(*, community_slug: str, room_slug: str) -> ChatRoom:
    """The room (with its community), whoever asks; Http404 if there is none."""
    room = (
        ChatRoom.objects.select_related("community")
        .filter(community__slug=community_slug, slug=room_slug)
        .first()
    )
    if room is None:
        raise Http404("room")
    return room


def room_get_for_reader(
    *, user: Viewer, community_slug: str, room_slug: str, with_state: bool = False
) -> ChatRoom:
    """The room if ``user`` may read it (signed in), else PermissionDenied / Http404.

    ``with_state``: in the same query, how far they have read (``room_last_read``) and whether
    a mute of theirs is in force (``forums.rules.chat_is_muted``), for the room's page."""
    if with_state and user.is_authenticated:
        room = (
            ChatRoom.objects.select_related("community")
            .filter(community__slug=community_slug, slug=room_slug)
            .annotate(
                reader_last_read=Subquery(
                    ChatReadState.objects.filter(room=OuterRef("pk"), user=user).values("last_seq")[
                        :1
                    ]
                ),
                reader_muted=Exists(
                    ChatMute.objects.filter(
                        room=OuterRef("pk"), user=user, until__gt=timezone.now()
                    )
                ),
            )
            .first()
        )
        if room is None:
            raise Http404("room")
        room.reader_id = user.pk
    else:
        room = room_get(community_slug=community_slug, room_slug=room_slug)
    permissions.check(user, Action.CHAT_READ, room.community)
    return room


def room_get_for_member(*, user: Viewer, community_slug: str, room_slug: str) -> ChatRoom:
    """The room if ``user`` is a member of its community (may take part), else a Refusal
    (PermissionDenied) or Http404. The live connection asks this at connect and again on every
    frame; whether a member may post right now (muted, room archived) is decided per message by
    the services, so a muted member still reads live."""
    room = room_get(community_slug=community_slug, room_slug=room_slug)
    permissions.check(user, Action.CHAT_POST, room.community)
    return room


def message_in_room(*, room: ChatRoom, message_id: int) -> ChatMessage | None:
    """One message of this room (None if the id belongs to no message here)."""
    return ChatMessage.objects.filter(room=room, pk=message_id).first()


def message_get_for_reader(*, user: Viewer, message_id: int) -> ChatMessage:
    """A message, with its room, community and author, if ``user`` may read its room;
    Http404 if there is none, Refusal if ``user`` may not read chat there."""
    message = get_object_or_404(
        ChatMessage.objects.select_related("room__community", "author"), pk=message_id
    )
    permissions.check(user, Action.CHAT_READ, message.room.community)
    return message


# What a message shows (forums/_message.html, forums.frames.message_frame) and no more: the
# authors' other columns and the messages' Markdown source are most of a row.
_PERSON = ("username", "display_name", "deleted", "avatar")
MESSAGE_FIELDS = (
    "room_id", "seq", "author_id", "client_id", "html", "reply_to_id", "thread_id", "created",
    "edited_at", "is_deleted", "removed_by_moderator",
    *(f"author__{name}" for name in _PERSON),
    "reply_to__seq", "reply_to__author_id", "reply_to__html", "reply_to__is_deleted",
    *(f"reply_to__author__{name}" for name in _PERSON),
    "thread__community_id", "thread__community__slug",
)  # fmt: skip


def _messages_qs(room: ChatRoom) -> QuerySet[ChatMessage]:
    return (
        ChatMessage.objects.filter(room=room)
        .select_related("author", "reply_to__author", "thread__community")
        .only(*MESSAGE_FIELDS)
    )


def messages_after(*, room: ChatRoom, after: int, limit: int) -> list[ChatMessage]:
    """Up to ``limit`` messages with seq > ``after``, oldest first (sync replays, history)."""
    return list(_messages_qs(room).filter(seq__gt=after).order_by("seq")[:limit])


def messages_before(
    *, room: ChatRoom, before: int | None, limit: int = CHAT_PAGE
) -> list[ChatMessage]:
    """The ``limit`` messages just before seq ``before`` (the newest without it), oldest first;
    scroll-back pages are keyed by seq, so a page never shifts when new messages arrive."""
    qs = _messages_qs(room)
    if before:
        qs = qs.filter(seq__lt=before)
    return list(reversed(qs.order_by("-seq")[:limit]))


# The newest page of a room's history, the one its page opens with, is kept in the cache under
# the room's version (moved by every save or deletion of one of its messages, and by the
# services that update them in bulk) and the people version (an author's name or photo). Read
# before the rows, as every versioned page is (core/versions.py). A thread made from a message
# and moved since keeps its old address in the copy, which redirects to the new one.
HISTORY_SECONDS = 600


def messages_recent(*, room: ChatRoom) -> list[ChatMessage]:
    """The newest CHAT_PAGE messages of ``room``, oldest first (messages_before without a
    bound), from the cache when nothing in the room or of its authors changed since."""
    version = versions.current(
        versions.room(room.pk), versions.PEOPLE, seconds=versions.THREAD_SECONDS
    )
    key = f"history:{room.pk}:{version}"
    found = cache.get(key)
    if found is None:
        found = messages_before(room=room, before=None)
        cache.set(key, found, HISTORY_SECONDS)
    return found


def messages_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of a chat message: its room's history is stale."""
    if not raw:
        versions.bump(versions.room(instance.room_id), seconds=versions.THREAD_SECONDS)


def messages_around(*, room: ChatRoom, seq: int, limit: int = CHAT_PAGE) -> list[ChatMessage]:
    """Messages leading up to and including ``seq`` (for links to one message)."""
    return messages_before(room=room, before=seq + limit // 2, limit=limit)


def room_last_read(*, room: ChatRoom, user: Viewer) -> int:
    """The seq the user had read up to (the unread marker goes after it)."""
    if not user.is_authenticated:
        return room.last_seq
    if getattr(room, "reader_id", None) == user.pk:  # read with the room
        return room.reader_last_read or 0
    state = ChatReadState.objects.filter(room=room, user=user).first()
    return state.last_seq if state else 0


def mute_list_active(*, room: ChatRoom) -> list[ChatMute]:
    """Mutes in force in the room, soonest to end first."""
    return list(
        ChatMute.objects.filter(room=room, until__gt=timezone.now())
        .select_related("user", "muted_by")
        .order_by("until")
    )


def message_reports_open() -> QuerySet[MessageReport]:
    """Every open report on a chat message, in any community: the queue and its count."""
    return MessageReport.objects.filter(status=MessageReport.Status.OPEN)


def message_report_list_open(
    *, community: Community, limit: int | None = None
) -> list[MessageReport]:
    """Open reports on chat messages of the community, newest first, with the message, its
    room and author, and the reporter."""
    reports = (
        message_reports_open()
        .filter(message__room__community=community)
        .select_related("message__room", "message__author", "reporter")
        .order_by("-created", "-id")
    )
    result = list(reports[:limit] if limit else reports)
    for report in result:
        # A room's URL names its community; we hold it already, so no query per report.
        report.message.room.community = community
    return result


def message_report_get(*, community: Community, report_id: int) -> MessageReport:
    """A report on a chat message of this community; Http404 otherwise."""
    return get_object_or_404(
        MessageReport.objects.select_related("message__room__community", "message__author"),
        pk=report_id,
        message__room__community=community,
    )
