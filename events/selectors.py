"""Reads of events, with their query shape decided here."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Community
from events.models import Event, Registration
from resources.selectors import Discussion


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("community").annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    )


def event_list(
    *,
    community: Community | None = None,
    past: bool = False,
    kind: str = "",
    language: str = "",
    month: date | None = None,
) -> QuerySet[Event]:
    """A community's events and the hub-wide ones (or every event, without a community):
    upcoming (and live) soonest first, or past latest first."""
    events = _of_community(Event.objects.all(), community)
    now = timezone.now()
    events = (
        events.filter(ends_at__lte=now).order_by("-starts_at", "-id")
        if past
        else events.filter(ends_at__gt=now).order_by("starts_at", "id")
    )
    if kind:
        events = events.filter(kind=kind)
    if language:
        events = events.filter(Q(languages__icontains=f'"{language}"') | Q(language=language))
    if month is not None:
        events = events.filter(starts_at__year=month.year, starts_at__month=month.month)
    return _with_counts(events)


def calendar_events(*, community: Community, days_back: int = 90) -> QuerySet[Event]:
    """A community's calendar feed: its events and the hub-wide ones, from ``days_back`` days
    ago on (cancelled ones too, so calendars learn of the cancellation)."""
    since = timezone.now() - timedelta(days=days_back)
    return (
        _of_community(Event.objects.filter(ends_at__gt=since), community)
        .select_related("organiser")
        .order_by("starts_at", "id")
    )


def _of_community(events: QuerySet[Event], community: Community | None) -> QuerySet[Event]:
    """The community's events and the hub-wide ones (every event, without a community)."""
    if community is None:
        return events
    return events.filter(Q(community=community) | Q(community__isnull=True))


def events_next(*, community: Community | None = None, limit: int = 3) -> list[Event]:
    """The next scheduled events (for the community and home pages)."""
    events = Event.objects.filter(status=Event.Status.SCHEDULED, ends_at__gt=timezone.now())
    events = _of_community(events, community)
    return list(events.select_related("community").order_by("starts_at", "id")[:limit])


def event_get(*, event_id: int) -> Event:
    return get_object_or_404(
        _with_counts(Event.objects.select_related("organiser", "thread")), pk=event_id
    )


def event_find(*, event_id: int) -> Event | None:
    return _with_counts(Event.objects.select_related("thread")).filter(pk=event_id).first()


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITING,
        )
        .filter(
            Q(requested__lt=registration.requested)
            | Q(requested=registration.requested, id__lt=registration.pk)
        )
        .count()
        + 1
    )


def registrants(*, event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "requested", "id")
    )


def registrations_of(*, user) -> QuerySet[Event]:
    """The events a person is registered or waiting for (their calendar)."""
    return (
        Event.objects.filter(
            registrations__user=user,
            registrations__status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
        )
        .select_related("community", "organiser")
        .order_by("starts_at")
    )


def events_upcoming_of(*, user, limit: int = 3) -> list[Event]:
    """The next scheduled events ``user`` is registered or waiting for, soonest first, with
    their community (one query, for a member's home)."""
    if not user.is_authenticated:
        return []
    return list(
        registrations_of(user=user).filter(
            status=Event.Status.SCHEDULED, ends_at__gt=timezone.now()
        )[:limit]
    )


def resource_origins(resource) -> list[Discussion]:
    """The events a library resource comes from (its recording, its materials)."""
    events = resource.events.exclude(status=Event.Status.CANCELLED).select_related("community")
    return [
        Discussion(
            title=event.title,
            url=event.get_absolute_url(),
            language=event.language,
            place=event.community.name if event.community_id else str(_("Hub-wide")),
        )
        for event in events
    ]
