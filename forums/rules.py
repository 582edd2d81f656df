"""The forum's conditions on its objects, plugged into core.permissions at start-up
(ForumsConfig.ready): accepting answers, locked threads, archived rooms and chat mutes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, Refusal, Role, register_object_rule
from forums.models import ChatMute

A = Action


def accept_rule(user, action: Action, role: Role, obj) -> Refusal | None:
    """Only the thread's author or a moderator accepts an answer."""
    thread = getattr(obj, "thread", obj)
    if role < Role.MODERATOR and thread.author_id != user.pk:
        return Refusal(
            _("Only the author of the thread or a moderator can accept an answer."), "not_author"
        )
    return None


def locked_rule(user, action: Action, role: Role, obj) -> Refusal | None:
    """A locked thread takes no replies, edits, reactions or accepted answers but a
    moderator's."""
    thread = getattr(obj, "thread", obj)
    if role < Role.MODERATOR and getattr(thread, "is_locked", False):
        return Refusal(_("This thread is locked: it takes no new replies."), "locked")
    return None


def room_rule(user, action: Action, role: Role, obj) -> Refusal | None:
    """An archived room takes no messages; a muted member writes nothing until the mute ends
    (moderators are never muted)."""
    room = getattr(obj, "room", obj)
    if getattr(room, "is_archived", False):
        return Refusal(_("This room is archived: it takes no new messages."), "archived")
    if role < Role.MODERATOR and chat_is_muted(user=user, room=room):
        return Refusal(_("You are muted in this room for now."), "muted")
    return None


def chat_is_muted(*, user, room) -> bool:
    """Whether a mute of ``user`` in ``room`` is in force now."""
    return ChatMute.objects.filter(
        room_id=room.pk, user_id=user.pk, until__gt=timezone.now()
    ).exists()


def register() -> None:
    """Plug the rules into the permission checks, in the order the core applied them."""
    register_object_rule([A.POST_ACCEPT], accept_rule)
    register_object_rule([A.POST_REPLY, A.POST_EDIT, A.POST_REACT, A.POST_ACCEPT], locked_rule)
    register_object_rule([A.CHAT_POST, A.CHAT_EDIT, A.CHAT_DELETE], room_rule)
