"""Events in a real browser: register, the reminder arrives at the SMTP server, the join link
appears on the page when it is time, and the event goes into a calendar."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from core.worker import tasks_run
from events import reminders, services
from events.models import Event
from events.services import EventData
from tests.mail.conftest import smtp, text_of  # noqa: F401 - the SMTP server fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_get_the_reminder_see_the_join_link_add_to_calendar(
    communities,
    make_member,
    make_user,
    new_context,
    live_daphne,
    smtp,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.SITE_URL = live_daphne.url
    egov = communities["e-government"]
    moderator = make_member(egov, "organiser", role="moderator")
    start = timezone.now() + timedelta(hours=3)
    event = services.event_create(
        actor=moderator,
        community=egov,
        data=EventData(
            title="Деректер тізілімдері: вебинар",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            time_zone="Asia/Almaty",
            language="kk",
            languages=["kk", "ru"],
            join_url="https://meet.example.org/registries",
            capacity=50,
        ),
    )
    reader = make_user("reader", email="reader@gov.kz", language="en", timezone="Europe/Berlin")
    page = new_context(reader).new_page()
    page.goto(f"/c/{egov.slug}/events/")
    page.get_by_role("link", name="Деректер тізілімдері: вебинар").click()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("You are registered.", exact=False).first.is_visible()
    assert page.locator("#join-link").count() == 0
    assert "The join link appears shortly before the start." in page.content()
    assert "(Europe/Berlin)" in page.locator("dl.facts").inner_text()

    # 50 minutes before the start: the worker sends the hour's reminder.
    soon = timezone.now() + timedelta(minutes=50)
    Event.objects.filter(pk=event.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=1))
    reminders.run()
    tasks_run()
    (message,) = smtp.to("reader@")
    assert "Starting within the hour" in str(message["Subject"])
    body = text_of(message)
    assert "https://meet.example.org/registries" in body
    link = re.search(r"(http://127\.0\.0\.1:\d+/events/\d+/)", body).group(1)
    page.goto(link)
    join = page.locator("#join-link")
    assert join.get_attribute("href") == "https://meet.example.org/registries"
    assert "starts in 4" in page.locator("[data-event-state]").inner_text()  # 49–50 minutes

    # Add to calendar: the .ics the button gives opens in a calendar as this event.
    href = page.get_by_role("link", name="Add to calendar (.ics)").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    [vevent] = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert vevent["SUMMARY"] == "Деректер тізілімдері: вебинар"
    assert vevent.decoded("DTSTART") == soon.replace(microsecond=0)
