"""The light/dark switch: remembered on the profile and in a cookie, shown on every page."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.htmltree import parse

pytestmark = pytest.mark.django_db


def test_a_member_chooses_dark_and_every_page_says_so(client, make_user):
    person = make_user("nino")
    client.force_login(person)
    response = client.post("/theme/", {"theme": "dark", "next": "/library/"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/library/"
    person.refresh_from_db()
    assert person.theme == "dark"
    page = parse(client.get("/members/").content)
    assert page.one("html").attrs["data-theme"] == "dark"
    # The switch now offers the light theme.
    assert page.one("button", name="theme").attrs["value"] == "light"


def test_the_profile_choice_wins_over_the_cookie(client, make_user):
    person = make_user("nino", theme="light")
    client.force_login(person)
    client.cookies["theme"] = "dark"
    assert parse(client.get("/").content).one("html").attrs["data-theme"] == "light"


def test_a_visitor_keeps_the_choice_in_a_cookie_and_can_go_back_to_the_device(client):
    response = client.post("/theme/", {"theme": "dark", "next": "/"})
    assert response.cookies["theme"].value == "dark"
    assert parse(client.get("/").content).one("html").attrs["data-theme"] == "dark"
    response = client.post("/theme/", {"theme": "", "next": "/"})
    assert response.cookies["theme"].value == ""  # deleted
    assert "data-theme" not in parse(client.get("/").content).one("html").attrs


@pytest.mark.parametrize(
    ("theme", "next_url", "saved", "location"),
    [
        ("purple", "/", "", "/"),
        ("dark", "https://evil.example/", "dark", "/"),
        ("light", "//evil.example/", "light", "/"),
    ],
)
def test_bad_input_is_ignored(client, make_user, theme, next_url, saved, location):
    person = make_user("nino")
    client.force_login(person)
    response = client.post("/theme/", {"theme": theme, "next": next_url})
    assert response["Location"] == location
    person.refresh_from_db()
    assert person.theme == saved


def test_only_post_changes_the_theme(client):
    assert client.get("/theme/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.parametrize(("staff", "status"), [(False, HTTPStatus.FOUND), (True, HTTPStatus.OK)])
def test_the_style_guide_is_for_staff(client, make_user, staff, status):
    client.force_login(make_user("someone", staff=staff))
    response = client.get("/styleguide/")
    assert response.status_code == status
    if staff:
        page = parse(response.content)
        assert page.one("h1").text == "Style guide"
        assert len(page.find_all("svg", class_="icon")) >= 30


def test_a_time_zone_that_does_not_exist_falls_back_to_the_sites_with_a_notice(client, settings):
    client.cookies["tz"] = "Mars/Olympus_Mons"
    response = client.get("/")
    page = parse(response.content)
    notice = page.one("p", class_="warning").text
    assert "time zone we do not know" in notice
    assert settings.TIME_ZONE in notice
    assert response.cookies["tz"].value == ""  # forgotten; the browser reports again
    client.cookies["tz"] = "Europe/Berlin"
    assert not parse(client.get("/").content).find_all("p", class_="warning")


def test_a_visitor_sent_to_sign_in_from_a_chat_room_is_told_why(client, communities):
    response = client.get("/c/one-stop-shop/chat/general/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    page = parse(response.content)
    assert "Chat rooms are open to members" in page.one("div", class_="messages").text
    assert page.one("title").text.startswith("Sign In")
