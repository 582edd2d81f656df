"""Writes for people: profiles and notifications."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import THEMES, Notification, User
from accounts.selectors import unread_count_key
from core.models import Community
from core.realtime import send_event_on_commit, user_group


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    """Save profile fields (already validated by ProfileForm) on ``user``. ``photo``: a
    processed image (accounts/avatars.py) to store, False to remove the photo, None to keep."""
    expertise = data.pop("expertise", None)
    photo = data.pop("photo", None)
    if photo is not None:
        old = user.avatar.name if user.avatar else ""
        if photo is False:
            user.avatar = ""
        else:
            user.avatar.save(photo.name, photo, save=False)
        data["avatar"] = user.avatar
        if old:
            # After commit: a rolled-back save keeps its old photo.
            transaction.on_commit(lambda: user.avatar.storage.delete(old))
    for field, value in data.items():
        setattr(user, field, value)
    user.save(update_fields=list(data))
    if expertise is not None:
        user.expertise.set(expertise)
    return user


def user_onboarding_finish(*, user: User) -> bool:
    """Mark the welcome after sign-up as done for ``user`` (finished or skipped: either way
    they are not sent to it again). Returns False when it was done already."""
    updated = User.objects.filter(pk=user.pk, onboarded_at__isnull=True).update(
        onboarded_at=timezone.now()
    )
    if updated:
        user.refresh_from_db(fields=["onboarded_at"])
    return bool(updated)


def notification_create(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User | None,
    url: str,
    title: str = "",
    excerpt: str = "",
    community: Community | None = None,
    data: dict | None = None,
) -> list[Notification]:
    """Put one inbox entry per recipient (never the actor themself); call inside the write's
    transaction. The live badge is rung after commit."""
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            actor=actor,
            url=url,
            title=title[:300],
            excerpt=excerpt[:300],
            community=community,
            data=data or {},
        )
        for recipient in {r.pk: r for r in recipients if actor is None or r.pk != actor.pk}.values()
    ]
    created = Notification.objects.bulk_create(rows)
    announce_inbox_change(user_ids=[row.recipient_id for row in created])
    for listener in _listeners:
        listener(created)
    return created


_listeners: list[Callable[[list[Notification]], None]] = []


def register_notification_listener(listener: Callable[[list[Notification]], None]) -> None:
    """Call ``listener`` with the entries of each notification_create, inside its transaction
    (the e-mail channel, mail/, queues its messages this way). Call from AppConfig.ready()."""
    if listener not in _listeners:
        _listeners.append(listener)


def user_language_set(*, user: User, language: str) -> None:
    """Remember the interface language ``user`` chose (their e-mails are written in it)."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_theme_set(*, user: User, theme: str) -> None:
    """Remember the colour theme ``user`` chose ("light", "dark", or "" for the device's)."""
    if theme in {"", *dict(THEMES)} and user.theme != theme:
        user.theme = theme
        user.save(update_fields=["theme"])


def notifications_withdraw(*, kinds: Iterable[str] = (), **about: int) -> int:
    """Delete the inbox entries about something that was deleted or hidden (``about`` are keys
    of their ``data``: ``post=…``, ``thread=…``, ``room=…, seq=…``), so its words leave every
    inbox; their badges are rung. Call inside the transaction of the removal. Returns how many
    entries went."""
    entries = Notification.objects.filter(**{f"data__{key}": value for key, value in about.items()})
    if kinds:
        entries = entries.filter(kind__in=list(kinds))
    recipients = list(entries.values_list("recipient_id", flat=True).distinct())
    count, _by_model = entries.delete()
    announce_inbox_change(user_ids=recipients)
    return count


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of ``user`` read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    count = qs.update(read_at=timezone.now())
    if count:
        announce_inbox_change(user_ids=[user.pk])
    return count


def notifications_read_about(*, user: User, kinds: Iterable[str] = (), **about: int) -> int:
    """Mark ``user``'s unread entries about something read (``about`` are keys of their
    ``data``, as for notifications_withdraw): they have just seen it on its own page. Returns
    how many entries changed; the badge is rung only then."""
    entries = Notification.objects.filter(
        recipient=user,
        read_at__isnull=True,
        **{f"data__{key}": value for key, value in about.items()},
    )
    if kinds:
        entries = entries.filter(kind__in=list(kinds))
    count = entries.update(read_at=timezone.now())
    if count:
        announce_inbox_change(user_ids=[user.pk])
    return count


def announce_inbox_change(*, user_ids: Iterable[int]) -> None:
    """These people's inboxes changed: their cached unread counts go (now and at commit, before
    the badges are rung) and their live badges fetch the new count (after commit)."""
    user_ids = set(user_ids)
    keys = [unread_count_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
    for user_id in user_ids:
        send_event_on_commit(user_group(user_id), {"type": "user.notifications"})
