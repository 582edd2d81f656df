"""Turning a chat conversation into a thread that quotes it and links back."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions, versions
from core.permissions import Action
from forums import realtime
from forums.frames import update_frame
from forums.models import ChatMessage, Tag, Thread
from forums.services.threads import thread_create

__all__ = ["thread_from_chat"]

MESSAGES_MAX = 50


@transaction.atomic
def thread_from_chat(
    *,
    message: ChatMessage,
    actor: User,
    title: str,
    through_seq: int | None = None,
    language: str,
    tags: Iterable[Tag] = (),
) -> Thread:
    """Turn a chat message (and optionally the ones after it, up to ``through_seq``) into a
    new thread in the same community. The thread quotes them and links back; the chat shows a
    link to the thread on the first message. Deleted messages are left out. Raises Refusal or
    ValidationError (more than MESSAGES_MAX messages, none left to quote, or the thread's own
    errors)."""
    room = message.room
    community = room.community
    permissions.check(actor, Action.CHAT_TO_THREAD, community)
    last = max(message.seq, through_seq or message.seq)
    if last - message.seq >= MESSAGES_MAX:
        raise ValidationError({"through_seq": _("A thread can start from at most 50 messages.")})
    messages = list(
        ChatMessage.objects.filter(room=room, seq__gte=message.seq, seq__lte=last, is_deleted=False)
        .select_related("author")
        .order_by("seq")
    )
    if not messages:
        raise ValidationError(_("These messages are no longer available."))
    lines = [_("From the chat room “%(room)s”:") % {"room": room.name}, ""]
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
    versions.bump(versions.room(message.room_id), seconds=versions.THREAD_SECONDS)
    message.thread = thread
    stored = ChatMessage.objects.select_related(
        "author", "reply_to__author", "thread__community"
    ).get(pk=message.pk)
    realtime.announce_chat(room_id=room.pk, frame=update_frame(stored))
    return thread
