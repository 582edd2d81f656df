"""E-mail deliveries: made in the transaction of what caused them, sent by the worker.

A delivery is a row keyed by (recipient, thing), so one thing is e-mailed to one person once,
however often a task runs. Sending claims the row with a conditional update (two workers never
send it together), renders it at that moment (in the recipient's language; a post hidden or
read on the site meanwhile is not sent), and retries on SMTP failure with growing waits.

The one gap that cannot be closed from this side of SMTP: a worker that dies after the server
accepted the message and before the row says "sent". The row stays "sending"; after
SENDING_LEASE the recovery job sends it again (at least once, never lost), with the same
Message-ID, which mail clients and servers use to drop the second copy.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, notification_message
from core import markup
from mail import compose, preferences, registry
from mail.models import Delivery, When

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd... attempt after an SMTP failure; then the delivery fails.
RETRY_WAITS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
SENDING_LEASE = timedelta(minutes=15)
SMTP_ERRORS = (smtplib.SMTPException, OSError)


def _enqueue(delivery_ids, *, delay: timedelta | None = None) -> None:
    from core.worker import enqueue_on_commit
    from mail.tasks import delivery_send

    run_after = timezone.now() + delay if delay else None
    for delivery_id in delivery_ids:
        enqueue_on_commit(delivery_send, delivery_id, run_after=run_after)


def _create(rows: list[Delivery]) -> list[int]:
    """Insert what is not there yet; the ids of the rows inserted now."""
    if not rows:
        return []
    keys = {(row.recipient_id, row.key) for row in rows}
    existing = set(
        Delivery.objects.filter(
            recipient_id__in={r for r, _k in keys}, key__in={k for _r, k in keys}
        ).values_list("recipient_id", "key")
    )
    fresh = [row for row in rows if (row.recipient_id, row.key) not in existing]
    Delivery.objects.bulk_create(fresh, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(
            recipient_id__in={row.recipient_id for row in fresh},
            key__in={row.key for row in fresh},
        ).values_list("pk", flat=True)
    )


def notifications_queue(notifications: list[Notification]) -> None:
    """The inbox entries just made (the accounts listener): an e-mail for each recipient who
    wants that kind at once, sent after NOTIFY_DELAY unless they read it on the site first."""
    from django.conf import settings

    rows = []
    chosen = preferences.settings_of(n.recipient_id for n in notifications)  # one query
    for notification in notifications:
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            continue
        if preferences.when_in(chosen[recipient.pk], notification.kind) != When.NOW:
            continue
        rows.append(
            Delivery(
                recipient=recipient,
                kind=Delivery.Kind.NOTIFICATION,
                key=f"notification:{notification.pk}",
                notification=notification,
                community_id=notification.community_id,
            )
        )
    _enqueue(_create(rows), delay=timedelta(seconds=settings.NOTIFY_DELAY_SECONDS))


def thread_announce(*, community, thread_id: int, author_id: int | None, may_read) -> None:
    """A new thread in ``community``: an e-mail to each member who chose "every new thread"
    there and may read it (``may_read(users)`` keeps those). Call in the thread's transaction."""
    from django.contrib.auth import get_user_model

    from mail.models import CommunityMail, Frequency

    wanted = (
        get_user_model()
        .objects.filter(
            pk__in=CommunityMail.objects.filter(
                community=community, threads=Frequency.EVERY
            ).values("user_id"),
            memberships__community=community,
            is_active=True,
        )
        .exclude(pk=author_id)
        .exclude(email="")
    )
    rows = [
        Delivery(
            recipient=user,
            kind=Delivery.Kind.THREAD,
            key=f"thread:{thread_id}",
            community=community,
            data={"thread": thread_id},
        )
        for user in may_read(list(wanted))
    ]
    _enqueue(_create(rows))


# --- Sending -------------------------------------------------------------------------------------


