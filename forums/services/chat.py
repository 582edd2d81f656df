"""Every write of chat rooms and messages. The websocket consumer and the room page's form
call the same functions, so a message is stored, numbered and announced one way only.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create
from cop import markup, permissions
from cop.models import Community
from cop.permissions import Action, Refusal
from cop.services import audit_record
from forums import realtime
from forums.models import ChatMessage, ChatMute, ChatPresence, ChatReadState, ChatRoom, Thread
from forums.services.threads import _clean_body, _readers, render_with_mentions, thread_create

logger = logging.getLogger(__name__)

__all__ = [
    "chat_mark_read",
    "member_mute",
    "member_unmute",
    "message_delete",
    "message_edit",
    "message_frame",
    "message_send",
    "person_frame",
    "presence_enter",
    "presence_leave",
    "presence_list",
    "presence_touch",
    "room_create",
    "room_update",
    "thread_from_chat",
]

# --- Chat ---------------------------------------------------------------------------------------


def _flood_check(user: User) -> None:
    """At most CHAT_FLOOD_MESSAGES per CHAT_FLOOD_SECONDS per person, across connections.

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


def message_frame(message: ChatMessage) -> dict:
    """The ``message`` frame of the realtime contract for one stored message."""
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


def _update_frame(message: ChatMessage) -> dict:
    return {**message_frame(message), "type": "update"}


def _lock_room(room: ChatRoom) -> ChatRoom:
    # of=("self",): lock the room row only. Without it PostgreSQL would also lock the joined
    # community row, and every sender of every room of the community would queue behind it.
    return (
        ChatRoom.objects.select_for_update(of=("self",)).select_related("community").get(pk=room.pk)
    )


def message_send(
    *,
    room: ChatRoom,
    author: User,
    body: str,
    client_id: str = "",
    reply_to_id: int | None = None,
) -> tuple[ChatMessage, bool]:
    """Store a chat message with the room's next ``seq``, then announce it after commit.

    Returns ``(message, created)``. Sending again with the same ``client_id`` returns the stored
    message and ``created=False``: one message, however many times the client retries (a retry
    is not counted by the flood limit, and succeeds even if the author was muted since).
    Raises Refusal (not a member, muted, archived room, flood) or ValidationError (empty or
    too long: codes ``empty`` and ``too_long``).
    """
    client_id = (client_id or "")[:64]
    if client_id:
        existing = _message_by_client_id(room=room, author=author, client_id=client_id)
        if existing is not None:
            return existing, False
    permissions.check(author, Action.CHAT_POST, room.community, obj=room)
    body = _clean_body(body, limit=settings.CHAT_MESSAGE_MAX_CHARS)
    _flood_check(author)
    html, mentioned = render_with_mentions(body)
    try:
        with transaction.atomic():
            message = _insert_message(
                room=room,
                author=author,
                body=body,
                html=html,
                client_id=client_id,
                reply_to_id=reply_to_id,
                mentioned=mentioned,
            )
    except IntegrityError:
        # The same client_id raced in on another connection and won; return its message.
        existing = _message_by_client_id(room=room, author=author, client_id=client_id)
        if existing is None:
            raise
        return existing, False
    return message, True


def _message_by_client_id(*, room: ChatRoom, author: User, client_id: str):
    # Asked before every new message and nearly always answered "none": the bare lookup on the
    # unique index first, the message with everything its frame shows only for a retry.
    pk = (
        ChatMessage.objects.filter(room=room, author=author, client_id=client_id)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return None
    return ChatMessage.objects.select_related(
        "author", "reply_to__author", "thread__community"
    ).get(pk=pk)


def _insert_message(*, room, author, body, html, client_id, reply_to_id, mentioned):
    """Call inside a transaction. The row lock on the room (on SQLite: the write lock that
    BEGIN IMMEDIATE takes) serialises senders, so seq = last_seq + 1 has no gaps or duplicates,
    and a message is numbered after every message committed before it."""
    locked = _lock_room(room)
    if locked.is_archived:
        # Archived after the caller loaded the room: the locked row is the truth.
        raise Refusal(_("This room is archived: it takes no new messages."), "archived")
    seq = locked.last_seq + 1
    reply_to = None
    if reply_to_id:
        reply_to = (
            ChatMessage.objects.select_related("author").filter(room=locked, pk=reply_to_id).first()
        )
    message = ChatMessage.objects.create(
        room=locked,
        seq=seq,
        author=author,
        client_id=client_id,
        body=body,
        html=html,
        reply_to=reply_to,
    )
    ChatRoom.objects.filter(pk=locked.pk).update(last_seq=seq)
    _chat_read_up_to(user=author, room=locked, seq=seq)
    recipients = _readers(mentioned, locked.community, Action.CHAT_READ)
    notification_create(
        recipients=recipients,
        kind=Notification.Kind.CHAT_MENTION,
        actor=author,
        url=message.get_absolute_url(),
        title=locked.name,
        excerpt=markup.excerpt(html),
        community=locked.community,
        data={"room": locked.pk, "seq": seq},
    )
    from resources.search import index_message

    index_message(message)
    frame = message_frame(message)
    transaction.on_commit(lambda: realtime.announce_chat(room_id=locked.pk, frame=frame))
    return message


@transaction.atomic
def message_edit(*, message: ChatMessage, actor: User, body: str) -> ChatMessage:
    """Change the text of one's own message; everyone in the room gets an ``update`` frame."""
    message = (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("room__community", "author")
        .get(pk=message.pk)
    )
    permissions.check(actor, Action.CHAT_EDIT, message.room.community, obj=message)
    body = _clean_body(body, limit=settings.CHAT_MESSAGE_MAX_CHARS)
    if body == message.body:
        return message
    message.body = body
    message.html, _mentioned = render_with_mentions(body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "html", "edited_at"])
    from resources.search import index_message

    index_message(message)
    frame = _update_frame(message)
    transaction.on_commit(lambda: realtime.announce_chat(room_id=message.room_id, frame=frame))
    return message


