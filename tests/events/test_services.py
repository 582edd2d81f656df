"""Events: creating, editing, cancelling, duplicating, registering with a waiting list, and
what each person is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Notification
from core.models import AuditEntry
from core.permissions import Refusal
from events import services
from events.models import Event, Registration
from search.models import SearchEntry
from tests.events.conftest import data

pytestmark = pytest.mark.django_db


def test_create_stores_utc_speakers_audit_and_index(make_event, people):
    event = make_event()
    assert event.starts_at.utcoffset() == timedelta(0)
    assert event.html.startswith("<p>Вебинар <strong>ЦОН</strong>")
    speakers = [(s.user, s.name) for s in event.speakers.all()]
    assert speakers == [(people["member"], ""), (None, "Dr. Jane Smith")]
    entry = AuditEntry.objects.get(action="event.create")
    assert (entry.actor, entry.community) == (people["moderator"], event.community)
    indexed = SearchEntry.objects.get(doc_type="event", object_id=event.pk)
    assert indexed.title == event.title


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": timezone.now()}, "ends_at", "The event must end after it starts."),
        ({"capacity": 0}, "capacity", "The capacity must be at least 1"),
        ({"capacity": -5}, "capacity", "The capacity must be at least 1"),
        ({"join_url": "javascript:alert(1)"}, "join_url", "must start with https://"),
        ({"join_url": "ftp://files.example.org"}, "join_url", "must start with https://"),
        ({"title": "  "}, "title", "Give the event a title."),
    ],
)
def test_bad_input_is_refused_with_the_reason(people, communities, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=people["moderator"], community=communities["e-government"], data=data(**overrides)
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not Event.objects.exists()


def test_registration_fills_then_waits_then_promotes_in_order(make_event, make_user):
    event = make_event(capacity=2)
    first, second, third, fourth = (make_user(f"p{n}") for n in range(4))
    statuses = [
        services.registration_create(user=u, event=event).status
        for u in (first, second, third, fourth)
    ]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    # Registering twice changes nothing.
    assert services.registration_create(user=first, event=event).status == "registered"
    services.registration_cancel(user=first, event=event)
    assert Registration.objects.get(event=event, user=third).status == "registered"
    assert Registration.objects.get(event=event, user=fourth).status == "waiting"
    told = Notification.objects.get(recipient=third)
    assert (told.kind, told.data["what"]) == ("event", "promoted")
    assert not Notification.objects.filter(recipient=fourth).exists()


def test_raising_the_capacity_promotes_the_waiting_list(make_event, make_user, people):
    event = make_event(capacity=1)
    a, b = make_user("a1"), make_user("b1")
    services.registration_create(user=a, event=event)
    services.registration_create(user=b, event=event)
    services.event_update(actor=people["moderator"], event=event, data=data(
        starts_at=event.starts_at, capacity=2))  # fmt: skip
    assert Registration.objects.get(user=b).status == "registered"


def test_a_cancelled_or_past_event_refuses_registration(make_event, make_user, people):
    event = make_event()
    services.event_cancel(actor=people["moderator"], event=event)
    with pytest.raises(Refusal, match="cancelled"):
        services.registration_create(user=make_user("late"), event=event)
    past = make_event(starts_at=timezone.now() - timedelta(hours=3))
    with pytest.raises(Refusal, match="over"):
        services.registration_create(user=make_user("later"), event=past)


def test_cancel_and_reschedule_tell_registrants_and_bump_the_sequence(
    make_event, make_user, people
):
    event = make_event()
    reader = make_user("reader")
    services.registration_create(user=reader, event=event)
    services.event_update(actor=people["moderator"], event=event, data=data(
        starts_at=event.starts_at + timedelta(hours=2)))  # fmt: skip
    event.refresh_from_db()
    assert event.sequence == 1
    services.event_update(actor=people["moderator"], event=event, data=data(
        starts_at=event.starts_at, title="Renamed"))  # fmt: skip
    services.event_cancel(actor=people["moderator"], event=event, reason="Speaker ill")
    event.refresh_from_db()
    assert (event.status, event.sequence) == ("cancelled", 3)
    whats = list(
        Notification.objects.filter(recipient=reader)
        .order_by("id")
        .values_list("data__what", flat=True)
    )
    assert whats == ["changed", "cancelled"]  # a new title alone is not a new time or place
    assert not SearchEntry.objects.filter(doc_type="event", object_id=event.pk).exists()
    assert AuditEntry.objects.filter(action="event.cancel", reason="Speaker ill").exists()


def test_duplicate_keeps_details_not_people(make_event, make_user, people):
    event = make_event(capacity=10)
    services.registration_create(user=make_user("x"), event=event)
    start = event.starts_at + timedelta(days=7)
    copy = services.event_duplicate(actor=people["moderator"], event=event, starts_at=start)
    assert (copy.title, copy.capacity, copy.ends_at - copy.starts_at) == (
        event.title, 10, event.ends_at - event.starts_at)  # fmt: skip
    assert copy.uid != event.uid
    assert copy.registrations.count() == 0
    assert [s.display_name for s in copy.speakers.all()] == [
        s.display_name for s in event.speakers.all()
    ]


def test_attendance_only_after_the_start(make_event, make_user, people):
    event = make_event()
    person = make_user("p")
    services.registration_create(user=person, event=event)
    with pytest.raises(Refusal):
        services.attendance_set(actor=people["moderator"], event=event, attended_ids={person.pk})
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    event.refresh_from_db()
    assert (
        services.attendance_set(actor=people["moderator"], event=event, attended_ids={person.pk})
        == 1
    )
    assert Registration.objects.get(user=person).attended is True


def test_follow_up_thread_and_materials(make_event, people, communities):
    from forums.services.threads import thread_create
    from resources import services as library

    event = make_event()
    recording = library.resource_submit(
        actor=people["moderator"],
        data={
            "title": "Вебинар жазбасы",
            "summary": "Жазба.",
            "kind": "recording",
            "language": "kk",
            "year": 2026,
        },
        communities=[communities["e-government"]],
        publish=True,
    )
    services.materials_set(actor=people["moderator"], event=event, resources=[recording])
    services.follow_up_open(actor=people["moderator"], event=event, thread_create=thread_create)
    event.refresh_from_db()
    assert list(event.resources.all()) == [recording]
    from resources.selectors import origin_list

    [origin] = origin_list(resource=recording)
    assert (origin.title, origin.url) == (event.title, event.get_absolute_url())
    assert event.thread.title == f"Follow-up: {event.title}"
    assert event.thread.community == event.community
    # Once only.
    services.follow_up_open(actor=people["moderator"], event=event, thread_create=thread_create)
    assert AuditEntry.objects.filter(action="event.follow_up").count() == 1


def test_a_new_time_brings_new_reminders(make_event, make_user, people):
    from events import reminders

    event = make_event(starts_at=timezone.now() + timedelta(minutes=30))
    person = make_user("rem")
    services.registration_create(user=person, event=event)
    assert reminders.run() == 1
    assert reminders.run() == 0
    later = timezone.now() + timedelta(hours=20)
    services.event_update(actor=people["moderator"], event=event, data=data(starts_at=later))
    assert reminders.run() == 1  # the day's reminder for the new date
    whats = list(
        Notification.objects.filter(recipient=person)
        .order_by("id")
        .values_list("data__what", flat=True)
    )
    assert whats == ["reminder_hour", "changed", "reminder_day"]
