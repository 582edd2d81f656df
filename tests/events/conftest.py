from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import services
from events.services import EventData
from tests.mail.conftest import smtp, work  # noqa: F401 - the SMTP server and worker fixtures


@pytest.fixture
def people(communities, make_user, make_member):
    egov = communities["e-government"]
    return {
        "moderator": make_member(egov, "moder", role="moderator"),
        "member": make_member(egov, "aigerim"),
        "other": make_user("timur"),
        "other_mod": make_member(communities["innovation"], "othermod", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }


def data(**overrides) -> EventData:
    start = overrides.pop("starts_at", timezone.now() + timedelta(days=3))
    values = {
        "title": "Цифрлық үкімет: тәжірибе алмасу",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "time_zone": "Asia/Almaty",
        "kind": "webinar",
        "body": "Вебинар **ЦОН** тәжірибесі туралы.",
        "language": "kk",
        "languages": ["kk", "ru"],
        "interpretation": ["en"],
        "join_url": "https://meet.example.org/egov-webinar",
        "capacity": None,
        "speakers": ["@aigerim", "Dr. Jane Smith"],
    }
    values.update(overrides)
    return EventData(**values)


@pytest.fixture
def make_event(communities, people):
    def make(*, community="e-government", actor=None, **fields):
        return services.event_create(
            actor=actor or people["moderator"] if community else people["staff"],
            community=communities[community] if community else None,
            data=data(**fields),
        )

    return make


def at(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
