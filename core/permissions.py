"""The one place that answers "may this user do this here".

Views, consumers, services and the API all ask :func:`can` / :func:`check`; none of them looks at
memberships or ``is_staff`` on its own. A rule is a minimum role per action (the table below) plus,
for some actions, a condition on the object: the core's own (only an author edits their text)
and those the apps register for their objects (:func:`register_object_rule`: a locked thread,
an archived room, a mute), so that the core never imports an app.

Roles, from least to most: anonymous visitor, signed-in person who is not a member of the
community, member, moderator of the community, staff (moderator everywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum, StrEnum
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.cache import next_generation
from core.models import Community, Membership

# Whoever asks: a signed-in person, an anonymous visitor, or nobody (None: also anonymous).
Viewer = AbstractBaseUser | AnonymousUser | None


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
    MODERATION_READ = "moderation.read"

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
    CHAT_REPORT = "chat.report"
    CHAT_MODERATE = "chat.moderate"
    ROOM_MANAGE = "room.manage"
    CHAT_TO_THREAD = "chat.to_thread"

    RESOURCE_READ = "resource.read"
    RESOURCE_SUBMIT = "resource.submit"
    RESOURCE_REVIEW = "resource.review"
    RESOURCE_FEATURE = "resource.feature"
    RESOURCE_ARCHIVE = "resource.archive"
    COLLECTION_MANAGE = "collection.manage"
    EVENT_READ = "event.read"
    EVENT_REGISTER = "event.register"
    EVENT_JOIN = "event.join"
    EVENT_MANAGE = "event.manage"
    EVENT_REGISTRANTS = "event.registrants"

    QUESTION_ASK = "question.ask"
    QUESTION_READ = "question.read"
    QUESTION_REPLY = "question.reply"


A = Action
# The least role that may perform each action in a community. Object conditions come on top.
MIN_ROLE: dict[Action, Role] = {
    A.COMMUNITY_VIEW: Role.ANONYMOUS,
    A.COMMUNITY_JOIN: Role.SIGNED_IN,
    A.COMMUNITY_LEAVE: Role.MEMBER,
    A.AUDIT_READ: Role.MODERATOR,
    # The moderators' dashboard: what waits for them in the community (core/moderation.py).
    A.MODERATION_READ: Role.MODERATOR,
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
    # Anyone who may read a room may ask its moderators to look at a message (as for posts);
    # moderators answer with CHAT_MODERATE.
    A.CHAT_REPORT: Role.SIGNED_IN,
    A.CHAT_MODERATE: Role.MODERATOR,
    A.ROOM_MANAGE: Role.MODERATOR,
    A.CHAT_TO_THREAD: Role.MEMBER,
    A.RESOURCE_READ: Role.ANONYMOUS,
    A.RESOURCE_SUBMIT: Role.MEMBER,
    A.RESOURCE_REVIEW: Role.MODERATOR,
    A.RESOURCE_FEATURE: Role.MODERATOR,
    A.RESOURCE_ARCHIVE: Role.MODERATOR,
    A.COLLECTION_MANAGE: Role.MODERATOR,
    # Events: a community's moderators (staff for hub-wide events, which have no community)
    # create, edit, cancel and duplicate them and see who registered; anyone signed in may
    # register; the join link is for registrants shortly before the start (events/rules.py).
    A.EVENT_READ: Role.ANONYMOUS,
    A.EVENT_REGISTER: Role.SIGNED_IN,
    A.EVENT_JOIN: Role.SIGNED_IN,
    A.EVENT_MANAGE: Role.MODERATOR,
    A.EVENT_REGISTRANTS: Role.MODERATOR,
    # Private questions belong to no community ("Ask this expert"; asked with community None):
    # anyone signed in may ask someone who takes questions, and a conversation is for its two
    # people alone, staff included (forums/rules.py, the object rules on top of this).
    A.QUESTION_ASK: Role.SIGNED_IN,
    A.QUESTION_READ: Role.SIGNED_IN,
    A.QUESTION_REPLY: Role.SIGNED_IN,
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
MEMBERSHIP_ROLES = {
    Membership.Role.MEMBER.value: Role.MEMBER,
    Membership.Role.MODERATOR.value: Role.MODERATOR,
}


def _load_roles(user: Viewer) -> dict[int, str]:
    roles = getattr(user, _CACHE_ATTR, None)
    if roles is None:
        roles = _stored_roles(user.pk)
        setattr(user, _CACHE_ATTR, roles)
    return roles


# A person's memberships are read by nearly every signed-in request and change when they join,
# leave or get a role. They are kept in the cache with the generation of that person's
# memberships they were read at; every change moves the generation (at once and again after
# its commit), and an entry of another generation is never used. So a read that began before a
# change and stores what it read after the change cannot be mistaken for the new roles. A
# cache that is down or empty means a query, as before.
ROLES_SECONDS = 300


def _roles_keys(user_id: int) -> tuple[str, str]:
    return f"roles-gen:{user_id}", f"roles:{user_id}"


def _stored_roles(user_id: int) -> dict[int, str]:
    generation_key, roles_key = _roles_keys(user_id)
    found = cache.get_many([generation_key, roles_key])
    generation = found.get(generation_key, 0)
    entry = found.get(roles_key)
    if entry is not None and entry[0] == generation:
        return dict(entry[1])
    roles = dict(Membership.objects.filter(user_id=user_id).values_list("community_id", "role"))
    cache.set(roles_key, (generation, roles), ROLES_SECONDS)
    return roles


def memberships_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of a membership: its person's cached roles are stale."""
    if raw:
        return
    user_id = instance.user_id
    _next_generation(user_id)
    transaction.on_commit(lambda: _next_generation(user_id))


