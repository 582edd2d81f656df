"""Events of the communities: webinars, peer-learning sessions, conferences, workshops, study
visits. Times are stored in UTC with the organiser's time zone beside them; readers see their own
zone. Registration keeps a waiting list that is promoted automatically."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Community

# The join link shows to registrants from this long before the start until the end.
JOIN_REVEAL_MINUTES = 60


class Event(models.Model):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("webinar")
        PEER_LEARNING = "peer-learning", _("peer-learning session")
        CONFERENCE = "conference", _("conference")
        WORKSHOP = "workshop", _("workshop")
        STUDY_VISIT = "study-visit", _("study visit")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    # Empty: a hub-wide event, shown in every community.
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    html = models.TextField(blank=True)
    language = models.CharField(_("language of the description"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WEBINAR)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("organiser's time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    join_url = models.URLField(_("online join link"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    # iCalendar: the UID never changes; SEQUENCE grows with every change attendees must see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # After the event: its follow-up thread (forums) and its recording and materials (library).
    thread = models.ForeignKey(
        "forums.Thread", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resources = models.ManyToManyField(
        "resources.Resource", blank=True, related_name="events", verbose_name=_("materials")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["community", "starts_at"], name="event_community_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("event_detail", kwargs={"event_id": self.pk})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def state(self, now=None) -> str:
        """ "cancelled", "upcoming", "live" or "past"."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if now < self.starts_at:
            return "upcoming"
        return "live" if now < self.ends_at else "past"

    def join_opens_at(self):
        return self.starts_at - timedelta(minutes=JOIN_REVEAL_MINUTES)


class Speaker(models.Model):
    """A speaker: a member (linked to their profile) or a name as written."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.name if self.user_id else self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # When they (last) asked for a place: the waiting list's order.
    requested = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)
    # Reminders already sent (the worker's idempotency: a reminder per registration and step).
    reminded_day = models.BooleanField(default=False)
    reminded_hour = models.BooleanField(default=False)

    class Meta:
        ordering = ["requested", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_once")]
        indexes = [models.Index(fields=["event", "status", "requested"], name="registration_queue")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.event_id}: {self.status}"


class CalendarToken(models.Model):
    """The private address of a person's calendar of registrations (revocable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