def _claim(delivery_id: int) -> bool:
    """Take the delivery for this attempt: queued, or "sending" by a worker that has not
    finished within SENDING_LEASE. True if this call got it."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=Delivery.Status.QUEUED)
            | Q(status=Delivery.Status.SENDING, attempted__lt=now - SENDING_LEASE)
        )
        .update(status=Delivery.Status.SENDING, attempted=now, attempts=F("attempts") + 1)
    )


def _finish(delivery: Delivery, status: str, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def send(delivery_id: int) -> str:
    """Send one delivery (the worker's task); returns the status it ends in. Never raises for
    SMTP trouble: it schedules the next attempt instead."""
    if not _claim(delivery_id):
        return "taken"
    delivery = Delivery.objects.select_related(
        "recipient", "notification", "notification__actor", "community"
    ).get(pk=delivery_id)
    user = delivery.recipient
    if not user.is_active or not user.email:
        _finish(delivery, Delivery.Status.SKIPPED, reason="inactive")
        return Delivery.Status.SKIPPED
    with translation.override(compose.language_of(user)):
        email, reason = _build(delivery)
    if email is None:
        _finish(delivery, Delivery.Status.SKIPPED, reason=reason)
        return Delivery.Status.SKIPPED
    try:
        with get_connection() as connection:
            connection.send_messages([email])
    except SMTP_ERRORS as error:
        return _retry(delivery, error)
    _finish(delivery, Delivery.Status.SENT, sent=timezone.now(), last_error="")
    if delivery.notification_id:
        Notification.objects.filter(pk=delivery.notification_id).update(emailed_at=timezone.now())
    return Delivery.Status.SENT


def _retry(delivery: Delivery, error: Exception) -> str:
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    message = f"{type(error).__name__}: {error}"[:300]
    if attempts > len(RETRY_WAITS):
        logger.error("mail: delivery %s failed for good: %s", delivery.pk, message)
        _finish(delivery, Delivery.Status.FAILED, last_error=message)
        return Delivery.Status.FAILED
    wait = RETRY_WAITS[attempts - 1]
    logger.warning("mail: delivery %s failed (%s); next attempt in %s", delivery.pk, message, wait)
    with transaction.atomic():
        _finish(delivery, Delivery.Status.QUEUED, last_error=message)
        _enqueue([delivery.pk], delay=wait)
    return Delivery.Status.QUEUED


def recover() -> int:
    """Queue again the deliveries a dead worker left "sending" (see the module's docstring) and
    those whose task was lost; returns how many."""
    stale = timezone.now() - SENDING_LEASE
    ids = list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.SENDING, attempted__lt=stale)
            | Q(status=Delivery.Status.QUEUED, attempted__lt=stale - max(RETRY_WAITS))
            | Q(status=Delivery.Status.QUEUED, attempted__isnull=True, created__lt=stale)
        ).values_list("pk", flat=True)[:1000]
    )
    with transaction.atomic():
        _enqueue(ids)
    return len(ids)


# --- What each kind says ----------------------------------------------------------------------


def _build(delivery: Delivery):
    """(the e-mail, "") or (None, why it is not sent)."""
    if delivery.kind == Delivery.Kind.NOTIFICATION:
        return _notification_email(delivery)
    if delivery.kind == Delivery.Kind.THREAD:
        return _thread_email(delivery)
    if delivery.kind == Delivery.Kind.DIGEST:
        from mail.digests import digest_email

        return digest_email(delivery)
    if delivery.kind == Delivery.Kind.ALERT:
        from mail.alerts import alert_email

        return alert_email(delivery)
    return None, "unknown"


def _notification_email(delivery: Delivery):
    notification = delivery.notification
    user = delivery.recipient
    if notification is None:
        return None, "withdrawn"  # the post was hidden or deleted: the entry went with it
    if notification.read_at is not None:
        return None, "read"
    if preferences.when(user, notification.kind) != When.NOW:
        return None, "preference"
    content = registry.content_for(user, notification.data)
    if content is None:
        return None, "unreadable"
    quoted = content if isinstance(content, registry.Content) else None
    if quoted is not None:
        quoted.html = compose.absolute_html(quoted.html)
    reasons = {
        "replies": _("You follow this thread, or it is about your post."),
        "mentions": _("You were mentioned."),
        "moderation": _("It concerns your submission, or something you moderate."),
        "events": _("You registered for this event."),
        "questions": _("It is a private conversation you take part in."),
    }
    category = preferences.CATEGORY.get(notification.kind, "replies")
    email = compose.message(
        delivery=delivery,
        template="notification",
        subject=notification_message(notification),
        context={
            "notification": notification,
            "line": notification_message(notification),
            "content": quoted,
            "url": compose.absolute(quoted.url if quoted else notification.url),
        },
        scope=preferences.scope_of(delivery),
        reason=reasons[category],
    )
    return email, ""


def _thread_email(delivery: Delivery):
    user = delivery.recipient
    content = registry.content_for(user, delivery.data)
    if not isinstance(content, registry.Content):
        return None, "unreadable"
    community = delivery.community
    content.html = compose.absolute_html(content.html)
    email = compose.message(
        delivery=delivery,
        template="thread",
        subject=_("New thread in %(community)s: %(title)s")
        % {"community": community.name, "title": content.title},
        context={
            "content": content,
            "text": markup.to_text(content.html),
            "community": community,
            "url": compose.absolute(content.url),
        },
        scope=preferences.scope_of(delivery),
        reason=_("You chose to hear about every new thread in %(community)s.")
        % {"community": community.name},
    )
    return email, ""
