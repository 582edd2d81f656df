"""The one place that answers "may this user do this here".

Views, consumers, services and the API all ask :func:`can` / :func:`check`; none of them looks at
memberships or ``is_staff`` on its own. A rule is a minimum role per action (the table below) plus,
for some actions, a condition on the object (its author, a locked thread, a mute, an archived room).

Roles, from least to most: anonymous visitor, signed-in person who is not a member of the
community, member, moderator of the community, staff (moderator everywhere).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cop.models import Community


class Role(IntEnum):
    ANONYMOUS = 0
    SIGNED_IN = 1
    MEMBER = 2
    MODERATOR = 3
    STAFF = 4


class Action(StrEnum):
    COMMUNITY_VIEW = "community.view"
    COMMUNITY_JOIN = "community.join"
    COMMUNITY_LEAVE = "community.leave"
    AUDIT_READ = "audit.read"

    THREAD_READ = "thread.read"
    THREAD_CREATE = "thread.create"
    POST_REPLY = "post.reply"
    POST_EDIT = "post.edit"
    POST_DELETE = "post.delete"
    POST_REACT = "post.react"
    POST_BOOKMARK = "post.bookmark"
    POST_REPORT = "post.report"
    THREAD_FOLLOW = "thread.follow"
    POST_ACCEPT = "post.accept"
    THREAD_PIN = "thread.pin"
    THREAD_LOCK = "thread.lock"
    THREAD_MOVE = "thread.move"
    THREAD_DELETE = "thread.delete"
    POST_HIDE = "post.hide"
    REPORT_RESOLVE = "report.resolve"
    TAG_MANAGE = "tag.manage"

    CHAT_READ = "chat.read"
    CHAT_POST = "chat.post"
    CHAT_EDIT = "chat.edit"
    CHAT_DELETE = "chat.delete"
    CHAT_MODERATE = "chat.moderate"
    ROOM_MANAGE = "room.manage"
    CHAT_TO_THREAD = "chat.to_thread"

    RESOURCE_READ = "resource.read"
    RESOURCE_SUBMIT = "resource.submit"
    RESOURCE_REVIEW = "resource.review"
    RESOURCE_FEATURE = "resource.feature"
    RESOURCE_ARCHIVE = "resource.archive"
    COLLECTION_MANAGE = "collection.manage"


A = Action
# The least role that may perform each action in a community. Object conditions come on top.
MIN_ROLE: dict[Action, Role] = {
    A.COMMUNITY_VIEW: Role.ANONYMOUS,
    A.COMMUNITY_JOIN: Role.SIGNED_IN,
    A.COMMUNITY_LEAVE: Role.MEMBER,
    A.AUDIT_READ: Role.MODERATOR,
    A.THREAD_READ: Role.ANONYMOUS,
    A.THREAD_CREATE: Role.MEMBER,
    A.POST_REPLY: Role.MEMBER,
    A.POST_EDIT: Role.MEMBER,
    A.POST_DELETE: Role.MEMBER,
    A.POST_REACT: Role.MEMBER,
    A.POST_BOOKMARK: Role.SIGNED_IN,
    A.POST_REPORT: Role.SIGNED_IN,
    A.THREAD_FOLLOW: Role.SIGNED_IN,
    A.POST_ACCEPT: Role.MEMBER,
    A.THREAD_PIN: Role.MODERATOR,
    A.THREAD_LOCK: Role.MODERATOR,
    A.THREAD_MOVE: Role.MODERATOR,
    A.THREAD_DELETE: Role.MODERATOR,
    A.POST_HIDE: Role.MODERATOR,
    A.REPORT_RESOLVE: Role.MODERATOR,
    A.TAG_MANAGE: Role.MODERATOR,
    A.CHAT_READ: Role.SIGNED_IN,
    A.CHAT_POST: Role.MEMBER,
    A.CHAT_EDIT: Role.MEMBER,
    A.CHAT_DELETE: Role.MEMBER,
    A.CHAT_MODERATE: Role.MODERATOR,
    A.ROOM_MANAGE: Role.MODERATOR,
    A.CHAT_TO_THREAD: Role.MEMBER,
    A.RESOURCE_READ: Role.ANONYMOUS,
    A.RESOURCE_SUBMIT: Role.MEMBER,
    A.RESOURCE_REVIEW: Role.MODERATOR,
    A.RESOURCE_FEATURE: Role.MODERATOR,
    A.RESOURCE_ARCHIVE: Role.MODERATOR,
    A.COLLECTION_MANAGE: Role.MODERATOR,
}

# Said to the user when an action is refused because of their role: (code, message).
SIGN_IN_FIRST = ("not_signed_in", _("Please sign in first."))
ROLE_REFUSALS = {
    Role.SIGNED_IN: SIGN_IN_FIRST,
    Role.MEMBER: ("not_member", _("Join this community to take part.")),
    Role.MODERATOR: ("not_moderator", _("Only moderators of this community can do this.")),
    Role.STAFF: ("not_staff", _("Only site staff can do this.")),
}

_CACHE_ATTR = "_cop_roles"


def _load_roles(user) -> dict[int, str]:
    roles = getattr(user, _CACHE_ATTR, None)
    if roles is None:
        from cop.models import Membership

        roles = dict(Membership.objects.filter(user_id=user.pk).values_list("community_id", "role"))
        setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the roles cached on this user object (long-lived consumers call it per frame)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_of(user, community: Community | None) -> Role:
    """The user's role in ``community`` (one query per user object, then cached on it)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_staff:
        return Role.STAFF
    if community is None:
        return Role.SIGNED_IN
    role = _load_roles(user).get(community.pk)
    if role == "moderator":
        return Role.MODERATOR
    if role == "member":
        return Role.MEMBER
    return Role.SIGNED_IN


