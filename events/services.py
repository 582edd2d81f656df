"""Every write on events: create, edit, cancel, duplicate; register, cancel a registration,
promote from the waiting list; attendance; the follow-up (thread and materials). Each in a
transaction, checked through core.permissions, audited where a moderator acts, and telling the
people concerned through the notification inbox (which the e-mail channel delivers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create
from core import markup, permissions
from core.models import Community
from core.permissions import Action, Refusal
from core.services import audit_record
from events import indexing
from events.models import Event, Registration, Speaker

# Changes attendees must see in their calendars (SEQUENCE grows, registrants are told).
_SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "join_url", "venue")


@dataclass
class EventData:
    """The editable fields of an event, as a form or a test gives them."""

    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str = "UTC"
    kind: str = Event.Kind.WEBINAR
    body: str = ""
    language: str = ""
    languages: list[str] = field(default_factory=list)
    interpretation: list[str] = field(default_factory=list)
    join_url: str = ""
    venue: str = ""
    capacity: int | None = None
    speakers: list[str] = field(default_factory=list)  # "@username" or a name as written


def _check_data(data: EventData) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Give the event a title.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if data.capacity is not None and data.capacity < 1:
        errors["capacity"] = _("The capacity must be at least 1, or left empty for no limit.")
    if data.join_url and not data.join_url.lower().startswith(("https://", "http://")):
        errors["join_url"] = _("The join link must start with https:// or http://.")
    if errors:
        raise ValidationError(errors)


def _speakers_set(event: Event, names: list[str]) -> None:
    event.speakers.all().delete()
    usernames = {n.strip()[1:] for n in names if n.strip().startswith("@")}
    users = {u.username.lower(): u for u in User.objects.filter(username__in=usernames)}
    rows = []
    for position, raw in enumerate(n.strip() for n in names):
        if not raw:
            continue
        user = users.get(raw[1:].lower()) if raw.startswith("@") else None
        rows.append(Speaker(event=event, user=user, name="" if user else raw, position=position))
    Speaker.objects.bulk_create(rows)


def _apply(event: Event, data: EventData) -> None:
    event.title = data.title.strip()
    event.body = data.body
    event.html = markup.render(data.body) if data.body.strip() else ""
    event.language = data.language
    event.kind = data.kind
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.time_zone = data.time_zone
    event.languages = list(data.languages)
    event.interpretation = list(data.interpretation)
    event.join_url = data.join_url
    event.venue = data.venue.strip()
    event.capacity = data.capacity


def _summary(event: Event) -> dict:
    return {
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "time_zone": event.time_zone,
        "capacity": event.capacity,
        "status": event.status,
    }


@transaction.atomic
def event_create(*, actor: User, community: Community | None, data: EventData) -> Event:
    """A new event in ``community`` (None: hub-wide, staff only). Raises Refusal or
    ValidationError (naming the fields)."""
    permissions.check(actor, Action.EVENT_MANAGE, community)
    _check_data(data)
    event = Event(community=community, organiser=actor)
    _apply(event, data)
    event.save()
    _speakers_set(event, data.speakers)
    audit_record(actor=actor, action="event.create", target=event, community=community,
                 after=_summary(event))  # fmt: skip
    indexing.event_store(event)
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, data: EventData) -> Event:
    """Save the changes; a change of time or place raises the calendar SEQUENCE and tells the
    registrants."""
    permissions.check(actor, Action.EVENT_MANAGE, event.community)
    _check_data(data)
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = _summary(event)
    old = {name: getattr(event, name) for name in _SCHEDULE_FIELDS}
    _apply(event, data)
    rescheduled = any(getattr(event, name) != value for name, value in old.items())
    event.sequence += 1
    event.save()
    _speakers_set(event, data.speakers)
    audit_record(actor=actor, action="event.edit", target=event, community=event.community,
                 before=before, after=_summary(event))  # fmt: skip
    if rescheduled:
        # The reminders already sent were for the old time; the new one gets its own.
        event.registrations.update(reminded_day=False, reminded_hour=False)
        _tell(event, what="changed", actor=actor)
    _promote(event)  # a larger capacity frees places
    indexing.event_store(event)
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str = "") -> Event:
    """Cancel: calendars get METHOD:CANCEL, registrants are told."""
    permissions.check(actor, Action.EVENT_MANAGE, event.community)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated"])
    audit_record(actor=actor, action="event.cancel", target=event, community=event.community,
                 reason=reason[:500])  # fmt: skip
    _tell(event, what="cancelled", actor=actor)
    indexing.event_store(event)
    return event


@transaction.atomic
def event_duplicate(*, actor: User, event: Event, starts_at: datetime) -> Event:
    """A copy of ``event`` starting at ``starts_at`` (same length), without its registrations,
    thread or materials."""
    permissions.check(actor, Action.EVENT_MANAGE, event.community)
    length = event.ends_at - event.starts_at
    copy = Event.objects.create(
        community=event.community, organiser=actor, title=event.title, body=event.body,
        html=event.html, language=event.language, kind=event.kind, starts_at=starts_at,
        ends_at=starts_at + length, time_zone=event.time_zone, languages=event.languages,
        interpretation=event.interpretation, join_url=event.join_url, venue=event.venue,
        capacity=event.capacity,
    )  # fmt: skip
    Speaker.objects.bulk_create(
        Speaker(event=copy, user_id=s.user_id, name=s.name, position=s.position)
        for s in event.speakers.all()
    )
    audit_record(actor=actor, action="event.duplicate", target=copy, community=copy.community,
                 before={"from": event.pk}, after=_summary(copy))  # fmt: skip
    indexing.event_store(copy)
    return copy


# --- Registration -----------------------------------------------------------------------------


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


@transaction.atomic
def registration_create(*, user: User, event: Event) -> Registration:
    """Take a place, or a place on the waiting list when the event is full. Two people asking
    for the last place at once: the event row is locked, so one gets it and the other waits.
    Raises Refusal (not signed in, cancelled, over)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    permissions.check(user, Action.EVENT_REGISTER, event.community, event)
    registration = Registration.objects.select_for_update().filter(event=event, user=user).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    full = event.capacity is not None and _registered_count(event) >= event.capacity
    status = Registration.Status.WAITING if full else Registration.Status.REGISTERED
    if registration is None:
        registration = Registration.objects.create(event=event, user=user, status=status)
    else:
        registration.status = status
        registration.requested = timezone.now()
        registration.reminded_day = registration.reminded_hour = False
        registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, user: User, event: Event) -> Registration | None:
    """Give the place up; the first on the waiting list takes it and is told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    _promote(event)
    return registration


def _promote(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, in the order people asked; each is told. Call
    with the event row locked."""
    if event.is_cancelled or event.ends_at <= timezone.now():
        return []
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by(
        "requested", "id"
    )
    if event.capacity is not None:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.REGISTERED
    )
    _notify(event, [r.user for r in promoted], what="promoted", actor=None)
    return promoted


