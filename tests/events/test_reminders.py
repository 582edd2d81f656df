"""Reminders a day and an hour before, sent by the worker through a real SMTP server, in each
person's language, once, and not to someone who turned them off; registrants hear of a
cancellation by e-mail too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import reminders, services
from events.models import Event
from mail.models import MailSettings
from tests.mail.conftest import html_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)


def _subject(message) -> str:
    return str(message["Subject"]).strip()


def test_day_and_hour_reminders_once_each_in_each_language(smtp, work, make_event, make_user):
    event = make_event(starts_at=timezone.now() + timedelta(hours=20))
    kk = make_user("aset", email="aset@gov.kz", language="kk", timezone="Asia/Almaty")
    en = make_user("anna", email="anna@gov.uk", language="en", timezone="Europe/London")
    for person in (kk, en):
        services.registration_create(user=person, event=event)

    work(reminders.run)
    assert _subject(smtp.to("aset@gov.kz")[0]).endswith(f"Ертең: «{event.title}»")
    english = smtp.to("anna@gov.uk")[0]
    assert _subject(english).endswith(f"Tomorrow: “{event.title}”")
    body = text_of(english)
    assert "(Europe/London)" in body
    assert "organiser's time (Asia/Almaty)" in body
    assert "meet.example.org" not in body  # a day before: not yet
    work(reminders.run)  # a second look sends nothing more
    assert len(smtp.messages) == 2

    soon = timezone.now() + timedelta(minutes=50)
    Event.objects.filter(pk=event.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=1))
    work(reminders.run)
    hour = smtp.to("anna@gov.uk")[1]
    assert _subject(hour).endswith(f"Starting within the hour: “{event.title}”")
    assert "https://meet.example.org/egov-webinar" in html_of(hour)  # now it is: an hour before
    assert hour["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(smtp.messages) == 4


def test_reminders_respect_the_preference_and_skip_the_waiting_list(
    smtp, work, make_event, make_user
):
    event = make_event(starts_at=timezone.now() + timedelta(minutes=30), capacity=1)
    quiet, waiting = make_user("quiet"), make_user("waiting")
    MailSettings.objects.create(user=quiet, events="off")
    services.registration_create(user=quiet, event=event)
    services.registration_create(user=waiting, event=event)
    assert work(reminders.run) == 1  # the inbox entry is made for the registrant
    assert smtp.messages == []  # but she turned event e-mails off; the waiting one gets none


def test_a_cancellation_reaches_registrants_by_email(smtp, work, make_event, make_user, people):
    event = make_event()
    person = make_user("reg", email="reg@gov.kz", language="ru")
    services.registration_create(user=person, event=event)
    work(services.event_cancel, actor=people["moderator"], event=event)
    [message] = smtp.to("reg@gov.kz")
    assert _subject(message).endswith(f"Отменено: «{event.title}»")
    assert message["Content-Language"] == "ru"
