"""iCalendar output: parsed back with the library, compared with a golden file, correct across
a daylight-saving change, stable UID, SEQUENCE, METHOD:CANCEL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from events import services
from events.models import Event
from tests.events.conftest import data

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "event.ics"


def _event(client, event) -> icalendar.Event:
    response = client.get(reverse("event_ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    return calendar, vevent


def test_one_event_parses_back_in_the_organisers_zone(client, make_event, settings):
    settings.SITE_URL = "https://hub.example.org"
    event = make_event(starts_at=datetime(2027, 3, 10, 9, 0, tzinfo=UTC))
    calendar, vevent = _event(client, event)
    assert calendar["METHOD"] == "PUBLISH"
    assert vevent["SUMMARY"] == event.title
    assert vevent.decoded("DTSTART") == datetime(2027, 3, 10, 14, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    assert vevent["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert vevent["UID"] == f"{event.uid}@hub.example.org"
    assert vevent["URL"] == f"https://hub.example.org/events/{event.pk}/"
    assert "meet.example.org" not in response_text(client, event)  # the join link is not public


def response_text(client, event) -> str:
    return client.get(reverse("event_ics", args=[event.pk])).content.decode()


def test_uid_stays_sequence_grows_cancel_says_so(client, make_event, people):
    event = make_event()
    _cal, first = _event(client, event)
    services.event_update(actor=people["moderator"], event=event, data=data(
        starts_at=event.starts_at + timedelta(hours=1)))  # fmt: skip
    _cal, moved = _event(client, event)
    assert moved["UID"] == first["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 1)
    services.event_cancel(actor=people["moderator"], event=event)
    calendar, cancelled = _event(client, event)
    assert calendar["METHOD"] == "CANCEL"
    assert (cancelled["STATUS"], cancelled["SEQUENCE"]) == ("CANCELLED", 2)


def test_a_daylight_saving_change_between_two_sessions(client, make_event, people):
    """A weekly session organised from Berlin at 10:00 local time: before the change to summer
    time it is 09:00 UTC, after it 08:00 UTC; the calendar says 10:00 Europe/Berlin both times
    with a VTIMEZONE that carries both rules, and a reader in Almaty sees 14:00 then 13:00."""
    before = make_event(
        starts_at=datetime(2027, 3, 22, 9, 0, tzinfo=UTC), time_zone="Europe/Berlin"
    )
    after = services.event_duplicate(
        actor=people["moderator"],
        event=before,
        starts_at=datetime(2027, 3, 29, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    assert after.starts_at == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    calendar, vevent = _event(client, after)
    assert vevent.decoded("DTSTART").hour == 10
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    from events.times import when_text

    almaty = ZoneInfo("Asia/Almaty")
    assert "14:00" in when_text(before, almaty)
    assert "13:00" in when_text(after, almaty)
    assert "10:00" in when_text(before, almaty).split("·")[1]  # the organiser's clock alongside


def test_golden_file(client, make_event, settings):
    settings.SITE_URL = "https://hub.example.org"
    event = make_event(starts_at=datetime(2027, 5, 12, 8, 0, tzinfo=UTC), time_zone="Europe/Berlin")
    Event.objects.filter(pk=event.pk).update(
        uid="0b7f2f0e-6a8e-4b8a-9a4e-0e6f8f3c2a11", updated=datetime(2027, 5, 1, tzinfo=UTC)
    )
    event.refresh_from_db()
    # Unfolded (RFC 5545 folds long lines at 75 octets), with the database's id replaced.
    produced = (
        response_text(client, event)
        .replace("\r\n ", "")
        .replace(f"/events/{event.pk}/", "/events/ID/")
    )
    if not GOLDEN.exists():  # pragma: no cover - writing the golden file the first time
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(produced, newline="")
    assert produced == GOLDEN.read_bytes().decode()


def test_community_and_personal_calendars(client, make_event, make_user, login, communities):
    from events.models import CalendarToken

    event = make_event()
    hub = make_event(community=None, title="Annual conference")
    feed = icalendar.Calendar.from_ical(
        client.get(reverse("community_calendar", args=["e-government"])).content
    )
    assert {v["SUMMARY"] for v in feed.walk("VEVENT")} == {event.title, "Annual conference"}
    person = make_user("subscriber")
    services.registration_create(user=person, event=hub)
    page = login(person).get(reverse("my_events"))
    token = CalendarToken.objects.get(user=person).token
    assert token in page.content.decode()
    mine = icalendar.Calendar.from_ical(
        client.get(reverse("personal_calendar", args=[token])).content
    )
    assert [v["SUMMARY"] for v in mine.walk("VEVENT")] == ["Annual conference"]
    login(person).post(reverse("my_events"))  # a new address: the old one stops working
    assert client.get(reverse("personal_calendar", args=[token])).status_code == 404
