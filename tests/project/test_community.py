"""A community's page, joining and leaving, the audit log, and the 404 for unknown communities."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import services, versions
from core.models import AuditEntry, Membership
from forums.models import ChatRoom
from resources.models import Resource
from tests.content import KAZAKH
from tests.htmltree import parse


@pytest.fixture
def one_stop_shop(communities):
    return communities["one-stop-shop"]


def test_community_page_shows_description_people_and_sections(
    client, one_stop_shop, make_member, make_thread, make_resource
):
    moderator = make_member(
        one_stop_shop, "aigerim", role="moderator", display_name="Айгерім", country="KZ"
    )
    member = make_member(one_stop_shop, "leyla", display_name="Leyla M.", organisation="ASAN")
    thread = make_thread(one_stop_shop, member, "Кезекті қалай қысқартуға болады?")
    featured = make_resource([one_stop_shop], "Service standards review", language="en")
    Resource.objects.filter(pk=featured.pk).update(is_featured=True)
    latest = make_resource([one_stop_shop], "Бір терезе: кейс")
    ChatRoom.objects.create(community=one_stop_shop, slug="old", name="old", is_archived=True)

    response = client.get(one_stop_shop.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    page = parse(response.content)
    assert page.one("h1").text == one_stop_shop.name_en
    assert one_stop_shop.description_en in page.one("p", class_="lead").text
    people = page.one("aside")
    assert "2 members" in people.text
    moderators = people.find_all("ul")[0]
    assert [a.text for a in moderators.find_all("a")] == ["Айгерім"]
    assert "Kazakhstan" in moderators.text
    recent = people.find_all("ul")[1]
    assert [a.text for a in recent.find_all("a")] == ["Leyla M.", "Айгерім"]
    assert "ASAN" in recent.text
    assert people.one("a", href="/members/?community=one-stop-shop")
    assert moderators.one("a", href=moderator.get_absolute_url()).text == "Айгерім"
    # The sections: threads, chat (the open rooms only), library.
    main = page.one("main")
    assert main.one("a", href=thread.get_absolute_url()).text == thread.title
    assert "0 replies" in main.one("section", aria_labelledby="sec-threads").text
    assert main.one("a", href="/c/one-stop-shop/chat/general/").text == "#general"
    assert not main.find("a", href="/c/one-stop-shop/chat/old/")
    library = main.one("section", aria_labelledby="sec-library")
    featured_list, recent_list = library.find_all("ul")
    assert [a.attrs["href"] for a in featured_list.find_all("a")] == [featured.get_absolute_url()]
    assert featured_list.one("a").attrs["lang"] == "en"
    assert [a.attrs["href"] for a in recent_list.find_all("a")] == [
        latest.get_absolute_url(),
        featured.get_absolute_url(),
    ]
    assert recent_list.find_all("a")[0].text == "Бір терезе: кейс"
    tabs = {a.text: a.attrs["href"] for a in page.one("ul", class_="tabs").find_all("a")}
    assert tabs == {
        "Overview": "/c/one-stop-shop/",
        "Threads": "/c/one-stop-shop/threads/",
        "Chat": "/c/one-stop-shop/chat/",
        "Library": "/c/one-stop-shop/library/",
        "Events": "/c/one-stop-shop/events/",
    }
    # An anonymous visitor is invited to sign up; no join form, no moderation links.
    assert page.one("main").one("a", href="/accounts/signup/")
    assert not page.find("form", action="/c/one-stop-shop/join/")
    assert not page.find("a", href="/c/one-stop-shop/audit/")


@pytest.mark.parametrize(
    ("role", "join", "leave", "moderation"),
    [
        (None, True, False, False),
        ("member", False, True, False),
        ("moderator", False, True, True),
    ],
)
def test_community_page_offers_what_the_viewer_may_do(
    one_stop_shop, make_user, login, role, join, leave, moderation
):
    person = make_user("viewer")
    if role:
        Membership.objects.create(user=person, community=one_stop_shop, role=role)

    page = parse(login(person).get(one_stop_shop.get_absolute_url()).content)

    assert bool(page.find("form", action="/c/one-stop-shop/join/")) is join
    assert bool(page.find("form", action="/c/one-stop-shop/leave/")) is leave
    # Moderators get one way in to their work: the dashboard, from the page and its tabs.
    dashboard = page.one("main").find_all("a", href="/c/one-stop-shop/moderation/")
    assert len(dashboard) == (2 if moderation else 0)


def test_community_page_in_kazakh(one_stop_shop):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    page = parse(client.get(one_stop_shop.get_absolute_url()).content)
    assert page.one("html").attrs["lang"] == "kk"
    assert page.one("h1").text == one_stop_shop.name_kk
    assert one_stop_shop.description_kk in page.text


# --- Joining and leaving ------------------------------------------------------------------------


def test_join_makes_a_member_and_says_welcome(one_stop_shop, make_user, login):
    person = make_user("newcomer")
    client = login(person)

    response = client.post("/c/one-stop-shop/join/", follow=True)

    assert response.redirect_chain == [("/c/one-stop-shop/", HTTPStatus.FOUND)]
    membership = Membership.objects.get(user=person, community=one_stop_shop)
    assert membership.role == "member"
    page = parse(response.content)
    assert page.one("div", class_="messages").text == f"Welcome to {one_stop_shop.name_en}."
    assert page.find("form", action="/c/one-stop-shop/leave/")
    assert "1 member" in page.one("aside").text


def test_joining_twice_keeps_one_membership_and_the_role(one_stop_shop, make_member, login):
    moderator = make_member(one_stop_shop, "aigerim", role="moderator")
    client = login(moderator)
    client.post("/c/one-stop-shop/join/")
    client.post("/c/one-stop-shop/join/")
    assert list(Membership.objects.filter(user=moderator).values_list("role", flat=True)) == [
        "moderator"
    ]


def test_leave_removes_the_membership_and_with_it_a_moderator_role(
    one_stop_shop, communities, make_member, login
):
    moderator = make_member(one_stop_shop, "aigerim", role="moderator")
    Membership.objects.create(user=moderator, community=communities["ai"])
    client = login(moderator)

    response = client.post("/c/one-stop-shop/leave/", follow=True)

    assert response.redirect_chain == [("/c/one-stop-shop/", HTTPStatus.FOUND)]
    assert not Membership.objects.filter(user=moderator, community=one_stop_shop).exists()
    assert Membership.objects.filter(user=moderator, community=communities["ai"]).exists()
    page = parse(response.content)
    assert page.one("div", class_="messages").text == f"You have left {one_stop_shop.name_en}."
    assert page.find("form", action="/c/one-stop-shop/join/")
    assert not page.find("a", href="/c/one-stop-shop/audit/")


@pytest.mark.parametrize("action", ["join", "leave"])
def test_join_and_leave_only_accept_post(one_stop_shop, make_user, login, action):
    person = make_user("curious")
    response = login(person).get(f"/c/one-stop-shop/{action}/")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Membership.objects.filter(user=person).exists()


def test_anonymous_join_is_sent_to_sign_in(one_stop_shop):
    response = Client().post("/c/one-stop-shop/join/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/accounts/login/?next=/c/one-stop-shop/join/"
    assert not Membership.objects.exists()


def test_join_needs_the_csrf_token(one_stop_shop, make_user):
    person = make_user("forged")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post("/c/one-stop-shop/join/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/c/one-stop-shop/threads/", "/c/one-stop-shop/threads/"),
        ("https://evil.example/", "/c/one-stop-shop/"),
        ("//evil.example/", "/c/one-stop-shop/"),
    ],
)
def test_join_follows_only_a_local_next(one_stop_shop, make_user, login, next_url, location):
    response = login(make_user()).post("/c/one-stop-shop/join/", {"next": next_url})
    assert response.headers["Location"] == location


def test_join_of_an_unknown_community_is_404(communities, make_user, login):
    response = login(make_user()).post("/c/no-such-place/join/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Membership.objects.exists()


# --- 404 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_unknown_community_renders_the_404_page_in_the_users_language(communities, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    response = client.get("/c/no-such-community/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.templates[0].name == "404.html"
    page = parse(response.content)
    assert page.one("html").attrs["lang"] == lang
    assert page.one("main").one("a", class_="button").attrs["href"] == "/"
    if lang == "en":
        assert page.one("h1").text == "Page not found"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_404_heading_is_translated(communities, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = parse(client.get("/c/no-such-community/").content)
    with translation.override(lang):
        expected = translation.gettext("Page not found")
    assert page.one("h1").text == expected != "Page not found"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_404_explanation_is_translated(communities, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = parse(client.get("/c/no-such-community/").content)
    assert not page.one("p", class_="lead").text.startswith("There is nothing at this address.")


# --- The audit log ------------------------------------------------------------------------------


def test_the_audit_log_shows_moderation_actions_to_moderators(
    one_stop_shop, make_member, make_user, login
):
    moderator = make_member(one_stop_shop, "aigerim", role="moderator", display_name="Айгерім")
    person = make_member(one_stop_shop, "arman")
    services.role_grant(actor=moderator, user=person, community=one_stop_shop, role="moderator")
    services.membership_remove(actor=moderator, user=person, community=one_stop_shop, reason="Spam")

    page = parse(login(moderator).get("/c/one-stop-shop/audit/").content)

    rows = page.one("tbody").find_all("tr")
    assert len(rows) == 2
    assert [row.find_all("td")[2].text for row in rows] == ["removed a member", "granted a role"]
    assert all(row.find_all("td")[1].text == "Айгерім" for row in rows)
    assert "Spam" in rows[0].text
    assert "role: member → moderator" in rows[1].text
    assert "member: arman" in rows[1].text


@pytest.mark.parametrize("role", ["member", None])
def test_the_audit_log_is_refused_to_non_moderators(one_stop_shop, make_user, login, role):
    person = make_user("nosy")
    if role:
        Membership.objects.create(user=person, community=one_stop_shop, role=role)
    response = login(person).get("/c/one-stop-shop/audit/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    page = parse(response.content)
    assert page.one("h1").text == "Not allowed"
    assert "Only moderators of this community can do this." in page.one("main").text


def test_the_audit_log_of_another_community_is_refused_to_its_non_moderators(
    communities, make_member, login
):
    moderator = make_member(communities["ai"], "jiwoo", role="moderator")
    response = login(moderator).get("/c/one-stop-shop/audit/")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_audit_log_asks_anonymous_visitors_to_sign_in(one_stop_shop):
    response = Client().get("/c/one-stop-shop/audit/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"].startswith("/accounts/login/")


def test_the_audit_log_pages_by_fifty(one_stop_shop, make_member, login):
    moderator = make_member(one_stop_shop, "aigerim", role="moderator")
    for _ in range(55):
        services.role_grant(
            actor=moderator, user=moderator, community=one_stop_shop, role="moderator"
        )
    client = login(moderator)

    first = parse(client.get("/c/one-stop-shop/audit/").content)

    assert len(first.one("tbody").find_all("tr")) == 50
    older = first.one("a", href=f"?before={AuditEntry.objects.order_by('id')[5].pk}")
    second = parse(client.get(f"/c/one-stop-shop/audit/{older.attrs['href']}").content)
    assert len(second.one("tbody").find_all("tr")) == 5
    assert not [a for a in second.find_all("a") if a.attrs.get("href", "").startswith("?before")]


# --- Query budget -------------------------------------------------------------------------------


def _populate(community, make_member, make_thread, make_resource, *, scale: int) -> None:
    people = [
        make_member(community, f"p{scale}n{n}", country="KZ", organisation=f"Org {n}")
        for n in range(scale * 5)
    ]
    for n in range(scale):
        make_member(community, f"m{scale}n{n}", role="moderator", country="UZ")
    for n in range(scale * 3):
        make_thread(
            community,
            people[n],
            f"{KAZAKH[n % len(KAZAKH)][:50]} {scale}.{n}",
            replies=[(people[n + 1], KAZAKH[(n + 1) % len(KAZAKH)])],
        )
    for n in range(scale * 2):
        resource = make_resource([community], f"Case {scale}.{n}")
        Resource.objects.filter(pk=resource.pk).update(is_featured=n % 2 == 0)
    for n in range(scale):
        ChatRoom.objects.create(community=community, slug=f"room-{scale}-{n}", name=f"room {n}")


# Session and user (2; their memberships and the community are cached); the community's activity
# version (1); counts, moderators, recent members (3); threads, rooms, featured and recent
# resources (4); the next events (1); for a moderator, the pending counts that the header's
# badge and the Moderation button share (1). The header's unread count is cached after the
# first page.
COMMUNITY_QUERY_BUDGET = 12


def test_community_page_query_count_does_not_grow_with_content(
    one_stop_shop, make_member, make_thread, make_resource, login, django_assert_max_num_queries
):
    viewer = make_member(one_stop_shop, "viewer", role="moderator")
    client = login(viewer)
    _populate(one_stop_shop, make_member, make_thread, make_resource, scale=1)
    client.get(one_stop_shop.get_absolute_url())  # warm: the cached unread count
    versions.bump(versions.PEOPLE)  # the page itself uncached
    with CaptureQueriesContext(connection) as small:
        client.get(one_stop_shop.get_absolute_url())
    _populate(one_stop_shop, make_member, make_thread, make_resource, scale=4)

    with django_assert_max_num_queries(COMMUNITY_QUERY_BUDGET) as large:
        response = client.get(one_stop_shop.get_absolute_url())
    assert len(large.captured_queries) == len(small.captured_queries)
    # Read again: its parts from the cache (session, user, the community's activity version,
    # the pending counts).
    with django_assert_max_num_queries(4):
        again = client.get(one_stop_shop.get_absolute_url())
    assert parse(again.content).one("aside").text == parse(response.content).one("aside").text

    page = parse(response.content)
    assert "31 members" in page.one("aside").text  # 6 + 24 + the viewer
    assert len(page.one("aside").find_all("ul")[0].find_all("li")) == 6  # 1 + 4 + the viewer
