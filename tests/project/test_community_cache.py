"""A community's home is cached (project.views.community_detail): a visitor's whole page, and
for someone signed in the sections, shared by everyone, and the people, shared by readers of
the same role. Every change to what it shows must reach it at once, with the cache warm or
with no cache at all, and each reader keeps their own buttons and details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import Audience
from core import services
from events import services as event_services
from events.services import EventData
from forums.models import ChatRoom
from resources import services as library_services
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(communities):
    return communities["one-stop-shop"]


@pytest.fixture(params=["visitor", "member"])
def reader(request, home, make_member, login) -> Client:
    if request.param == "visitor":
        return Client()
    return login(make_member(home, "reader"))


def _main(reader, home) -> str:
    return " ".join(parse(reader.get(home.get_absolute_url())).one("main").text.split())


def test_every_change_reaches_the_home(
    reader, cache_state, home, make_member, make_thread, make_resource, make_user
):
    moderator = make_member(home, "mod", role="moderator", display_name="Aigerim")
    assert "Aigerim" in _main(reader, home)

    thread = make_thread(home, moderator, "Queues at the centre")  # the activity version
    assert "Queues at the centre" in _main(reader, home)

    ChatRoom.objects.create(community=home, slug="front-desk", name="front-desk")  # rooms
    assert "#front-desk" in _main(reader, home)
    ChatRoom.objects.filter(slug="front-desk").first().delete()
    assert "#front-desk" not in _main(reader, home)

    resource = make_resource([home], "Service standards")  # the library
    assert "Service standards" in _main(reader, home)
    library_services.resource_set_featured(
        resource=resource, actor=make_user("curator2", staff=True), featured=True
    )
    assert "Featured" in _main(reader, home)

    start = timezone.now() + timedelta(days=2)  # events
    event_services.event_create(
        actor=moderator,
        community=home,
        data=EventData(
            title="Webinar on queues",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            time_zone="Asia/Almaty",
            kind="webinar",
            body="",
            language="en",
            languages=["en"],
            interpretation=[],
            join_url="",
            capacity=None,
            speakers=[],
        ),
    )
    assert "Webinar on queues" in _main(reader, home)

    newcomer = make_member(home, "newcomer", display_name="Newcomer N.")  # people
    assert "Newcomer N." in _main(reader, home)
    newcomer.display_name = "Renamed N."
    newcomer.save()
    assert "Renamed N." in _main(reader, home)
    services.membership_leave(user=newcomer, community=home)
    assert "Renamed N." not in _main(reader, home)

    home.description_en = "A new description of the community."
    home.save()
    assert "A new description of the community." in _main(reader, home)
    thread.title = "Renamed queues"
    thread.save()
    assert "Renamed queues" in _main(reader, home)


def test_a_hidden_detail_is_shown_only_to_its_owner_whoever_reads_first(home, make_member, login):
    leyla = make_member(
        home,
        "leyla",
        organisation="Hidden Org",
        organisation_audience=Audience.NOBODY,
    )
    other = make_member(home, "other")
    for order in ((leyla, other), (other, leyla)):
        cache.clear()
        seen = {}
        for person in order:
            people = parse(login(person).get(home.get_absolute_url())).one("aside").text
            seen[person.username] = "Hidden Org" in people
        assert seen == {"leyla": True, "other": False}
        assert "Hidden Org" not in Client().get(home.get_absolute_url()).content.decode()


def test_readers_keep_their_own_buttons(home, communities, make_member, make_user, login):
    member = login(make_member(home, "member"))
    outsider = login(make_member(communities["ai"], "outsider"))
    moderator = login(make_member(home, "moderator", role="moderator"))
    for http, leave, join, moderation in (
        (member, True, False, False),
        (outsider, False, True, False),
        (moderator, True, False, True),
        (member, True, False, False),
    ):
        page = parse(http.get(home.get_absolute_url()))
        actions = page.one("div", class_="actions")
        assert bool(actions.find("form", action=f"/c/{home.slug}/leave/")) == leave
        assert bool(actions.find("form", action=f"/c/{home.slug}/join/")) == join
        assert bool(actions.find("a", data_moderation_button=lambda v: v is not None)) == moderation
        token = actions.find("input", name="csrfmiddlewaretoken").attrs["value"]
        assert token
        assert not token.startswith("csrf-")


def test_a_second_visit_asks_one_query_of_a_visitor(home, client, django_assert_num_queries):
    client.get(home.get_absolute_url())
    with django_assert_num_queries(1):  # the community's activity version
        client.get(home.get_absolute_url())