def moderated_community_ids(user) -> set[int]:
    """Communities where the user is a moderator (every community for staff: pass None)."""
    if not user.is_authenticated:
        return set()
    return {cid for cid, role in _load_roles(user).items() if role == "moderator"}


def member_community_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(_load_roles(user))


class Refusal(PermissionDenied):
    """PermissionDenied carrying a translated message that pages and error frames show."""

    def __init__(self, message, code: str = "forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code


def _is_author(user, obj) -> bool:
    author_id = getattr(obj, "author_id", None)
    return author_id is not None and author_id == user.pk


def _object_refusal(user, action: Action, role: Role, obj: Any) -> Refusal | None:
    """Conditions on the object, on top of the role table. None means allowed."""
    moderator = role >= Role.MODERATOR
    if obj is None:
        return None
    if action in (A.POST_EDIT, A.CHAT_EDIT):
        if not _is_author(user, obj):
            return Refusal(_("You can only edit your own messages."), "not_author")
        if getattr(obj, "is_deleted", False):
            return Refusal(_("A deleted message cannot be edited."), "deleted")
    if action in (A.POST_DELETE, A.CHAT_DELETE) and not (moderator or _is_author(user, obj)):
        return Refusal(_("You can only delete your own messages."), "not_author")
    if action == A.POST_ACCEPT and not moderator:
        thread = getattr(obj, "thread", obj)
        if thread.author_id != user.pk:
            return Refusal(
                _("Only the author of the thread or a moderator can accept an answer."),
                "not_author",
            )
    if action in (A.POST_REPLY, A.POST_EDIT, A.POST_REACT, A.POST_ACCEPT) and not moderator:
        thread = getattr(obj, "thread", obj)
        if getattr(thread, "is_locked", False):
            return Refusal(_("This thread is locked: it takes no new replies."), "locked")
    if action in (A.CHAT_POST, A.CHAT_EDIT, A.CHAT_DELETE):
        room = getattr(obj, "room", obj)
        if getattr(room, "is_archived", False):
            return Refusal(_("This room is archived: it takes no new messages."), "archived")
        if not moderator and _is_muted(user, room):
            return Refusal(_("You are muted in this room for now."), "muted")
    return None


def _is_muted(user, room) -> bool:
    from forums.models import ChatMute

    return ChatMute.objects.filter(
        room_id=room.pk, user_id=user.pk, until__gt=timezone.now()
    ).exists()


def refusal(user, action: Action, community: Community | None, obj: Any = None) -> Refusal | None:
    """Why ``user`` may not do ``action`` in ``community`` (on ``obj``), or None if they may."""
    role = role_of(user, community)
    needed = MIN_ROLE[action]
    if role < needed:
        code, message = SIGN_IN_FIRST if role == Role.ANONYMOUS else ROLE_REFUSALS[needed]
        return Refusal(message, code)
    return _object_refusal(user, action, role, obj)


def can(user, action: Action, community: Community | None, obj: Any = None) -> bool:
    return refusal(user, action, community, obj) is None


def check(user, action: Action, community: Community | None, obj: Any = None) -> None:
    """Raise :class:`Refusal` (a PermissionDenied) unless the user may do this."""
    problem = refusal(user, action, community, obj)
    if problem is not None:
        raise problem


# --- Objects that belong to several communities (library resources, collections) -----------------


def can_any(user, action: Action, communities) -> bool:
    """True if the user may do ``action`` in at least one of ``communities``."""
    if role_of(user, None) == Role.STAFF:
        return True
    return any(can(user, action, community) for community in communities)


def check_any(user, action: Action, communities) -> None:
    communities = list(communities)
    if can_any(user, action, communities):
        return
    # can_any is False, so the first community refuses too: say why. With no community at all,
    # the role table may have nothing against the action (e.g. reading), yet there is nowhere
    # to do it: still a refusal, never a bare ``raise None``.
    problem = refusal(user, action, communities[0] if communities else None)
    raise problem or Refusal(_("This is not part of any community."), "no_community")


def can_view_resource(user, resource) -> bool:
    """Published resources are public; others only for their submitter and the moderators of
    one of their communities (and staff)."""
    if resource.status == "published":
        return True
    if not user.is_authenticated:
        return False
    if resource.submitted_by_id == user.pk:
        return True
    return can_any(user, Action.RESOURCE_REVIEW, resource.communities.all())


def can_edit_resource(user, resource) -> bool:
    """Moderators edit any resource of their communities; a submitter edits their own until it
    is published (after that, changes go through a moderator)."""
    if can_any(user, Action.RESOURCE_REVIEW, resource.communities.all()):
        return True
    return (
        user.is_authenticated
        and resource.submitted_by_id == user.pk
        and resource.status in ("draft", "submitted", "changes")
    )
