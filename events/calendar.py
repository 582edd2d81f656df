"""iCalendar output (RFC 5545) through the icalendar library: one event, a community's events,
a person's registrations. Times are written in the organiser's zone with its VTIMEZONE (so a
calendar moves them correctly across daylight-saving changes); the UID never changes and
SEQUENCE grows with every change; a cancelled event says STATUS:CANCELLED, and a single
cancelled event is published with METHOD:CANCEL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

import icalendar
from django.conf import settings
from django.utils import timezone

from core import markup
from core.site import absolute, site_domain, site_name
from events.models import Event

PRODID = "-//Civil Service Hub//Community of practice events//EN"


def _vevent(event: Event) -> icalendar.Event:
    zone = event.zone
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@{site_domain() or 'localhost'}")
    item.add("dtstamp", (event.updated or timezone.now()).astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(zone))
    item.add("dtend", event.ends_at.astimezone(zone))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    description = markup.to_text(event.html).strip()
    url = absolute(event.get_absolute_url())
    item.add("description", f"{description}\n\n{url}".strip())
    item.add("url", url)
    if event.venue:
        item.add("location", event.venue)
    elif event.join_url:
        item.add("location", url)  # the join link itself is for registrants, on the page
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("categories", [event.get_kind_display()])
    if event.organiser_id:
        organiser = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organiser.params["cn"] = icalendar.vText(event.organiser.name)
        item.add("organizer", organiser)
    return item


def calendar_of(events: Iterable[Event], *, name: str = "", method: str = "PUBLISH") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name or site_name())
    for event in events:
        cal.add_component(_vevent(event))
    cal.add_missing_timezones()
    return cal.to_ical()


def event_calendar(event: Event) -> bytes:
    """The .ics of one event; METHOD:CANCEL once it is cancelled."""
    return calendar_of(
        [event], name=event.title, method="CANCEL" if event.is_cancelled else "PUBLISH"
    )