@transaction.atomic
def attendance_set(*, actor: User, event: Event, attended_ids: set[int]) -> int:
    """Mark who attended (registrants whose ids are given) and who did not (the others)."""
    permissions.check(actor, Action.EVENT_REGISTRANTS, event.community)
    if event.starts_at > timezone.now():
        raise Refusal(_("Attendance can be marked once the event has started."), "not_started")
    registered = event.registrations.filter(status=Registration.Status.REGISTERED)
    registered.filter(user_id__in=attended_ids).update(attended=True)
    registered.exclude(user_id__in=attended_ids).update(attended=False)
    audit_record(actor=actor, action="event.attendance", target=event, community=event.community,
                 after={"attended": len(attended_ids)})  # fmt: skip
    return registered.filter(attended=True).count()


# --- After the event --------------------------------------------------------------------------


@transaction.atomic
def materials_set(*, actor: User, event: Event, resources) -> None:
    """The recording and materials: library resources linked to the event."""
    permissions.check(actor, Action.EVENT_MANAGE, event.community)
    event.resources.set(resources)
    audit_record(actor=actor, action="event.materials", target=event, community=event.community,
                 after={"resources": sorted(r.pk for r in resources)})  # fmt: skip


def follow_up_open(*, actor: User, event: Event, thread_create) -> Event:
    """Open the discussion thread for follow-up questions (once). ``thread_create`` is the
    forum's service, passed in by the caller so that events need not know the forum's
    internals beyond the thread it links to."""
    permissions.check(actor, Action.EVENT_MANAGE, event.community)
    if event.community is None:
        return event
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # two clicks: one thread
        if event.thread_id:
            return event
        thread = thread_create(
            community=event.community,
            author=actor,
            title=(_("Follow-up: %(title)s") % {"title": event.title})[:200],
            body=_("Questions and notes after the event [%(title)s](%(url)s).")
            % {"title": event.title, "url": event.get_absolute_url()},
            language=event.language or "en",
        )
        Event.objects.filter(pk=event.pk).update(thread=thread)
        event.thread = thread
        audit_record(actor=actor, action="event.follow_up", target=event,
                     community=event.community, after={"thread": thread.pk})  # fmt: skip
    return event


# --- Telling people ---------------------------------------------------------------------------


def _tell(event: Event, *, what: str, actor: User | None) -> None:
    people = User.objects.filter(
        event_registrations__event=event,
        event_registrations__status__in=[
            Registration.Status.REGISTERED,
            Registration.Status.WAITING,
        ],
    )
    _notify(event, list(people), what=what, actor=actor)


def _notify(event: Event, people, *, what: str, actor: User | None) -> None:
    notification_create(
        recipients=people,
        kind=Notification.Kind.EVENT,
        actor=actor,
        url=event.get_absolute_url(),
        title=event.title,
        community=event.community,
        data={"event": event.pk, "what": what, "sequence": event.sequence},
    )
