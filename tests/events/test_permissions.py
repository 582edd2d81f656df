"""Who may do what with an event: the table, cell by cell, on a community event and a hub-wide
one. "join" is seeing the join link (an hour before the start, for registrants)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core import permissions
from core.permissions import Action
from events import services
from events.models import Event

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "signed_in", "registrant", "member", "moderator", "other_mod", "staff")

# community event (e-government), starting in 30 minutes
TABLE = """
action              anonymous signed_in registrant member moderator other_mod staff
event.read          yes       yes       yes        yes    yes       yes       yes
event.register      no        yes       yes        yes    yes       yes       yes
event.join          no        no        yes        no     yes       no        yes
event.manage        no        no        no         no     yes       no        yes
event.registrants   no        no        no         no     yes       no        yes
"""

# hub-wide event (no community): only staff manage it
HUB_TABLE = """
action              anonymous signed_in registrant member moderator other_mod staff
event.read          yes       yes       yes        yes    yes       yes       yes
event.register      no        yes       yes        yes    yes       yes       yes
event.join          no        no        yes        no     no        no        yes
event.manage        no        no        no         no     no        no        yes
event.registrants   no        no        no         no     no        no        yes
"""


def _parse(table):
    header, *rows = (line.split() for line in table.strip().splitlines())
    assert header == ["action", *ROLES]
    return {row[0]: dict(zip(ROLES, (v == "yes" for v in row[1:]), strict=True)) for row in rows}


@pytest.fixture
def cast(people, make_user):
    registrant = make_user("registrant")
    return {
        "anonymous": AnonymousUser(),
        "signed_in": people["other"],
        "registrant": registrant,
        "member": people["member"],
        "moderator": people["moderator"],
        "other_mod": people["other_mod"],
        "staff": people["staff"],
    }


@pytest.mark.parametrize("hub", [False, True], ids=["community", "hub-wide"])
def test_role_by_action_table(make_event, cast, hub):
    start = timezone.now() + timedelta(minutes=30)
    event = make_event(community=None if hub else "e-government", starts_at=start)
    services.registration_create(user=cast["registrant"], event=event)
    expected = _parse(HUB_TABLE if hub else TABLE)
    for action, row in expected.items():
        for role, allowed in row.items():
            got = permissions.can(cast[role], Action(action), event.community, event)
            assert got is allowed, f"{action} by {role}: expected {allowed}, got {got}"


def test_the_join_link_waits_until_an_hour_before(make_event, make_user):
    event = make_event(starts_at=timezone.now() + timedelta(hours=3))
    person = make_user("early")
    services.registration_create(user=person, event=event)
    problem = permissions.refusal(person, Action.EVENT_JOIN, event.community, event)
    assert problem.code == "too_early"
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(minutes=59))
    event.refresh_from_db()
    assert permissions.can(person, Action.EVENT_JOIN, event.community, event)
    # A person on the waiting list does not get it.
    waiting = make_user("waiting")
    Event.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    services.registration_create(user=waiting, event=event)
    assert (
        permissions.refusal(waiting, Action.EVENT_JOIN, event.community, event).code
        == "not_registered"
    )
