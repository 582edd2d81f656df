"""What reaches people between visits: e-mail deliveries, their preferences, saved searches."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Community


class Delivery(models.Model):
    """One e-mail to one person about one thing. ``key`` names the thing (a notification, a
    digest period, an alert run) and is unique per recipient, so a thing is never e-mailed
    twice however often its task runs. The message is rendered when it is sent, in the
    recipient's language of that moment."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("notification")
        THREAD = "thread", _("new thread")
        DIGEST = "digest", _("digest")
        ALERT = "alert", _("saved-search alert")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not needed")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=120)
    notification = models.ForeignKey(
        "accounts.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the message is about, for the kinds that carry it here (new thread, digest, alert).
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=64, blank=True)  # why it was skipped
    created = models.DateTimeField(auto_now_add=True)
    attempted = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="delivery_once"),
        ]
        indexes = [models.Index(fields=["status", "created"], name="delivery_status")]
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient_id} ({self.status})"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a copy sent twice is recognisable."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<delivery-{self.pk}@{domain}>"


class When(models.TextChoices):
    """When a kind of news reaches someone by e-mail."""

    NOW = "now", _("immediately")
    DIGEST = "digest", _("in my digest")
    OFF = "off", _("never")


class Frequency(models.TextChoices):
    """How a community's new threads reach someone."""

    EVERY = "every", _("every new thread")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    OFF = "off", _("off")


class MailSettings(models.Model):
    """A person's e-mail choices (a row is made the first time they are needed; the defaults are
    the fields' defaults). Per community, see CommunityMail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings"
    )
    replies = models.CharField(
        _("replies in threads you follow, quotes, accepted answers"),
        max_length=8,
        choices=When.choices,
        default=When.NOW,
    )
    mentions = models.CharField(
        _("mentions of you, in threads and chat"),
        max_length=8,
        choices=When.choices,
        default=When.NOW,
    )
    moderation = models.CharField(
        _("library decisions on your submissions, and items to review or reports (moderators)"),
        max_length=8,
        choices=When.choices,
        default=When.NOW,
    )
    events = models.CharField(
        _("reminders and changes of events you registered for"),
        max_length=8,
        choices=When.choices,
        default=When.NOW,
    )
    questions = models.CharField(
        _("private questions to you, and replies in your private conversations"),
        max_length=8,
        choices=When.choices,
        default=When.NOW,
    )
    digests = models.BooleanField(
        _("digests of my communities"),
        default=True,
        help_text=_("What happened since the last one; never sent when nothing did."),
    )
    # The digest covers what happened since the last one; it is never sent empty.
    last_daily = models.DateTimeField(null=True, blank=True)
    last_weekly = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail settings")
        verbose_name_plural = _("e-mail settings")

    def __str__(self) -> str:
        return f"e-mail settings of {self.user_id}"


class CommunityMail(models.Model):
    """How one community's new threads reach one person; without a row, the weekly digest for
    every community they belong to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_mail"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    threads = models.CharField(
        _("new threads"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="community_mail_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.community_id}: {self.threads}"


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class SavedSearch(models.Model):
    """A search someone keeps: new results reach them by e-mail (at once or in the digest) and
    through a private feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=200)
    # The query string's parameters (q, type, community, kind, ...), as on the search page.
    params = models.JSONField(_("search"), default=dict)
    alert = models.CharField(_("alert"), max_length=8, choices=When.choices, default=When.DIGEST)
    # New results are the index entries after this one (entry ids only grow).
    last_entry = models.BigIntegerField(default=0)
    feed_token = models.CharField(max_length=40, unique=True, default=_feed_token)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class DigestRun(models.Model):
    """A digest period that has been planned (one row per period and start), so that however
    many workers look, each period is planned once."""

    period = models.CharField(max_length=8)
    start = models.DateTimeField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "start"], name="digest_run_once")]

    def __str__(self) -> str:
        return f"{self.period} digest of {self.start:%Y-%m-%d}"