@transaction.atomic
def message_delete(*, message: ChatMessage, actor: User) -> ChatMessage:
    """Delete a message; a moderator deleting someone else's leaves a trace and an audit entry."""
    message = (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("room__community", "author")
        .get(pk=message.pk)
    )
    community = message.room.community
    permissions.check(actor, Action.CHAT_DELETE, community, obj=message)
    if message.is_deleted:
        return message
    by_moderator = actor.pk != message.author_id
    message.is_deleted = True
    message.removed_by_moderator = by_moderator
    message.save(update_fields=["is_deleted", "removed_by_moderator"])
    if by_moderator:
        audit_record(
            actor=actor,
            action="chat.delete",
            target=message,
            community=community,
            before={
                "body": message.body,
                "author": message.author.username if message.author else "",
            },
        )
    from resources.search import index_message

    index_message(message)
    frame = _update_frame(message)
    transaction.on_commit(lambda: realtime.announce_chat(room_id=message.room_id, frame=frame))
    return message


@transaction.atomic
def member_mute(
    *, room: ChatRoom, actor: User, user: User, minutes: int, reason: str = ""
) -> ChatMute:
    """Stop ``user`` from writing in ``room`` for ``minutes`` (audited). Every frame of their open
    connections is checked again, so the mute takes effect on their very next message."""
    permissions.check(actor, Action.CHAT_MODERATE, room.community)
    if not 1 <= minutes <= 60 * 24 * 30:
        raise ValidationError({"minutes": _("Choose between 1 minute and 30 days.")})
    if permissions.can(user, Action.CHAT_MODERATE, room.community):
        # Moderators are never stopped by a mute (cop/permissions.py); say so instead of
        # recording a mute that would do nothing.
        raise ValidationError({"username": _("Moderators cannot be muted.")})
    mute = ChatMute.objects.create(
        room=room,
        user=user,
        until=timezone.now() + timedelta(minutes=minutes),
        muted_by=actor,
        reason=reason[:300],
    )
    audit_record(
        actor=actor,
        action="chat.mute",
        target=mute,
        community=room.community,
        after={"user": user.username, "room": room.slug, "minutes": minutes},
        reason=reason,
    )
    return mute


@transaction.atomic
def member_unmute(*, room: ChatRoom, actor: User, user: User) -> None:
    permissions.check(actor, Action.CHAT_MODERATE, room.community)
    updated = ChatMute.objects.filter(room=room, user=user, until__gt=timezone.now()).update(
        until=timezone.now()
    )
    if updated:
        audit_record(
            actor=actor,
            action="chat.unmute",
            target=room,
            community=room.community,
            after={"user": user.username},
        )


