"""Threads: starting one, following it, and what moderators do to a whole thread (pin, lock,
delete, move). Posts inside a thread are in posts.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import notifications_withdraw
from core import permissions
from core.models import CONTENT_LANGUAGES, Community
from core.permissions import Action, Refusal
from core.services import audit_record
from forums.indexing import thread_index
from forums.models import TAG_MAX_PER_THREAD, ChatMessage, Tag, Thread, ThreadFollow
from forums.services.derived import thread_lock
from forums.services.posts import post_add
from forums.services.text import body_clean, readers_of, title_clean
from forums.visitor_cache import community_bump
from mail.deliveries import thread_announce

__all__ = [
    "thread_create",
    "thread_delete",
    "thread_follow",
    "thread_move",
    "thread_set_locked",
    "thread_set_pinned",
]


def _tags_check(community: Community, tags: Iterable[Tag]) -> list[Tag]:
    tags = list(tags or [])
    if any(tag.community_id != community.pk for tag in tags):
        raise ValidationError({"tags": _("Choose tags from this community's list.")})
    if len(tags) > TAG_MAX_PER_THREAD:
        raise ValidationError(
            {"tags": _("At most %(max)d tags per thread.") % {"max": TAG_MAX_PER_THREAD}}
        )
    return tags


@transaction.atomic
def thread_create(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    language: str,
    tags: Iterable[Tag] = (),
    source_message: ChatMessage | None = None,
) -> Thread:
    """Start a thread with its opening post (number 1); the author follows it and the people
    they mention are notified. Raises Refusal (not a member) or ValidationError naming every
    field that is wrong at once (``title``, ``body``, ``tags``, ``language``)."""
    permissions.check(author, Action.THREAD_CREATE, community)
    errors: dict[str, list[str]] = {}
    for clean, value in ((title_clean, title), (body_clean, body)):
        try:
            clean(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        tags = _tags_check(community, tags)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if language not in dict(CONTENT_LANGUAGES):
        errors["language"] = [_("Choose the language of the text from the list.")]
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.create(
        community=community,
        author=author,
        title=title_clean(title),
        language=language,
        last_activity=timezone.now(),
        source_message=source_message,
    )
    if tags:
        thread.tags.set(tags)
    post_add(thread=thread, author=author, body=body_clean(body), language=language)
    thread_announce(
        community=community,
        thread_id=thread.pk,
        author_id=author.pk,
        may_read=lambda users: readers_of(users=users, community=community),
    )
    return thread


@transaction.atomic
def thread_follow(*, thread: Thread, user: User, follow: bool) -> None:
    """Follow (be notified of replies) or stop following. Raises Refusal for visitors."""
    permissions.check(user, Action.THREAD_FOLLOW, thread.community)
    if follow:
        ThreadFollow.objects.get_or_create(thread=thread, user=user)
    else:
        ThreadFollow.objects.filter(thread=thread, user=user).delete()


def _flag_set(*, thread: Thread, actor: User, action: Action, field: str, value: bool) -> Thread:
    """Set a moderator's flag on the thread (locked row), audited; call inside a transaction."""
    thread = thread_lock(thread)
    permissions.check(actor, action, thread.community)
    before = getattr(thread, field)
    if before == value:
        return thread
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=f"thread.{field.removeprefix('is_')}" if value else f"thread.un{field[3:]}",
        target=thread,
        community=thread.community,
        before={field: before},
        after={field: value},
    )
    return thread


@transaction.atomic
def thread_set_pinned(*, thread: Thread, actor: User, pinned: bool) -> Thread:
    """Pin the thread to the top of its list, or unpin it (moderators; audited)."""
    return _flag_set(
        thread=thread, actor=actor, action=Action.THREAD_PIN, field="is_pinned", value=pinned
    )


@transaction.atomic
def thread_set_locked(*, thread: Thread, actor: User, locked: bool) -> Thread:
    """Lock the thread against new replies, or open it again (moderators; audited)."""
    return _flag_set(
        thread=thread, actor=actor, action=Action.THREAD_LOCK, field="is_locked", value=locked
    )


@transaction.atomic
def thread_delete(*, thread: Thread, actor: User, reason: str = "") -> Thread:
    """Delete the thread (moderators; audited): it leaves lists and search with its posts."""
    thread = _flag_set(
        thread=thread, actor=actor, action=Action.THREAD_DELETE, field="is_deleted", value=True
    )
    thread_index(thread, with_replies=True)
    notifications_withdraw(thread=thread.pk)
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, actor: User, to: Community) -> Thread:
    """Move a thread to another community; the moderator must moderate both (audited in both).
    Tags whose slug exists in the target community are kept, the others dropped."""
    thread = thread_lock(thread)
    permissions.check(actor, Action.THREAD_MOVE, thread.community)
    if not permissions.can(actor, Action.THREAD_MOVE, to):
        raise Refusal(_("You can only move threads to a community you moderate."), "not_moderator")
    if to.pk == thread.community_id:
        return thread
    source = thread.community
    target_tags = {t.slug: t for t in Tag.objects.filter(community=to)}
    kept = [target_tags[t.slug] for t in thread.tags.all() if t.slug in target_tags]
    thread.community = to
    thread.save(update_fields=["community"])
    thread.tags.set(kept)
    community_bump(source.pk)  # the thread left its list (the save bumped the new one's)
    for community in (source, to):
        audit_record(
            actor=actor,
            action="thread.move",
            target=thread,
            community=community,
            before={"community": source.slug},
            after={"community": to.slug},
        )
    thread_index(thread, with_replies=True)
    return thread
