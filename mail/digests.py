"""Daily and weekly digests: what happened in a person's communities since their last one.

At DIGEST_HOUR (UTC) every day, and on Mondays for the weekly one, the worker plans one
delivery per person due (one row each, keyed by the period, so planning twice plans once). A
digest covers from the end of the person's previous one of that period to the moment it was
planned, so nothing is told twice and nothing falls between two. The
digest itself is assembled when it is sent: the sections the apps register (top threads by new
replies, new library resources, accepted answers) for the communities set to that frequency,
the notifications the person chose to receive "in my digest", and new results of their saved
searches set to the digest. Only what they have not seen; nothing at all when nothing happened.

People with at least one community on the daily digest get their digest-mode notifications and
saved searches there; everyone else in the weekly one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification, notification_message
from core.models import Community, Membership
from mail import compose, preferences, registry
from mail.deliveries import _create, _enqueue
from mail.models import CommunityMail, Delivery, DigestRun, Frequency, MailSettings, When

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
ITEMS_PER_SECTION = 10


def boundaries(now: datetime) -> dict[str, datetime]:
    """The most recent start of each period: today's (or yesterday's) DIGEST_HOUR, and the
    last Monday's."""
    today = now.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    daily = today if now >= today else today - timedelta(days=1)
    weekly = daily - timedelta(days=daily.weekday())
    return {"daily": daily, "weekly": weekly}


def _recipients(period: str):
    User = get_user_model()
    people = User.objects.filter(is_active=True).exclude(email="")
    people = people.exclude(mail_settings__digests=False)
    daily = CommunityMail.objects.filter(threads=Frequency.DAILY).values("user_id")
    if period == "daily":
        return people.filter(pk__in=daily)
    wants_digest = (
        Q(mail_settings__replies=When.DIGEST)
        | Q(mail_settings__mentions=When.DIGEST)
        | Q(mail_settings__moderation=When.DIGEST)
        | Q(mail_settings__events=When.DIGEST)
        | Q(mail_settings__questions=When.DIGEST)
    )
    saved = Q(saved_searches__alert=When.DIGEST)
    return people.filter(
        Q(pk__in=Membership.objects.values("user_id")) | wants_digest | saved
    ).distinct()


def plan(now: datetime | None = None) -> int:
    """Plan the digests that are due (the periodic job); returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for period, start in boundaries(now).items():
        try:
            with transaction.atomic():
                DigestRun.objects.create(period=period, start=start)
        except IntegrityError:
            continue  # planned already (by this worker or another)
        key = f"digest:{period}:{start:%Y%m%d}"
        ids = _recipients(period).values_list("pk", flat=True).iterator(chunk_size=2000)
        batch: list[Delivery] = []
        for user_id in ids:
            batch.append(
                Delivery(
                    recipient_id=user_id,
                    kind=Delivery.Kind.DIGEST,
                    key=key,
                    # The digest covers up to now; the next one starts here.
                    data={"period": period, "until": now.isoformat()},
                )
            )
            if len(batch) >= 1000:
                queued += _queue(batch)
                batch = []
        queued += _queue(batch)
    return queued


def _queue(rows: list[Delivery]) -> int:
    with transaction.atomic():
        ids = _create(rows)
        _enqueue(ids)
    return len(ids)


def _window(delivery: Delivery, mail_settings: MailSettings) -> datetime:
    """Where this digest starts: fixed at its first attempt (retries show the same news), from
    the end of the person's previous digest of that period."""
    if "since" in delivery.data:
        return datetime.fromisoformat(delivery.data["since"])
    period = delivery.data["period"]
    until = datetime.fromisoformat(delivery.data["until"])
    last = getattr(mail_settings, f"last_{period}")
    since = max(last, until - PERIODS[period]) if last else until - PERIODS[period]
    delivery.data["since"] = since.isoformat()
    Delivery.objects.filter(pk=delivery.pk).update(data=delivery.data)
    MailSettings.objects.filter(pk=mail_settings.pk).update(**{f"last_{period}": until})
    return since


def digest_email(delivery: Delivery):
    """(the e-mail, "") or (None, "empty") when nothing happened."""
    user = delivery.recipient
    mail_settings = preferences.settings_for(user)
    if not mail_settings.digests:
        return None, "preference"
    period = delivery.data["period"]
    since = _window(delivery, mail_settings)
    until = datetime.fromisoformat(delivery.data["until"])
    chosen = preferences.frequencies(user)
    community_ids = [cid for cid, frequency in chosen.items() if frequency == period]
    communities = list(Community.objects.filter(pk__in=community_ids))
    found = registry.section_items(user, communities, since, until) if communities else []
    carries_own = period == "daily" or Frequency.DAILY not in chosen.values()
    if carries_own:
        own = _notifications(user, mail_settings, since, until)
        if own:
            found.append((_NOTIFICATIONS, own))
        from mail.alerts import digest_results

        # Kept with the delivery at the first attempt: the saved searches are marked seen
        # then, and a retry after an SMTP failure must show the same results.
        if "saved" not in delivery.data:
            delivery.data["saved"] = [vars(item) for item in digest_results(user)]
            Delivery.objects.filter(pk=delivery.pk).update(data=delivery.data)
        results = [registry.Item(**item) for item in delivery.data["saved"]]
        if results:
            found.append((_SAVED, results))
    if not found:
        return None, "empty"
    count = sum(len(items) for _section, items in found)
    subject = (
        _("Your daily digest: %(count)d new") if period == "daily" else _("Your weekly digest")
    ) % {"count": count}
    email = compose.message(
        delivery=delivery,
        template="digest",
        subject=subject,
        context={
            "sections": found,
            "period": period,
            "since": since,
            "communities": communities,
        },
        scope="digest",
        reason=_("You receive a digest of your communities."),
    )
    return email, ""


_NOTIFICATIONS = registry.Section(
    "notifications", gettext_lazy("For you"), items=lambda *args: [], position=-1
)
_SAVED = registry.Section(
    "saved", gettext_lazy("New results for your saved searches"), items=lambda *args: []
)


def _notifications(
    user, mail_settings: MailSettings, since: datetime, until: datetime
) -> list[registry.Item]:
    kinds = [
        kind
        for kind, category in preferences.CATEGORY.items()
        if getattr(mail_settings, category) == When.DIGEST
    ]
    if not kinds:
        return []
    entries = (
        Notification.objects.filter(
            recipient=user,
            kind__in=kinds,
            created__gte=since,
            created__lt=until,
            read_at__isnull=True,
        )
        .select_related("actor")
        .order_by("-created")[:ITEMS_PER_SECTION]
    )
    return [
        registry.Item(
            title=notification_message(entry),
            url=compose.absolute(entry.url),
            excerpt=entry.excerpt,
        )
        for entry in entries
    ]