def _clean_room_fields(name: str, description: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 80:
        raise ValidationError({"name": _("A room name needs 2 to 80 characters.")})
    return name, " ".join((description or "").split())[:300]


def _free_slug(community: Community, name: str) -> str:
    """A URL slug for a new room. Names in Kazakh or Russian have no ASCII slug (the websocket
    route takes ASCII slugs only), so they become "room", "room-2", ..."""
    base = slugify(name)[:44] or "room"
    taken = set(
        ChatRoom.objects.filter(community=community, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def room_create(*, community: Community, actor: User, name: str, description: str = ""):
    """A new room in ``community`` (moderators; audited)."""
    permissions.check(actor, Action.ROOM_MANAGE, community)
    name, description = _clean_room_fields(name, description)
    if ChatRoom.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError({"name": _("This community already has a room with this name.")})
    room = ChatRoom.objects.create(
        community=community,
        slug=_free_slug(community, name),
        name=name,
        description=description,
    )
    audit_record(actor=actor, action="room.create", target=room, community=community)
    return room


@transaction.atomic
def room_update(
    *, room: ChatRoom, actor: User, name: str, description: str, archived: bool
) -> ChatRoom:
    """Rename, describe, archive or restore a room (its slug, and so its URL, stays)."""
    room = _lock_room(room)
    permissions.check(actor, Action.ROOM_MANAGE, room.community)
    name, description = _clean_room_fields(name, description)
    if (
        ChatRoom.objects.filter(community=room.community, name__iexact=name)
        .exclude(pk=room.pk)
        .exists()
    ):
        raise ValidationError({"name": _("This community already has a room with this name.")})
    before = {"name": room.name, "description": room.description, "archived": room.is_archived}
    room.name, room.description, room.is_archived = name, description, archived
    room.save(update_fields=["name", "description", "is_archived"])
    audit_record(
        actor=actor,
        action="room.update",
        target=room,
        community=room.community,
        before=before,
        after={"name": name, "description": description, "archived": archived},
    )
    return room


def _chat_read_up_to(*, user: User, room: ChatRoom, seq: int) -> None:
    updated = ChatReadState.objects.filter(user=user, room=room, last_seq__lt=seq).update(
        last_seq=seq
    )
    if not updated:
        try:
            with transaction.atomic():
                ChatReadState.objects.get_or_create(
                    user=user, room=room, defaults={"last_seq": seq}
                )
        except IntegrityError:
            pass  # created concurrently by another connection of the same person


def chat_mark_read(*, room: ChatRoom, user: User, seq: int) -> None:
    """Move the person's unread marker forward to ``seq`` (never back, never past the room's
    last message as the caller loaded it)."""
    if user.is_authenticated and seq > 0:
        _chat_read_up_to(user=user, room=room, seq=min(seq, room.last_seq))


@transaction.atomic
def thread_from_chat(
    *,
    message: ChatMessage,
    actor: User,
    title: str,
    through_seq: int | None = None,
    language: str,
    tags=(),
) -> Thread:
    """Turn a chat message (and optionally the ones after it, up to ``through_seq``) into a
    new thread in the same community. The thread quotes them and links back; the chat shows a
    link to the thread on the first message."""
    room = message.room
    community = room.community
    permissions.check(actor, Action.CHAT_TO_THREAD, community)
    last = max(message.seq, through_seq or message.seq)
    if last - message.seq >= 50:
        raise ValidationError({"through_seq": _("A thread can start from at most 50 messages.")})
    messages = list(
        ChatMessage.objects.filter(room=room, seq__gte=message.seq, seq__lte=last, is_deleted=False)
        .select_related("author")
        .order_by("seq")
    )
    if not messages:
        raise ValidationError(_("These messages are no longer available."))
    lines = [
        _("From the chat room “%(room)s”:") % {"room": room.name},
        "",
    ]
    for m in messages:
        author = m.author.name if m.author else _("a former member")
        link = f"{settings.SITE_URL.rstrip('/')}{m.get_absolute_url()}"
        quoted = "\n".join(f"> {line}" for line in m.body.splitlines())
        lines += [f"> **{author}** ([{m.created:%Y-%m-%d %H:%M}]({link})):", quoted, ""]
    thread = thread_create(
        community=community,
        author=actor,
        title=title,
        body="\n".join(lines).strip(),
        language=language,
        tags=tags,
        source_message=message,
    )
    ChatMessage.objects.filter(pk=message.pk).update(thread=thread)
    message.thread = thread
    frame = _update_frame(
        ChatMessage.objects.select_related("author", "reply_to__author", "thread__community").get(
            pk=message.pk
        )
    )
    transaction.on_commit(lambda: realtime.announce_chat(room_id=room.pk, frame=frame))
    return thread


# --- Presence -------------------------------------------------------------------------------------

PRESENCE_STALE = timedelta(seconds=150)


def _person(user: User) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.name}


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


PRESENCE_LIST_MAX = 200


def presence_list(*, room: ChatRoom) -> list[dict]:
    """Who is in the room now (one entry per person; at most PRESENCE_LIST_MAX, which is
    more than a list on a page can usefully show)."""
    since = timezone.now() - PRESENCE_STALE
    users = (
        User.objects.filter(
            pk__in=ChatPresence.objects.filter(room=room, last_seen__gt=since).values("user_id")
        )
        .only("id", "username", "display_name")
        .order_by("display_name", "username")[:PRESENCE_LIST_MAX]
    )
    return [_person(u) for u in users]


def person_frame(user: User) -> dict:
    """A person as presence and typing frames show them."""
    return _person(user)
