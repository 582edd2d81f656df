"""The home page: the four communities, their members and recent activity, in three languages."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.content import KAZAKH
from tests.htmltree import parse

SLUGS = ["one-stop-shop", "e-government", "innovation", "ai"]


def cards(response_or_page):
    page = response_or_page if hasattr(response_or_page, "find_all") else parse(response_or_page)
    return {
        card.attrs["aria-labelledby"].removeprefix("community-"): card
        for card in page.find_all("section", class_="card")
    }


def test_home_lists_the_four_communities_with_descriptions_and_member_counts(
    client, communities, make_member
):
    for username in ("aigerim", "arman", "leyla"):
        make_member(communities["one-stop-shop"], username)
    make_member(communities["ai"], "jiwoo", role="moderator")

    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    page = parse(response.content)
    assert page.one("h1").text == "Communities of practice"
    found = cards(response)
    assert list(found) == SLUGS
    for slug, card in found.items():
        community = communities[slug]
        heading = card.one("h2")
        assert heading.text == community.name_en
        assert heading.one("a").attrs["href"] == f"/c/{slug}/"
        assert community.description_en in card.text
    assert "3 members" in found["one-stop-shop"].one("p", class_="meta").text
    assert "1 member" in found["ai"].one("p", class_="meta").text
    assert "0 members" in found["innovation"].one("p", class_="meta").text


def test_home_shows_recent_threads_and_library_additions_per_community(
    client, communities, make_member, make_thread, make_resource
):
    egov = communities["e-government"]
    author = make_member(egov, "timur")
    old = make_thread(egov, author, "Интероперабельность: с чего начать?", language="ru")
    new = make_thread(egov, author, "Цифрлық мүмкіндіктер конференциясы", body=KAZAKH[0])
    resource = make_resource([communities["innovation"]], "Remote work toolkit", language="en")

    found = cards(client.get("/"))

    egov_items = found["e-government"].find_all("li")
    assert [li.one("a").text for li in egov_items] == [new.title, old.title]
    assert egov_items[0].one("a").attrs["href"] == new.get_absolute_url()
    assert egov_items[0].one("a").attrs["lang"] == "kk"
    assert egov_items[1].one("a").attrs["lang"] == "ru"
    innovation_link = found["innovation"].one("a", href=resource.get_absolute_url())
    assert innovation_link.text == "Remote work toolkit"
    assert "Analytical case" in found["innovation"].text
    # A community without activity invites the first discussion.
    assert "Nothing yet: start the first discussion." in found["ai"].text
    assert not found["ai"].find_all("li")


def test_a_signed_in_person_in_no_community_gets_the_communities_to_join(
    communities, make_user, login
):
    page = parse(login(make_user("nino")).get("/").content)

    assert page.one("h1").text == "Communities of practice"
    assert list(cards(page)) == SLUGS
    assert "You are a member" not in page.one("main").text


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_home_in_each_language_shows_community_names_in_it(communities, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    response = client.get("/")

    page = parse(response.content)
    assert page.one("html").attrs["lang"] == lang
    found = cards(response)
    for slug, card in found.items():
        assert card.one("h2").text == getattr(communities[slug], f"name_{lang}")
        assert getattr(communities[slug], f"description_{lang}") in card.text
    # The switcher shows the current language as selected, each option in its own language.
    select = page.one("select", id="language-select")
    options = {o.attrs["value"]: o for o in select.find_all("option")}
    assert list(options) == ["kk", "ru", "en"]
    assert [o.attrs["value"] for o in options.values() if "selected" in o.attrs] == [lang]
    assert options["kk"].text == "Қазақ"
    assert options["ru"].text == "Русский"
    assert options["en"].text == "English"
    assert all(o.attrs["lang"] == code for code, o in options.items())


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("kk", "kk"),
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("ru-RU,ru;q=0.9,en;q=0.5", "ru"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,fr;q=0.8", "en"),  # none of ours: the default language
        ("de-DE,ru;q=0.4", "ru"),
    ],
)
def test_first_visit_honours_the_browsers_accept_language(communities, accept_language, lang):
    response = Client().get("/", headers={"accept-language": accept_language})

    assert parse(response.content).one("html").attrs["lang"] == lang
    assert response.headers["Content-Language"] == lang
    assert getattr(communities["ai"], f"name_{lang}") in response.content.decode()


def test_language_switcher_posts_to_set_language_and_is_remembered_by_cookie(communities):
    client = Client(headers={"accept-language": "ru"})
    page = parse(client.get("/members/").content)
    form = page.one("form", class_="language-switcher")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == reverse("set_language")
    assert form.one("input", name="next").attrs["value"] == "/members/"
    assert form.one("input", name="csrfmiddlewaretoken")
    assert form.one("label", **{"for": "language-select"})

    response = client.post(reverse("set_language"), {"language": "kk", "next": "/members/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/members/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "kk"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    # Remembered: the cookie now wins over the browser's Accept-Language (ru).
    for path in ("/", "/members/", f"/c/{communities['ai'].slug}/"):
        assert parse(client.get(path).content).one("html").attrs["lang"] == "kk"
    assert communities["ai"].name_kk in client.get("/").content.decode()


def test_set_language_refuses_a_foreign_next_url(communities):
    response = Client().post(
        reverse("set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_set_language_ignores_an_unknown_language(communities):
    # Django stores any language it has a catalogue for ("de"), but pages stay in one of ours.
    client = Client(headers={"accept-language": "ru"})
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert parse(client.get("/").content).one("html").attrs["lang"] == "ru"


def _populate(communities, make_member, make_thread, make_resource, *, scale: int) -> None:
    for index, (slug, community) in enumerate(communities.items()):
        people = [make_member(community, f"{slug[:3]}{scale}p{n}") for n in range(scale * 3)]
        make_member(community, f"{slug[:3]}{scale}mod", role="moderator")
        for n in range(scale * 2):
            make_thread(
                community,
                people[n % len(people)],
                f"{KAZAKH[n % len(KAZAKH)][:60]} {scale}.{n}",
                replies=[(people[(n + 1) % len(people)], KAZAKH[(n + 2) % len(KAZAKH)])],
            )
        for n in range(scale):
            make_resource([community], f"Case {slug} {scale}.{n}.{index}")


# Communities with member counts (1); session, user, their memberships (3); latest threads and
# latest resources, one query each per community: 4 communities, a fixed number (8); the next
# events (1); the unread notification count in the header (1).
HOME_QUERY_BUDGET = 14


def test_home_query_count_does_not_grow_with_content(
    communities, make_user, make_member, make_thread, make_resource, login,
    django_assert_max_num_queries,
):  # fmt: skip
    viewer = make_user("viewer")  # signed in, in no community yet: the communities' page
    client = login(viewer)
    _populate(communities, make_member, make_thread, make_resource, scale=1)
    client.get("/")  # warm: the cached unread count
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == HTTPStatus.OK
    _populate(communities, make_member, make_thread, make_resource, scale=3)

    with django_assert_max_num_queries(HOME_QUERY_BUDGET) as large:
        response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "14 members" in cards(response)["ai"].text  # 3 + 1, then 9 + 1
