"""Reminders a day and an hour before an event, sent by the worker (a periodic job): each is an
inbox entry in the person's language, which the e-mail channel delivers as they chose. A flag
per registration and step makes each reminder happen once, however many workers look."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notification_create
from events.models import Event, Registration

STEPS = {
    # step: (how long before the start, the flag on the registration)
    "day": (timedelta(hours=24), "reminded_day"),
    "hour": (timedelta(hours=1), "reminded_hour"),
}


def run(now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many."""
    now = now or timezone.now()
    sent = 0
    for step, (before, flag) in STEPS.items():
        due = Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + before,
            **{flag: False},
        )
        if step == "day":
            # Registered less than an hour before: the hour's reminder is enough.
            due = due.filter(event__starts_at__gt=now + STEPS["hour"][0])
        for event_id in set(due.values_list("event_id", flat=True)):
            sent += _remind(event_id, step, flag, now)
    return sent


@transaction.atomic
def _remind(event_id: int, step: str, flag: str, now: datetime) -> int:
    event = Event.objects.select_for_update().get(pk=event_id)
    rows = list(
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.REGISTERED, **{flag: False})
        .select_related("user")
    )
    if not rows:
        return 0
    Registration.objects.filter(pk__in=[r.pk for r in rows]).update(**{flag: True})
    if step == "hour":  # the day reminder is no longer useful once the hour one went
        Registration.objects.filter(pk__in=[r.pk for r in rows]).update(reminded_day=True)
    notification_create(
        recipients=[r.user for r in rows if r.user.is_active],
        kind=Notification.Kind.EVENT,
        actor=None,
        url=event.get_absolute_url(),
        title=event.title,
        community=event.community,
        data={"event": event.pk, "what": f"reminder_{step}", "starts": event.starts_at.isoformat()},
    )
    return len(rows)