def _next_generation(user_id: int) -> None:
    generation_key, _roles_key = _roles_keys(user_id)
    # Outlives the entries it guards.
    next_generation(generation_key, ROLES_SECONDS * 2)


def roles_loaded(user: Viewer) -> bool:
    """Whether this user object holds its memberships already (no query to ask about them)."""
    return hasattr(user, _CACHE_ATTR)


def forget_roles(user: Viewer) -> None:
    """Drop the roles cached on this user object (long-lived consumers call it per frame)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_of(user: Viewer, community: Community | None) -> Role:
    """The user's role in ``community`` (one query per user object, then cached on it)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_staff:
        return Role.STAFF
    if community is None:
        return Role.SIGNED_IN
    return MEMBERSHIP_ROLES.get(_load_roles(user).get(community.pk), Role.SIGNED_IN)


def moderated_community_ids(user: Viewer) -> set[int]:
    """Ids of the communities where the user holds the moderator role (not staff's "every")."""
    if not user.is_authenticated:
        return set()
    return {cid for cid, role in _load_roles(user).items() if role == "moderator"}


def member_community_ids(user: Viewer) -> set[int]:
    """Ids of the communities the user belongs to, in any role."""
    if not user.is_authenticated:
        return set()
    return set(_load_roles(user))


def communities_where(user: Viewer, action: Action) -> QuerySet[Community]:
    """The communities where ``user`` may do ``action`` by their role (every one for staff).

    Object conditions are not considered: this is for lists ("where may I submit?")."""
    needed = MIN_ROLE[action]
    if role_of(user, None) >= needed:  # the role held everywhere: signed in, or staff
        return Community.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    ids = [cid for cid, role in _load_roles(user).items() if MEMBERSHIP_ROLES[role] >= needed]
    return Community.objects.filter(pk__in=ids)


class Refusal(PermissionDenied):
    """PermissionDenied carrying a translated message that pages and error frames show."""

    def __init__(self, message, code: str = "forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code


def _is_author(user: Viewer, obj) -> bool:
    author_id = getattr(obj, "author_id", None)
    return author_id is not None and author_id == user.pk


# A condition an app puts on its objects: (user, action, role, obj) -> a Refusal, or None.
ObjectRule = Callable[[Any, "Action", Role, Any], "Refusal | None"]
_object_rules: dict[Action, list[ObjectRule]] = {}


def register_object_rule(actions: Iterable[Action], rule: ObjectRule) -> None:
    """Add a condition on the objects of ``actions``, checked after the role table (an app
    calls this in its ``ready()``: the forum's locked threads and chat mutes, for instance).
    ``rule`` gets the user's role in the community, so it can let moderators through."""
    for action in actions:
        _object_rules.setdefault(action, []).append(rule)


def _object_refusal(user: Viewer, action: Action, role: Role, obj: Any) -> Refusal | None:
    """Conditions on the object, on top of the role table. None means allowed."""
    if obj is None:
        return None
    moderator = role >= Role.MODERATOR
    if action in (A.POST_EDIT, A.CHAT_EDIT):
        if not _is_author(user, obj):
            return Refusal(_("You can only edit your own messages."), "not_author")
        if getattr(obj, "is_deleted", False):
            return Refusal(_("A deleted message cannot be edited."), "deleted")
    if action in (A.POST_DELETE, A.CHAT_DELETE) and not (moderator or _is_author(user, obj)):
        return Refusal(_("You can only delete your own messages."), "not_author")
    if action in (A.POST_REPORT, A.CHAT_REPORT) and _is_author(user, obj):
        # Whoever wrote it can edit or delete it; a report would only ask moderators to look
        # at one's own words.
        return Refusal(_("You cannot report what you wrote yourself."), "own")
    for rule in _object_rules.get(action, ()):
        problem = rule(user, action, role, obj)
        if problem is not None:
            return problem
    return None


def refusal(
    user: Viewer, action: Action, community: Community | None, obj: Any = None
) -> Refusal | None:
    """Why ``user`` may not do ``action`` in ``community`` (on ``obj``), or None if they may."""
    role = role_of(user, community)
    needed = MIN_ROLE[action]
    if role < needed:
        code, message = SIGN_IN_FIRST if role == Role.ANONYMOUS else ROLE_REFUSALS[needed]
        return Refusal(message, code)
    return _object_refusal(user, action, role, obj)


def can(user: Viewer, action: Action, community: Community | None, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` in ``community`` (on ``obj``)."""
    return refusal(user, action, community, obj) is None


def check(user: Viewer, action: Action, community: Community | None, obj: Any = None) -> None:
    """Raise :class:`Refusal` (a PermissionDenied) unless the user may do this."""
    problem = refusal(user, action, community, obj)
    if problem is not None:
        raise problem


# --- Objects that belong to several communities (library resources, collections) -----------------


def can_any(user: Viewer, action: Action, communities: Iterable[Community]) -> bool:
    """True if the user may do ``action`` in at least one of ``communities``."""
    if role_of(user, None) == Role.STAFF:
        return True
    return any(can(user, action, community) for community in communities)


def check_any(user: Viewer, action: Action, communities: Iterable[Community]) -> None:
    """Raise :class:`Refusal` unless the user may do ``action`` in one of ``communities``."""
    communities = list(communities)
    if can_any(user, action, communities):
        return
    # can_any is False, so the first community refuses too: say why. With no community at all,
    # the role table may have nothing against the action (e.g. reading), yet there is nowhere
    # to do it: still a refusal, never a bare ``raise None``.
    problem = refusal(user, action, communities[0] if communities else None)
    raise problem or Refusal(_("This is not part of any community."), "no_community")
