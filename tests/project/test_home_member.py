"""A member's own home: new threads in their communities, chat rooms with unread messages,
new library items, their next events, their communities and the others to join; empty
sections say what to do next; a fixed number of queries however much there is."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.models import Membership
from events import services as event_services
from forums import services as forum_services
from forums.models import ChatRoom, Thread
from resources.models import Resource
from tests.content import KAZAKH
from tests.events.conftest import data as event_data
from tests.htmltree import parse


def _main(response):
    assert response.status_code == HTTPStatus.OK
    return parse(response.content).one("main")


def _section(main, key: str):
    return main.one("section", aria_labelledby=f"home-{key}")


@pytest.fixture
def egov(communities):
    return communities["e-government"]


@pytest.fixture
def reader(communities, egov, make_member):
    """A member of e-government and AI."""
    person = make_member(egov, "reader", display_name="Нұрлан Оқырман")
    Membership.objects.create(user=person, community=communities["ai"])
    return person


@pytest.fixture
def colleague(communities, egov, make_member):
    person = make_member(egov, "colleague", display_name="Әлия Серікқызы")
    for slug in ("ai", "innovation"):
        Membership.objects.create(user=person, community=communities[slug])
    return person


def _age(thread: Thread, days: int) -> None:
    earlier = timezone.now() - timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(created=earlier, last_activity=earlier)


# --- Who gets which home -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("visitor", "Communities of practice"),
        ("no community", "Communities of practice"),
        ("staff in no community", "Communities of practice"),
        ("member of one", "What is new in your communities"),
        ("moderator", "What is new in your communities"),
    ],
)
def test_each_role_gets_its_home(client, communities, make_user, make_member, role, heading):
    people = {
        "no community": lambda: make_user("nobody"),
        "staff in no community": lambda: make_user("staffer", staff=True),
        "member of one": lambda: make_member(communities["ai"], "member"),
        "moderator": lambda: make_member(communities["ai"], "moder", role="moderator"),
    }
    if role in people:
        client.force_login(people[role]())

    main = _main(client.get("/"))

    assert main.one("h1").text == heading
    community_cards = main.find_all("section", class_="community-card")
    if heading == "Communities of practice":
        assert len(community_cards) == 4
        assert not main.find_all("section", aria_labelledby="home-threads")
    else:
        assert community_cards == []
        mine = _section(main, "communities")
        assert [a.text for a in mine.find_all("ul")[0].find_all("a")] == [communities["ai"].name_en]


# --- What a member sees ----------------------------------------------------------------------


def test_new_threads_of_the_members_communities_newest_first_with_unread_marks(
    communities, egov, reader, colleague, make_thread, login
):
    read = make_thread(communities["ai"], colleague, "Жасанды интеллект және этика")
    forum_services.thread_mark_read(thread=read, user=reader, number=read.last_post_number)
    unread = make_thread(
        egov, colleague, "Цифрлық мүмкіндіктер конференциясы", body=KAZAKH[0],
        replies=[(colleague, KAZAKH[1])],
    )  # fmt: skip
    make_thread(egov, reader, "My own question")  # one's own thread is not news
    make_thread(communities["innovation"], colleague, "Not a community of the reader")
    _age(make_thread(egov, colleague, "Ten days old"), days=10)
    gone = make_thread(egov, colleague, "Deleted since")
    Thread.objects.filter(pk=gone.pk).update(is_deleted=True)

    section = _section(_main(login(reader).get("/")), "threads")

    assert "in the last 7 days" in section.one("h2").text
    items = section.one("ul").find_all("li")
    assert [li.find("a").text for li in items] == [unread.title, read.title]
    first, second = items
    assert first.find("a").attrs["href"] == f"/c/{egov.slug}/threads/{unread.pk}/unread/"
    assert first.find("a").attrs["lang"] == "kk"
    assert first.one("span", class_="unread").text == "unread"
    assert "by Әлия Серікқызы" in first.text
    assert first.one("a", href=f"/c/{egov.slug}/threads/").text == egov.name_en
    assert "1 reply" in first.text
    assert second.find("a").attrs["href"] == read.get_absolute_url()
    assert not second.find_all("span", class_="unread")


def test_chat_rooms_with_unread_messages_and_how_many(
    communities, egov, reader, colleague, login, no_flood_limit
):
    general = ChatRoom.objects.get(community=egov, slug="general")
    for text in ("Сәлем!", "Бүгін вебинар бар", "Сілтеме:"):
        forum_services.message_send(room=general, author=colleague, body=text)
    general.refresh_from_db()
    forum_services.chat_mark_read(room=general, user=reader, seq=1)
    ai_room = ChatRoom.objects.get(community=communities["ai"], slug="general")
    forum_services.message_send(room=ai_room, author=reader, body="My own message")
    other = ChatRoom.objects.get(community=communities["innovation"], slug="general")
    forum_services.message_send(room=other, author=colleague, body="Not the reader's room")

    section = _section(_main(login(reader).get("/")), "chat")

    (item,) = section.one("ul").find_all("li")
    assert item.one("a").text == "#" + general.name
    assert item.one("a").attrs["href"] == general.get_absolute_url()
    assert egov.name_en in item.text
    assert item.one("span", class_="count-badge").text == "2 unread messages"


def test_new_library_items_of_the_members_communities(
    communities, egov, reader, make_resource, login
):
    shared = make_resource([egov, communities["ai"]], "Interoperability case", language="en")
    kazakh = make_resource([egov], "Бір терезе қағидаты", language="kk")
    make_resource([communities["innovation"]], "Not the reader's community")
    old = make_resource([egov], "Published long ago")
    Resource.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=40))

    section = _section(_main(login(reader).get("/")), "library")

    links = section.one("ul").find_all("a")
    assert [a.text for a in links] == [kazakh.title, shared.title]  # once, though in two
    assert links[0].attrs["lang"] == "kk"
    assert links[0].attrs["href"] == kazakh.get_absolute_url()
    assert "Analytical case" in section.text


def test_the_members_next_events(communities, egov, reader, make_user, login):
    staff = make_user("organiser", staff=True)
    mine = event_services.event_create(
        actor=staff, community=egov, data=event_data(title="Registered webinar")
    )
    event_services.registration_create(user=reader, event=mine)
    event_services.event_create(actor=staff, community=egov, data=event_data(title="Not mine"))

    main = _main(login(reader).get("/"))

    section = _section(main, "events")
    assert section.one("h2").text == "Your next events"
    assert [a.text for a in section.one("ul").find_all("a")] == ["Registered webinar"]
    assert "Not mine" not in main.text


def test_without_registrations_the_next_events_anyone_may_join(
    communities, egov, reader, make_user, login
):
    staff = make_user("organiser", staff=True)
    event_services.event_create(actor=staff, community=egov, data=event_data(title="Open one"))

    main = _main(login(reader).get("/"))

    assert not main.find_all("section", aria_labelledby="home-events")
    assert "Open one" in main.one("section", aria_labelledby="sec-next-events").text


def test_empty_sections_say_what_to_do_next(communities, make_member, login):
    member = make_member(communities["ai"], "quiet")

    main = _main(login(member).get("/"))

    threads = _section(main, "threads")
    assert "No new threads in your communities this week." in threads.text
    assert threads.one("a", href="/c/ai/threads/new/").text == (
        "Start a thread in AI and new technologies"
    )
    library = _section(main, "library")
    assert "Nothing new in the libraries of your communities this month." in library.text
    assert library.one("a", href="/library/submit/").text == "Suggest a resource"
    chat = _section(main, "chat")
    assert "You have read everything in your chat rooms." in chat.text
    assert chat.one("a", href="/c/ai/chat/").text == "Say hello in AI and new technologies"


def test_the_other_communities_can_be_joined_from_the_home_page(communities, make_member, login):
    member = make_member(communities["ai"], "joiner")
    client = login(member)
    mine = _section(_main(client.get("/")), "communities")
    forms = mine.find_all("form")
    assert [f.attrs["action"] for f in forms] == [
        f"/c/{slug}/join/" for slug in ("one-stop-shop", "e-government", "innovation")
    ]
    assert forms[0].one("input", name="next").attrs["value"] == "/"
    assert forms[0].one("button").attrs["aria-label"] == "Join One-stop-shop public services"
    assert mine.one("a", href="/welcome/communities/").text == "Choose your communities"

    response = client.post("/c/innovation/join/", {"next": "/"})

    assert response.headers["Location"] == "/"
    assert Membership.objects.filter(user=member, community=communities["innovation"]).exists()


# --- Cost -------------------------------------------------------------------------------------


def _populate(communities, reader, make_member, make_thread, make_resource, scale: int) -> None:
    staff = make_member(communities["ai"], f"org{scale}", staff=True)
    for slug, community in communities.items():
        people = [make_member(community, f"{slug[:3]}{scale}p{n}") for n in range(scale * 2)]
        for n in range(scale * 3):
            make_thread(
                community,
                people[n % len(people)],
                f"{KAZAKH[n % len(KAZAKH)][:60]} {scale}.{n}",
                replies=[(people[(n + 1) % len(people)], KAZAKH[(n + 2) % len(KAZAKH)])],
            )
            forum_services.message_send(
                room=ChatRoom.objects.get(community=community, slug="general"),
                author=people[n % len(people)],
                body=f"Сәлем {scale}.{n}",
            )
        for n in range(scale * 2):
            make_resource([community], f"Case {slug} {scale}.{n}")
        event = event_services.event_create(
            actor=staff, community=community, data=event_data(title=f"Webinar {slug} {scale}")
        )
        event_services.registration_create(user=reader, event=event)


# Session, user (2); communities with member counts (1); new threads with the reader's markers
# (1); rooms with unread messages (1); new library items (1); the reader's events (1); the
# memberships and the unread notification count of the header: cached after the first page.
MEMBER_HOME_QUERIES = 7


def test_a_members_home_costs_the_same_few_queries_however_much_there_is(
    communities, make_member, make_thread, make_resource, login, no_flood_limit,
    django_assert_num_queries,
):  # fmt: skip
    reader = make_member(communities["e-government"], "reader")
    for slug in ("ai", "innovation", "one-stop-shop"):
        Membership.objects.create(user=reader, community=communities[slug])
    client = login(reader)
    _populate(communities, reader, make_member, make_thread, make_resource, scale=1)
    client.get("/")  # warm: the cached unread count
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    _populate(communities, reader, make_member, make_thread, make_resource, scale=3)

    with django_assert_num_queries(MEMBER_HOME_QUERIES):
        response = client.get("/")

    assert len(small.captured_queries) == MEMBER_HOME_QUERIES
    main = _main(response)
    assert len(_section(main, "threads").one("ul").find_all("li")) == 8
    assert len(_section(main, "library").one("ul").find_all("li")) == 6
    assert len(_section(main, "chat").one("ul").find_all("li")) == 4
    assert len(_section(main, "events").one("ul").find_all("li")) == 3


@pytest.mark.parametrize(("lang", "join"), [("ru", "Вступить"), ("kk", "Қосылу")])
def test_a_members_home_speaks_the_readers_language(communities, make_member, login, lang, join):
    client = login(make_member(communities["ai"], "reader"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    main = _main(client.get("/"))

    with translation.override(lang):
        heading = translation.gettext("What is new in your communities")
    assert heading != "What is new in your communities"
    assert main.one("h1").text == heading
    # "Join" a community, not the header's "Join" the site (a sign-up).
    assert {b.text for b in _section(main, "communities").find_all("button")} == {join}
