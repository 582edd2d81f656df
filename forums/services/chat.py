"""Chat messages: sending, editing, deleting. The websocket consumer and the room page's form
call the same functions, so a message is stored, numbered and announced one way only.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create, notifications_withdraw
from core import markup, metrics, permissions
from core.permissions import Action, Refusal
from core.services import audit_record
from forums import realtime
from forums.frames import message_frame, update_frame
from forums.indexing import message_index
from forums.models import ChatMessage, ChatRoom, MessageReport
from forums.services.flood import flood_check
from forums.services.read_markers import chat_read_advance
from forums.services.text import body_clean, readers_of, render_with_mentions

__all__ = ["MessageSent", "message_delete", "message_edit", "message_send"]


class MessageSent(NamedTuple):
    message: ChatMessage
    created: bool  # False: a retry of a ``client_id`` already stored
    frame: dict  # its ``message`` frame, as announced to the room


def room_lock(room: ChatRoom) -> ChatRoom:
    """The room's row, locked until the end of the transaction, with its community."""
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
) -> MessageSent:
    """Store a chat message with the room's next ``seq``, then announce it after commit.

    Sending again with the same ``client_id`` returns the stored message and ``created=False``:
    one message, however many times the client retries (a retry is not counted by the flood
    limit, and succeeds even if the author was muted since). Raises Refusal (not a member,
    muted, archived room, flood) or ValidationError (empty or too long: codes ``empty`` and
    ``too_long``).
    """
    client_id = (client_id or "")[:64]
    if client_id:
        existing = _message_by_client_id(room=room, author=author, client_id=client_id)
        if existing is not None:
            return MessageSent(existing, False, message_frame(existing))
    permissions.check(author, Action.CHAT_POST, room.community, obj=room)
    body = body_clean(body, limit=settings.CHAT_MESSAGE_MAX_CHARS)
    flood_check(author)
    html, mentioned = render_with_mentions(body)
    try:
        with transaction.atomic():
            message, frame = _message_insert(
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
        return MessageSent(existing, False, message_frame(existing))
    metrics.CHAT_MESSAGES.inc()
    return MessageSent(message, True, frame)


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


def _message_insert(*, room, author, body, html, client_id, reply_to_id, mentioned):
    """Call inside a transaction. The row lock on the room (on SQLite: the write lock that
    BEGIN IMMEDIATE takes) serialises senders, so seq = last_seq + 1 has no gaps or duplicates,
    and a message is numbered after every message committed before it."""
    locked = room_lock(room)
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
    chat_read_advance(user=author, room=locked, seq=seq)
    notification_create(
        recipients=readers_of(users=mentioned, community=locked.community, action=Action.CHAT_READ),
        kind=Notification.Kind.CHAT_MENTION,
        actor=author,
        url=message.get_absolute_url(),
        title=locked.name,
        excerpt=markup.excerpt(html),
        community=locked.community,
        data={"room": locked.pk, "seq": seq},
    )
    message_index(message)
    frame = message_frame(message)
    realtime.announce_chat(room_id=locked.pk, frame=frame)
    return message, frame


def _message_lock(message: ChatMessage) -> ChatMessage:
    return (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("room__community", "author")
        .get(pk=message.pk)
    )


@transaction.atomic
def message_edit(*, message: ChatMessage, actor: User, body: str) -> ChatMessage:
    """Change the text of one's own message; everyone in the room gets an ``update`` frame.
    Raises Refusal (not the author, muted, archived, deleted) or ValidationError."""
    message = _message_lock(message)
    permissions.check(actor, Action.CHAT_EDIT, message.room.community, obj=message)
    body = body_clean(body, limit=settings.CHAT_MESSAGE_MAX_CHARS)
    if body == message.body:
        return message
    message.body = body
    message.html, _mentioned = render_with_mentions(body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "html", "edited_at"])
    message_index(message)
    realtime.announce_chat(room_id=message.room_id, frame=update_frame(message))
    return message


@transaction.atomic
def message_delete(*, message: ChatMessage, actor: User) -> ChatMessage:
    """Delete a message; a moderator deleting someone else's leaves a trace and an audit entry.
    Raises Refusal (someone else's message, for a member)."""
    message = _message_lock(message)
    community = message.room.community
    permissions.check(actor, Action.CHAT_DELETE, community, obj=message)
    if message.is_deleted:
        return message
    by_moderator = actor.pk != message.author_id
    message.is_deleted = True
    message.removed_by_moderator = by_moderator
    message.save(update_fields=["is_deleted", "removed_by_moderator"])
    # Reports on it have nothing left to decide.
    MessageReport.objects.filter(message=message, status=MessageReport.Status.OPEN).update(
        status=MessageReport.Status.REMOVED, resolved_by=actor, resolved_at=timezone.now()
    )
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
    message_index(message)
    # Its words leave every inbox: mentions, and reports of it to the moderators.
    notifications_withdraw(
        kinds=[Notification.Kind.CHAT_MENTION, Notification.Kind.REPORT],
        room=message.room_id,
        seq=message.seq,
    )
    realtime.announce_chat(room_id=message.room_id, frame=update_frame(message))
    return message
