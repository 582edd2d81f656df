"""Editing one's practitioner profile, and the profile page others see."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import ExpertiseArea
from core.models import Membership
from tests.htmltree import parse

BIO = (
    "Мемлекеттік қызметшілердің әлеуетін арттыру мақсатында техникалық көмек және кеңес беру "
    "қызметтерін ұсынамын."
)


def valid_data(**changes) -> dict:
    data = {
        "display_name": "Айгерім Нұрланқызы",
        "country": "KZ",
        "organisation": "Agency for Civil Service Affairs",
        "position": "Chief expert",
        "languages": ["kk", "ru", "en"],
        "expertise": [
            ExpertiseArea.objects.get(slug="one-stop-shop").pk,
            ExpertiseArea.objects.get(slug="open-data").pk,
        ],
        "bio": BIO,
        "is_expert": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def aigerim(communities, make_user):
    return make_user("aigerim", email="aigerim@example.org")


def test_profile_edit_needs_sign_in(client, db):
    response = client.get("/profile/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/accounts/login/?next=/profile/"


def test_profile_form_has_every_field_labelled(aigerim, login):
    page = parse(login(aigerim).get("/profile/").content)
    form = page.one("main").one("form", method="post")
    country = form.one("select", name="country")
    codes = [o.attrs["value"] for o in country.find_all("option")]
    assert {"KZ", "UZ", "KG", "GE", "KR"} <= set(codes)  # ISO 3166 codes
    assert len(codes) > 240
    languages = [i.attrs["value"] for i in form.find_all("input", name="languages")]
    assert languages[:3] == ["kk", "ru", "en"]
    assert len(form.find_all("input", name="expertise")) == ExpertiseArea.objects.count()
    for name in ("display_name", "organisation", "position", "is_expert"):
        field = form.one("input", name=name)
        assert form.one("label", **{"for": field.attrs["id"]})
    assert form.one("label", **{"for": form.one("textarea", name="bio").attrs["id"]})


def test_profile_edit_saves_every_field(aigerim, login):
    client = login(aigerim)

    response = client.post("/profile/", valid_data(), follow=True)

    assert response.redirect_chain == [("/members/aigerim/", HTTPStatus.FOUND)]
    aigerim.refresh_from_db()
    assert aigerim.display_name == "Айгерім Нұрланқызы"
    assert aigerim.country.code == "KZ"
    assert aigerim.organisation == "Agency for Civil Service Affairs"
    assert aigerim.position == "Chief expert"
    assert aigerim.languages == ["kk", "ru", "en"]
    assert sorted(aigerim.expertise.values_list("slug", flat=True)) == [
        "one-stop-shop",
        "open-data",
    ]
    assert aigerim.bio == BIO
    assert aigerim.is_expert is True
    assert aigerim.username == "aigerim"
    assert aigerim.email == "aigerim@example.org"
    page = parse(response.content)
    assert page.one("div", class_="messages").text == "Your profile has been saved."
    assert page.one("h1").text == "Айгерім Нұрланқызы Expert"
    details = page.one("dl").text
    assert "Kazakhstan" in details
    assert "Kazakh, Russian, English" in details
    for slug in ("one-stop-shop", "open-data"):
        assert ExpertiseArea.objects.get(slug=slug).name_en in details
    assert BIO in page.one("main").text


def test_profile_edit_can_clear_lists_and_the_expert_flag(aigerim, login):
    client = login(aigerim)
    client.post("/profile/", valid_data())
    client.post("/profile/", valid_data(languages=[], expertise=[], is_expert=None, country=""))
    aigerim.refresh_from_db()
    assert aigerim.languages == []
    assert not aigerim.expertise.exists()
    assert aigerim.is_expert is False
    assert not aigerim.country


def test_display_name_spaces_are_tidied(aigerim, login):
    login(aigerim).post("/profile/", valid_data(display_name="  Айгерім    Нұрланқызы "))
    aigerim.refresh_from_db()
    assert aigerim.display_name == "Айгерім Нұрланқызы"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": "A"}, "display_name", "A display name needs at least 2 characters."),
        (
            {"country": "XX"},
            "country",
            "Select a valid choice. XX is not one of the available choices.",
        ),
        (
            {"languages": ["kk", "klingon"]},
            "languages",
            "Select a valid choice. klingon is not one of the available choices.",
        ),
        (
            {"expertise": ["999999"]},
            "expertise",
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
        (
            {"bio": "ә" * 1001},
            "bio",
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
        (
            {"organisation": "x" * 201},
            "organisation",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
    ],
)
def test_invalid_profile_data_is_refused_and_what_was_typed_is_kept(
    aigerim, login, changes, field, message
):
    response = login(aigerim).post("/profile/", valid_data(**changes))

    assert response.status_code == HTTPStatus.OK
    form = parse(response.content).one("main").one("form", method="post")
    errors = [e.text for e in form.find_all("ul", class_="errorlist")]
    assert message in " ".join(errors)
    # Nothing was saved...
    aigerim.refresh_from_db()
    assert aigerim.display_name == ""
    assert aigerim.organisation == ""
    # ...and every other field shows what was typed.
    if field != "organisation":
        assert form.one("input", name="organisation").attrs["value"] == (
            "Agency for Civil Service Affairs"
        )
    if field != "bio":
        assert form.one("textarea", name="bio").text == BIO
    if field != "languages":
        checked = [i.attrs["value"] for i in form.find_all("input", name="languages")
                   if "checked" in i.attrs]  # fmt: skip
        assert checked == ["kk", "ru", "en"]
    if field != "country":
        kz = form.one("select", name="country").one("option", value="KZ")
        assert "selected" in kz.attrs


def test_profile_errors_are_translated_in_russian(aigerim, login):
    client = login(aigerim)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post("/profile/", valid_data(country="XX"))
    with translation.override("ru"):
        expected = translation.gettext(
            "Select a valid choice. %(value)s is not one of the available choices."
        ) % {"value": "XX"}
    assert expected.startswith("Выберите")
    assert expected in parse(response.content).one("main").text


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_our_own_profile_errors_are_translated(aigerim, login, lang):
    client = login(aigerim)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.post("/profile/", valid_data(display_name="A"))
    assert "A display name needs at least 2 characters." not in response.content.decode()
    assert "errorlist" in response.content.decode()


def test_profile_page_of_someone_else(aigerim, login, make_user, communities):
    login(aigerim).post("/profile/", valid_data())
    Membership.objects.create(user=aigerim, community=communities["ai"], role="moderator")
    visitor = make_user("visitor")

    page = parse(login(visitor).get("/members/aigerim/").content)

    assert page.one("h1").text == "Айгерім Нұрланқызы Expert"
    assert "@aigerim" in page.one("p", class_="lead").text
    communities_dd = page.one("dl").find_all("dd")[3]
    assert communities_dd.one("a", href="/c/ai/").text == communities["ai"].name_en
    assert "(moderator)" in communities_dd.text
    # Only the owner sees the edit link.
    assert not page.one("main").find("a", href="/profile/")


def test_profile_page_of_an_unknown_or_inactive_person_is_404(client, make_user):
    make_user("gone", is_active=False)
    assert client.get("/members/gone/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/members/nobody/").status_code == HTTPStatus.NOT_FOUND
