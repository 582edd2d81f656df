"""The member directory (/members/) and the expert roster (/experts/), with their filters."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ExpertiseArea
from core.models import Membership
from tests.htmltree import parse


@pytest.fixture
def people(communities, make_user):
    """Practitioners from several countries, communities and areas of expertise."""
    areas = {a.slug: a for a in ExpertiseArea.objects.all()}
    spec = [
        # username, display name, country, organisation, expert, expertise, communities
        ("aigerim", "Айгерім Нұрланқызы", "KZ", "Agency for Civil Service Affairs", True,
         ["one-stop-shop"], {"one-stop-shop": "moderator"}),
        ("arman", "Арман Садықов", "KZ", "Government for Citizens", False,
         ["one-stop-shop", "performance-management"], {"one-stop-shop": "member"}),
        ("timur", "Тимур Алиев", "UZ", "Ministry of Digital Technologies", True,
         ["interoperability"], {"e-government": "moderator", "ai": "member"}),
        ("nino", "Nino Beridze", "GE", "Public Service Development Agency", False,
         ["public-sector-innovation"], {"innovation": "member"}),
        ("jiwoo", "Ji-woo Park", "KR", "Ministry of the Interior and Safety", True,
         ["artificial-intelligence", "data-governance"], {"ai": "moderator"}),
    ]  # fmt: skip
    made = {}
    for username, name, country, org, expert, expertise, memberships in spec:
        user = make_user(
            username, display_name=name, country=country, organisation=org, is_expert=expert
        )
        user.expertise.set([areas[slug] for slug in expertise])
        for slug, role in memberships.items():
            Membership.objects.create(user=user, community=communities[slug], role=role)
        made[username] = user
    make_user("ghost", display_name="Gone Away", country="KZ", is_active=False)
    return made


def names(response) -> list[str]:
    return [
        card.one("h2").one("a").text
        for card in parse(response.content).find_all("li", class_="card")
    ]


def test_directory_lists_active_people_by_name(client, people):
    response = client.get("/members/")

    assert response.status_code == HTTPStatus.OK
    assert names(response) == [
        "Ji-woo Park",
        "Nino Beridze",
        "Айгерім Нұрланқызы",
        "Арман Садықов",
        "Тимур Алиев",
    ]
    page = parse(response.content)
    assert page.one("h1").text == "Members"
    assert "5 people" in page.one("main").text
    card = next(c for c in page.find_all("li", class_="card") if "Тимур" in c.text)
    assert "Ministry of Digital Technologies" in card.text
    assert "Uzbekistan" in card.text
    assert "E-government development (moderator)" in card.text
    assert card.one("a", href="?expertise=interoperability")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", ["Айгерім Нұрланқызы", "Арман Садықов"]),
        ("community=ai", ["Ji-woo Park", "Тимур Алиев"]),
        ("expertise=one-stop-shop", ["Айгерім Нұрланқызы", "Арман Садықов"]),
        ("q=ministry", ["Ji-woo Park", "Тимур Алиев"]),
        ("q=айгерім", ["Айгерім Нұрланқызы"]),
        ("q=nino", ["Nino Beridze"]),
        ("country=KZ&community=one-stop-shop&expertise=performance-management", ["Арман Садықов"]),
        ("country=FR", []),
        # An invalid filter is shown as an error; the valid ones still apply.
        ("country=XX&q=ministry", ["Ji-woo Park", "Тимур Алиев"]),
        ("community=no-such", ["Ji-woo Park", "Nino Beridze", "Айгерім Нұрланқызы",
                               "Арман Садықов", "Тимур Алиев"]),
    ],
)  # fmt: skip
def test_directory_filters(client, people, query, expected):
    response = client.get(f"/members/?{query}")
    assert names(response) == expected
    if not expected:
        assert "Nobody matches these filters." in parse(response.content).one("main").text


def test_an_invalid_filter_says_why(client, people):
    page = parse(client.get("/members/?country=XX").content)
    assert "Select a valid choice. XX is not one of the available choices." in (
        page.one("form", class_="filter-bar").text
    )


def test_filters_are_kept_in_the_form(client, people):
    form = parse(client.get("/members/?q=ministry&country=UZ&community=ai").content).one(
        "form", class_="filter-bar"
    )
    assert form.one("input", name="q").attrs["value"] == "ministry"
    assert "selected" in form.one("select", name="country").one("option", value="UZ").attrs
    assert "selected" in form.one("select", name="community").one("option", value="ai").attrs


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Ji-woo Park", "Айгерім Нұрланқызы", "Тимур Алиев"]),
        ("country=KZ", ["Айгерім Нұрланқызы"]),
        ("community=ai", ["Ji-woo Park", "Тимур Алиев"]),
        ("expertise=data-governance", ["Ji-woo Park"]),
        ("expertise=performance-management", []),  # Арман has it, but is not an expert
    ],
)
def test_expert_roster_lists_only_experts(client, people, query, expected):
    response = client.get(f"/experts/?{query}")
    page = parse(response.content)
    assert page.one("h1").text == "Expert roster"
    assert names(response) == expected
    assert all(card.find("span", class_="pill") for card in page.find_all("li", class_="card"))


def test_directory_pages_by_thirty(client, communities, make_user):
    for n in range(35):
        make_user(f"p{n:02}", display_name=f"Person {n:02}", country="KZ")

    first = client.get("/members/?country=KZ")
    second = client.get("/members/?country=KZ&page=2")

    assert len(names(first)) == 30
    assert names(second) == [f"Person {n}" for n in range(30, 35)]
    nav = parse(first.content).one("ul", class_="pagination")
    assert nav.one("a", rel="next").attrs["href"] == "?country=KZ&page=2"
    assert "Page 1 of 2" in nav.text


def _populate(communities, make_user, *, count: int, prefix: str) -> None:
    areas = list(ExpertiseArea.objects.all())
    for n in range(count):
        user = make_user(f"{prefix}{n}", display_name=f"{prefix} {n}", is_expert=True)
        user.expertise.set(areas[n % 5 : n % 5 + 3])
        for community in list(communities.values())[: 1 + n % 4]:
            Membership.objects.create(user=user, community=community)


# Count for the paginator, the page of people, their expertise, their memberships with
# communities, and the filter form's community and expertise choices.
DIRECTORY_QUERY_BUDGET = 8


@pytest.mark.parametrize("path", ["/members/", "/experts/"])
def test_directory_query_count_does_not_grow_with_people(
    client, communities, make_user, django_assert_max_num_queries, path
):
    _populate(communities, make_user, count=3, prefix="few")
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    _populate(communities, make_user, count=30, prefix="many")

    with django_assert_max_num_queries(DIRECTORY_QUERY_BUDGET) as many:
        response = client.get(path)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(names(response)) == 30
