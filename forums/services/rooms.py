"""Chat rooms and their moderation: creating, renaming, archiving; muting members."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions
from core.models import Community
from core.permissions import Action
from core.services import audit_record
from core.text import line_clean
from forums.models import ChatMute, ChatRoom
from forums.services.chat import room_lock

__all__ = ["member_mute", "member_unmute", "room_create", "room_update"]

MUTE_MINUTES_MAX = 60 * 24 * 30


@transaction.atomic
def member_mute(
    *, room: ChatRoom, actor: User, user: User, minutes: int, reason: str = ""
) -> ChatMute:
    """Stop ``user`` from writing in ``room`` for ``minutes`` (audited). Every frame of their open
    connections is checked again, so the mute takes effect on their very next message. Raises
    Refusal (not a moderator) or ValidationError (``minutes`` out of range, ``username`` of a
    moderator, whom a mute would not stop)."""
    permissions.check(actor, Action.CHAT_MODERATE, room.community)
    if not 1 <= minutes <= MUTE_MINUTES_MAX:
        raise ValidationError({"minutes": _("Choose between 1 minute and 30 days.")})
    if permissions.can(user, Action.CHAT_MODERATE, room.community):
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
    """End every mute of ``user`` in ``room`` now (audited when there was one). Raises
    Refusal (not a moderator)."""
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


def _room_fields_clean(name: str, description: str) -> tuple[str, str]:
    name = line_clean(name, field="name")
    if not 2 <= len(name) <= 80:
        raise ValidationError({"name": _("A room name needs 2 to 80 characters.")})
    return name, line_clean(description, field="description")[:300]


def _slug_free(community: Community, name: str) -> str:
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
def room_create(*, community: Community, actor: User, name: str, description: str = "") -> ChatRoom:
    """A new room in ``community`` (moderators; audited). Raises Refusal or ValidationError
    (``name``: 2 to 80 characters, not the name of another room of the community)."""
    permissions.check(actor, Action.ROOM_MANAGE, community)
    name, description = _room_fields_clean(name, description)
    if ChatRoom.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError({"name": _("This community already has a room with this name.")})
    room = ChatRoom.objects.create(
        community=community,
        slug=_slug_free(community, name),
        name=name,
        description=description,
    )
    audit_record(actor=actor, action="room.create", target=room, community=community)
    return room


@transaction.atomic
def room_update(
    *, room: ChatRoom, actor: User, name: str, description: str, archived: bool
) -> ChatRoom:
    """Rename, describe, archive or restore a room (its slug, and so its URL, stays; audited).
    Raises Refusal or ValidationError as room_create does."""
    room = room_lock(room)
    permissions.check(actor, Action.ROOM_MANAGE, room.community)
    name, description = _room_fields_clean(name, description)
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
