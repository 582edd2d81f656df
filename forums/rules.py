"""The forum's conditions on its objects, plugged into core.permissions at start-up
(ForumsConfig.ready): accepting answers, locked threads, archived rooms, chat mutes, and who
may ask whom a private question and read and answer it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import privacy
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
    if user.pk is not None and getattr(room, "reader_id", None) == user.pk:
        return room.reader_muted  # read with the room (room_get_for_reader)
    return ChatMute.objects.filter(
        room_id=room.pk, user_id=user.pk, until__gt=timezone.now()
    ).exists()


def reachable(person) -> bool:
    """Is ``person``'s account in use: active, not erased, not waiting to be deleted."""
    return bool(person.is_active and person.deleted is None and person.deletion_requested is None)


def takes_questions(person) -> bool:
    """What the person asked themself decides: they offer expertise, accept private
    questions, and their account is in use. (The roster's "Ask" button for visitors asks only
    this; the rule below adds who asks.)"""
    return bool(person.is_expert and person.accepts_questions and reachable(person))


def question_ask_rule(user, action: Action, role: Role, obj) -> Refusal | None:
    """``obj`` is the person asked: not oneself, someone whose profile the asker may see
    (a hidden profile cannot be told apart from a missing one), who takes questions."""
    if obj.pk == user.pk:
        return Refusal(_("You cannot ask yourself a question."), "self")
    if not reachable(obj) or not privacy.profile_visible(viewer=user, person=obj):
        return Refusal(_("This person cannot be asked a question."), "unavailable")
    if not obj.is_expert:
        return Refusal(
            _("Only people who offer their expertise take private questions."), "not_expert"
        )
    if not obj.accepts_questions:
        return Refusal(
            _("%(name)s is not taking private questions at the moment.") % {"name": obj.name},
            "closed",
        )
    return None


def question_participant_rule(user, action: Action, role: Role, obj) -> Refusal | None:
    """A private question is for its asker and its expert alone, whatever their role
    elsewhere (staff and moderators included); an answer needs someone to read it. ``obj``
    is the Question."""
    question = obj
    if user.pk is None or user.pk not in (question.asker_id, question.expert_id):
        return Refusal(
            _("This conversation is private to the two people in it."), "not_participant"
        )
    other = question.other_side(user)
    if action == Action.QUESTION_REPLY and not reachable(other):
        return Refusal(_("%(name)s can no longer receive messages.") % {"name": other.name}, "gone")
    return None


def register() -> None:
    """Plug the rules into the permission checks, in the order the core applied them."""
    register_object_rule([A.POST_ACCEPT], accept_rule)
    register_object_rule([A.POST_REPLY, A.POST_EDIT, A.POST_REACT, A.POST_ACCEPT], locked_rule)
    register_object_rule([A.CHAT_POST, A.CHAT_EDIT, A.CHAT_DELETE], room_rule)
    register_object_rule([A.QUESTION_ASK], question_ask_rule)
    register_object_rule([A.QUESTION_READ, A.QUESTION_REPLY], question_participant_rule)
