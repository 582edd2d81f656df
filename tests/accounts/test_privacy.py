"""Privacy choices: who sees which part of a profile, on every surface that shows people.

One table: viewer role × part of the profile × the person's choice → seen or not; each row
is checked on the member page, in the directory, in the directory's search (searching by a
hidden organisation or filtering by a hidden country must not find the person), beside the
person's posts, and in the members API.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from accounts.models import Audience
from forums.services.threads import thread_create
from tests.htmltree import parse

ORGANISATION = "Ministry of Quiet Affairs"
EMAIL = "dana.private@example.org"

EVERYONE, MEMBERS, COMMUNITIES, NOBODY = (
    Audience.EVERYONE,
    Audience.MEMBERS,
    Audience.COMMUNITIES,
    Audience.NOBODY,
)

# viewer: anonymous, signed in (no shared community), co-member (shares a community), the
# person themself, staff. For each choice, who sees the part.
SEES = {
    EVERYONE: {"anonymous", "signed_in", "co_member", "self", "staff"},
    MEMBERS: {"signed_in", "co_member", "self", "staff"},
    COMMUNITIES: {"co_member", "self", "staff"},
    NOBODY: {"self", "staff"},
}
VIEWERS = ["anonymous", "signed_in", "co_member", "self", "staff"]


@pytest.fixture
def world(communities, make_user, make_member):
    person = make_member(
        communities["e-government"],
        "dana",
        display_name="Dana Privatova",
        email=EMAIL,
        country="KZ",
        organisation=ORGANISATION,
        position="Chief Quietness Officer",
    )
    viewers = {
        "anonymous": None,
        "signed_in": make_member(communities["ai"], "stranger"),
        "co_member": make_member(communities["e-government"], "colleague"),
        "self": person,
        "staff": make_user("admin", staff=True),
    }
    thread = thread_create(
        community=communities["e-government"],
        author=person,
        title="Open data registers",
        body="How do you keep them current?",
        language="en",
    )
    return person, viewers, thread


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def choose(person, **choices) -> None:
    for field, value in choices.items():
        setattr(person, field, value)
    person.save(update_fields=list(choices))


def directory_card(client, **params):
    response = client.get("/members/", params)
    assert response.status_code == HTTPStatus.OK
    cards = [
        card
        for card in parse(response.content).find_all("li", class_="card")
        if card.one("h2").one("a").text == "Dana Privatova"
    ]
    return cards[0].text if cards else None


PARTS = {
    # part: (model field, what shows it on pages, how the API shows it)
    "organisation": ("organisation_audience", ORGANISATION, ("organisation", ORGANISATION)),
    "country": ("country_audience", "Kazakhstan", ("country", "KZ")),
    "email": ("email_audience", EMAIL, ("email", EMAIL)),
}


@pytest.mark.parametrize("viewer_role", VIEWERS)
@pytest.mark.parametrize("choice", [EVERYONE, MEMBERS, COMMUNITIES, NOBODY])
@pytest.mark.parametrize("part", list(PARTS))
def test_who_sees_which_part_of_a_profile(world, viewer_role, choice, part):
    person, viewers, thread = world
    field, shown_text, (api_key, api_value) = PARTS[part]
    others = {f: EVERYONE for f, *_rest in PARTS.values()} | {field: choice}
    choose(person, **others)
    expected = viewer_role in SEES[choice]
    client = client_for(viewers[viewer_role])

    page = client.get("/members/dana/")
    assert page.status_code == HTTPStatus.OK
    main = parse(page.content).one("main").text
    assert (shown_text in main) is expected, "member page"

    card = directory_card(client)
    assert card is not None
    assert (shown_text in card) is expected, "directory"

    # Searching or filtering by a hidden part must not find the person through it.
    if part == "organisation":
        assert (directory_card(client, q="quiet affairs") is not None) is expected, "search"
    if part == "country":
        assert (directory_card(client, country="KZ") is not None) is expected, "filter"

    api = client.get("/api/v1/members/dana").json()
    assert (api[api_key] == api_value) is expected, "API entry"
    if not expected:
        assert api[api_key] is None
    listed = client.get("/api/v1/members", {"q": "dana"}).json()["results"]
    assert [entry[api_key] == api_value for entry in listed] == [expected], "API list"

    if part != "email":  # bylines show country and organisation, never the address
        byline = client.get(thread.get_absolute_url())
        author = parse(byline.content).find_all("div", class_="post-author")[0].text
        # In the thread's community the co-member and the reader meet the author there: a
        # signed-in reader who is not a member sees "communities" parts only if a member.
        assert (shown_text in author) is expected, "post byline"


@pytest.mark.parametrize("viewer_role", VIEWERS)
@pytest.mark.parametrize("choice", [EVERYONE, MEMBERS, COMMUNITIES])
def test_who_sees_the_profile_at_all(world, viewer_role, choice):
    person, viewers, _thread = world
    choose(person, profile_audience=choice, organisation_audience=EVERYONE)
    expected = viewer_role in SEES[choice]
    client = client_for(viewers[viewer_role])

    page = client.get("/members/dana/")
    assert page.status_code == (HTTPStatus.OK if expected else HTTPStatus.NOT_FOUND)
    if not expected:
        assert "Dana Privatova" not in page.content.decode()
    assert (directory_card(client) is not None) is expected
    assert (directory_card(client, q="dana") is not None) is expected
    api = client.get("/api/v1/members/dana")
    assert api.status_code == (HTTPStatus.OK if expected else HTTPStatus.NOT_FOUND)
    listed = client.get("/api/v1/members").json()["results"]
    assert ("dana" in [entry["username"] for entry in listed]) is expected


def test_the_email_address_is_hidden_by_default(world):
    person, viewers, _thread = world
    person.refresh_from_db()
    assert person.email_audience == NOBODY
    for role in ("anonymous", "signed_in", "co_member"):
        client = client_for(viewers[role])
        assert EMAIL not in client.get("/members/dana/").content.decode()
        assert EMAIL not in client.get("/members/").content.decode()
        assert client.get("/api/v1/members/dana").json()["email"] is None


def test_privacy_page_saves_choices_and_keeps_them_on_error(world):
    person, _viewers, _thread = world
    client = client_for(person)
    page = client.get("/profile/privacy/")
    assert page.status_code == HTTPStatus.OK
    tree = parse(page.content)
    assert tree.one("h1").text == "Privacy choices"
    # Four audiences, and whether members may ask private questions.
    assert len(tree.find_all("fieldset")) == 5
    assert "checked" in tree.one("input", name="accepts_questions").attrs

    rejected = client.post(
        "/profile/privacy/",
        {
            "profile_audience": "nobody",  # not offered for the whole profile
            "email_audience": MEMBERS,
            "country_audience": NOBODY,
            "organisation_audience": COMMUNITIES,
        },
    )
    assert rejected.status_code == HTTPStatus.OK
    form = parse(rejected.content)
    assert form.find_all(role="alert")
    checked = {
        node.attrs["name"]: node.attrs["value"]
        for node in form.find_all("input")
        if "checked" in node.attrs
    }
    assert checked["email_audience"] == MEMBERS
    assert checked["country_audience"] == NOBODY
    person.refresh_from_db()
    assert person.email_audience == NOBODY

    saved = client.post(
        "/profile/privacy/",
        {
            "profile_audience": MEMBERS,
            "email_audience": MEMBERS,
            "country_audience": NOBODY,
            "organisation_audience": COMMUNITIES,
        },
    )
    assert saved.status_code == HTTPStatus.FOUND
    person.refresh_from_db()
    assert (
        person.profile_audience,
        person.email_audience,
        person.country_audience,
        person.organisation_audience,
    ) == (MEMBERS, MEMBERS, NOBODY, COMMUNITIES)


def test_privacy_page_needs_sign_in(client):
    response = client.get("/profile/privacy/")
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_directory_query_count_with_community_choices(world, make_member, communities, login):
    """Choosing "members of my communities" costs no query per person in the directory."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _person, viewers, _thread = world
    for number in range(25):
        someone = make_member(communities["e-government"], f"peer{number}")
        choose(someone, country_audience=COMMUNITIES, organisation_audience=COMMUNITIES)
    client = login(viewers["co_member"])
    client.get("/members/")  # warm up
    with CaptureQueriesContext(connection) as first:
        client.get("/members/")
    make_member(communities["ai"], "late")
    with CaptureQueriesContext(connection) as second:
        client.get("/members/")
    assert len(second.captured_queries) == len(first.captured_queries) <= 12


@pytest.mark.parametrize(
    ("viewer_role", "expected"),
    [("anonymous", False), ("signed_in", False), ("co_member", True), ("staff", True)],
)
def test_community_page_lists_people_with_their_choices(world, viewer_role, expected):
    person, viewers, thread = world
    choose(person, country_audience=COMMUNITIES, organisation_audience=COMMUNITIES)
    page = client_for(viewers[viewer_role]).get(thread.community.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    text = parse(page.content).one("main").text
    assert "Dana Privatova" in text
    assert (ORGANISATION in text) is expected
