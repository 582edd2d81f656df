"""The welcome after sign-up: who is sent to it (the allauth adapters), its three steps
(profile and photo, communities, e-mail), each saving on Continue with the owning app's form
and service, Skip, and the end of it (never offered again)."""

from __future__ import annotations

import io
import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from PIL import Image

from accounts.services import user_onboarding_finish
from core.models import Membership
from mail.models import CommunityMail, MailSettings
from tests.conftest import PASSWORD
from tests.htmltree import parse

STEP_URLS = ["/welcome/profile/", "/welcome/communities/", "/welcome/email/"]
NEW_PASSWORD = "a-long-enough-password-2026"
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s]+/)")


@pytest.fixture
def newcomer(communities, make_user):
    """Someone who has just signed up: the welcome waits for them."""
    return make_user("aigerim", email="aigerim@example.org", onboarded_at=None)


def _main(response):
    return parse(response.content).one("main")


def _with_text(nodes, text: str):
    """The nodes among ``nodes`` whose text is ``text``."""
    return [node for node in nodes if node.text == text]


# --- Who is sent to the welcome --------------------------------------------------------------


def _signup(client: Client, **fields):
    return client.post(
        "/accounts/signup/",
        {
            "email": "aigerim@example.org",
            "username": "aigerim",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **fields,
        },
    )


def test_a_new_account_is_sent_to_the_welcome_right_after_signing_up(communities):
    response = _signup(Client())  # optional verification (DEBUG on): signed in at once

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/welcome/profile/"
    assert get_user_model().objects.get(username="aigerim").onboarded_at is None


def test_confirming_the_address_leads_to_the_welcome_when_verification_is_mandatory(
    communities, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = Client()
    assert _signup(client).headers["Location"] == "/accounts/confirm-email/"
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)

    response = client.post(path)

    assert EmailAddress.objects.get().verified
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/welcome/profile/"
    page = client.get(response.headers["Location"])
    assert page.wsgi_request.user.username == "aigerim"
    assert _main(page).one("h1").text == "Your profile and photo"


def test_confirming_in_another_browser_then_signing_in_still_leads_to_the_welcome(
    communities, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _signup(Client())
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    other = Client()
    other.post(path)  # the mail app's browser: confirmed, but nobody signed in there

    response = other.post("/accounts/login/", {"login": "aigerim", "password": NEW_PASSWORD})

    assert response.headers["Location"] == "/welcome/profile/"


def test_people_who_were_welcomed_sign_in_to_the_home_page(communities, make_user):
    make_user("arman")  # as every account from before the welcome, and demo accounts
    response = Client().post("/accounts/login/", {"login": "arman", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_a_link_followed_to_sign_in_wins_over_the_welcome(newcomer):
    response = Client().post(
        "/accounts/login/?next=/c/ai/", {"login": "aigerim", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/c/ai/"


def test_someone_who_left_the_welcome_half_way_gets_it_at_the_next_sign_in(newcomer):
    response = Client().post("/accounts/login/", {"login": "aigerim", "password": PASSWORD})
    assert response.headers["Location"] == "/welcome/profile/"


def test_accounts_from_before_the_welcome_count_as_welcomed(transactional_db):
    """The migration that adds ``onboarded_at`` gives every existing account a date."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0007_merge_theme_and_privacy")])
    old_apps = (
        MigrationExecutor(connection)
        .loader.project_state([("accounts", "0007_merge_theme_and_privacy")])
        .apps
    )
    old_apps.get_model("accounts", "User").objects.create(
        username="veteran", email="veteran@example.org"
    )
    before = timezone.now()

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0008_user_onboarded_at")])
    then = executor.loader.project_state([("accounts", "0008_user_onboarded_at")]).apps
    veteran = then.get_model("accounts", "User").objects.get(username="veteran")

    assert veteran.onboarded_at is not None
    assert veteran.onboarded_at >= before
    # Back to the latest state for the tests after this one (the flush keeps the schema).
    call_migrate_latest()


def call_migrate_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# --- Who may open the steps (roles × actions) --------------------------------------------------

ROLES = ["anonymous", "newcomer", "welcomed", "member", "staff"]
ACTIONS = [("GET", url) for url in ["/welcome/", *STEP_URLS]] + [("POST", "/welcome/finish/")]


@pytest.fixture
def as_role(communities, make_user, make_member):
    def make(role: str) -> Client:
        client = Client()
        people = {
            "newcomer": lambda: make_user("new", onboarded_at=None),
            "welcomed": lambda: make_user("welcomed"),
            "member": lambda: make_member(communities["ai"], "member"),
            "staff": lambda: make_user("staffer", staff=True),
        }
        if role in people:
            client.force_login(people[role]())
        return client

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), ACTIONS)
def test_the_welcome_is_for_everyone_signed_in(as_role, role, method, url):
    client = as_role(role)
    response = client.get(url) if method == "GET" else client.post(url)

    location = response.headers.get("Location", "")
    if role == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert location.startswith("/accounts/login/?next=")
    elif url == "/welcome/":
        assert location == "/welcome/profile/"
    elif method == "POST":
        assert location == "/"
    else:
        assert response.status_code == HTTPStatus.OK
        assert _main(response).one("form", id="welcome-form")


def test_finishing_is_a_post(newcomer, login):
    client = login(newcomer)
    assert client.get("/welcome/finish/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    newcomer.refresh_from_db()
    assert newcomer.needs_welcome


# --- The progress indicator and the buttons ----------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_step_says_where_it_is_and_where_back_and_skip_lead(newcomer, login, number):
    response = login(newcomer).get(STEP_URLS[number - 1])
    main = _main(response)
    titles = ["Your profile and photo", "Your communities", "What reaches you by e-mail"]

    steps = main.one("nav", aria_label="Welcome steps").one("ol").find_all("li")
    assert [li.text for li in steps] == [f"{n}{t}" for n, t in enumerate(titles, start=1)]
    current = main.find_all(aria_current="step")
    assert [node.text for node in current] == [f"{number}{titles[number - 1]}"]
    assert current[0].tag == "span"  # the current step is not a link to itself
    others = [li.find("a") for i, li in enumerate(steps, start=1) if i != number]
    assert [a.attrs["href"] for a in others] == [
        u for i, u in enumerate(STEP_URLS, 1) if i != number
    ]
    assert main.one("p", class_="step-count").text == f"Step {number} of 3"
    assert main.one("h1").text == titles[number - 1]
    assert (
        parse(response.content)
        .one("title")
        .text.startswith(f"Step {number} of 3: {titles[number - 1]}")
    )

    form = main.one("form", id="welcome-form")
    buttons = form.one("div", class_="button-row")
    back = [a.attrs["href"] for a in _with_text(buttons.find_all("a"), "Back")]
    assert back == ([STEP_URLS[number - 2]] if number > 1 else [])
    # Continue is the form's only own submit button: Enter in a field saves, never skips.
    own = [b for b in form.find_all("button") if "form" not in b.attrs]
    assert [b.text for b in own] == ["Finish" if number == 3 else "Continue"]
    if number < 3:
        (skip,) = _with_text(buttons.find_all("a"), "Skip this step")
        assert skip.attrs["href"] == STEP_URLS[number]
    else:
        skip = buttons.one("button", form="welcome-finish")
        assert skip.text == "Skip this step"
    leave = main.one("form", id="welcome-finish")
    assert leave.attrs["action"] == "/welcome/finish/"
    assert leave.one("button").text == "Skip the welcome"


# --- Step 1: profile and photo ----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


PROFILE = {
    "display_name": "Айгерім Нұрланқызы",
    "country": "KZ",
    "organisation": "Мемлекеттік қызмет істері агенттігі",
    "position": "Бас сарапшы",
    "languages": ["kk", "ru", "en"],
    "timezone": "Asia/Almaty",
}


def test_the_profile_step_saves_name_work_languages_zone_and_photo(newcomer, login, media):
    response = login(newcomer).post("/welcome/profile/", {**PROFILE, "photo": _photo()})

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/welcome/communities/"
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Айгерім Нұрланқызы"
    assert newcomer.country.code == "KZ"
    assert newcomer.organisation == PROFILE["organisation"]
    assert newcomer.position == "Бас сарапшы"
    assert newcomer.languages == ["kk", "ru", "en"]
    assert newcomer.timezone == "Asia/Almaty"
    assert newcomer.avatar.name.startswith("avatars/")
    with Image.open(newcomer.avatar.path) as stored:  # the profile's processing, not the upload
        assert (stored.format, stored.size) == ("JPEG", (256, 256))
    assert newcomer.needs_welcome  # saving a step does not end the welcome


def test_the_profile_step_asks_only_for_the_introduction(newcomer, login):
    form = _main(login(newcomer).get("/welcome/profile/")).one("form", id="welcome-form")
    names = [n.attrs["name"] for n in form.find_all(["input", "select", "textarea"])]
    fields = [n for n in dict.fromkeys(names) if n != "csrfmiddlewaretoken"]
    assert fields == [
        "display_name", "photo", "photo-clear", "country", "organisation", "position",
        "languages", "timezone",
    ] or fields == [
        "display_name", "photo", "country", "organisation", "position", "languages", "timezone"
    ]  # fmt: skip
    for name in ("display_name", "organisation", "timezone"):
        control = form.one(["input", "select"], name=name)
        assert form.one("label", **{"for": control.attrs["id"]})
    assert form.attrs["enctype"] == "multipart/form-data"


def test_bad_input_on_the_profile_step_is_said_and_what_was_typed_is_kept(newcomer, login, media):
    response = login(newcomer).post(
        "/welcome/profile/", {**PROFILE, "display_name": "A", "photo": _photo()}
    )

    assert response.status_code == HTTPStatus.OK
    form = _main(response).one("form", id="welcome-form")
    assert "A display name needs at least 2 characters." in form.text
    assert form.one("input", name="display_name").attrs["value"] == "A"
    assert form.one("input", name="organisation").attrs["value"] == PROFILE["organisation"]
    chosen = form.one("select", name="timezone").find("option", selected="")
    assert chosen.attrs["value"] == "Asia/Almaty"
    # The photo was fine, but a file input cannot be filled in again: the page says so.
    assert "Please choose your photo again" in form.text
    newcomer.refresh_from_db()
    assert (newcomer.display_name, newcomer.organisation, newcomer.avatar.name) == ("", "", "")


def test_a_file_that_is_not_a_photo_is_refused_with_the_reason(newcomer, login, media):
    svg = SimpleUploadedFile(
        "me.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
    )
    response = login(newcomer).post("/welcome/profile/", {**PROFILE, "photo": svg})

    assert response.status_code == HTTPStatus.OK
    form = _main(response).one("form", id="welcome-form")
    assert "SVG drawings cannot be used as a photo" in form.text
    assert "Please choose your photo again" not in form.text
    assert form.one("input", name="display_name").attrs["value"] == PROFILE["display_name"]
    newcomer.refresh_from_db()
    assert not newcomer.avatar


# --- Step 2: communities ----------------------------------------------------------------------


def test_the_communities_step_describes_each_community_with_its_box(
    newcomer, login, communities, make_member
):
    make_member(communities["ai"], "jiwoo")
    Membership.objects.create(user=newcomer, community=communities["e-government"])

    form = _main(login(newcomer).get("/welcome/communities/")).one("form", id="welcome-form")

    fieldset = form.one("fieldset")
    assert fieldset.one("legend").text == "Communities to join"
    boxes = fieldset.find_all("input", type="checkbox")
    assert [b.attrs["value"] for b in boxes] == list(communities)
    assert [b.attrs["value"] for b in boxes if "checked" in b.attrs] == ["e-government"]
    for box, community in zip(boxes, communities.values(), strict=True):
        assert form.one("label", **{"for": box.attrs["id"]}).text == community.name_en
        description = form.one("p", id=box.attrs["aria-describedby"])
        assert community.description_en in description.text
    assert "1 member" in form.one("p", id=boxes[3].attrs["aria-describedby"]).text


def test_the_communities_step_joins_and_leaves_through_the_core_services(
    newcomer, login, communities
):
    Membership.objects.create(user=newcomer, community=communities["one-stop-shop"])
    Membership.objects.create(
        user=newcomer, community=communities["innovation"], role=Membership.Role.MODERATOR
    )

    response = login(newcomer).post(
        "/welcome/communities/", {"communities": ["e-government", "ai"]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/welcome/email/"
    mine = dict(Membership.objects.filter(user=newcomer).values_list("community__slug", "role"))
    # Joined two, left the one unticked; a moderator's role is not given up by a box.
    assert mine == {"e-government": "member", "ai": "member", "innovation": "moderator"}


def test_an_unknown_community_is_refused_and_the_ticks_are_kept(newcomer, login):
    response = login(newcomer).post(
        "/welcome/communities/", {"communities": ["ai", "no-such-community"]}
    )

    assert response.status_code == HTTPStatus.OK
    form = _main(response).one("form", id="welcome-form")
    assert "Select a valid choice. no-such-community is not one of the available choices." in (
        form.text
    )
    ticked = [
        b.attrs["value"] for b in form.find_all("input", type="checkbox") if "checked" in b.attrs
    ]
    assert ticked == ["ai"]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_ticking_nothing_is_a_choice_too(newcomer, login, communities):
    Membership.objects.create(user=newcomer, community=communities["ai"])
    response = login(newcomer).post("/welcome/communities/", {})
    assert response.headers["Location"] == "/welcome/email/"
    assert not Membership.objects.filter(user=newcomer).exists()


# --- Step 3: e-mail, and the end of the welcome ------------------------------------------------


def test_the_email_step_saves_the_preferences_and_ends_on_the_personal_home(
    newcomer, login, communities
):
    for slug in ("ai", "innovation"):
        Membership.objects.create(user=newcomer, community=communities[slug])
    client = login(newcomer)
    form = _main(client.get("/welcome/email/")).one("form", id="welcome-form")
    assert form.one("select", name=f"community_{communities['ai'].pk}")

    response = client.post(
        "/welcome/email/",
        {
            "replies": "digest",
            "mentions": "now",
            "moderation": "off",
            "events": "now",
            "questions": "now",
            "digests": "on",
            f"community_{communities['ai'].pk}": "every",
            f"community_{communities['innovation'].pk}": "off",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/", HTTPStatus.FOUND)]
    settings_row = MailSettings.objects.get(user=newcomer)
    assert (settings_row.replies, settings_row.mentions, settings_row.moderation) == (
        "digest",
        "now",
        "off",
    )
    assert settings_row.digests is True
    chosen = dict(
        CommunityMail.objects.filter(user=newcomer).values_list("community__slug", "threads")
    )
    assert chosen == {"ai": "every", "innovation": "off"}
    newcomer.refresh_from_db()
    assert not newcomer.needs_welcome
    page = parse(response.content)
    assert page.one("p", class_="success").text == (
        "Welcome, aigerim! Here is what is new in your communities."
    )
    assert page.one("main").one("h1").text == "What is new in your communities"


def test_bad_input_on_the_email_step_is_said_and_kept_and_the_welcome_goes_on(
    newcomer, login, communities
):
    Membership.objects.create(user=newcomer, community=communities["ai"])
    response = login(newcomer).post(
        "/welcome/email/",
        {"replies": "sometimes", "mentions": "off", f"community_{communities['ai'].pk}": "daily"},
    )

    assert response.status_code == HTTPStatus.OK
    form = _main(response).one("form", id="welcome-form")
    assert "Select a valid choice. sometimes is not one of the available choices." in form.text
    assert form.one("input", name="mentions", value="off").attrs.get("checked") is not None
    community = form.one("select", name=f"community_{communities['ai'].pk}")
    assert community.one("option", selected="").attrs["value"] == "daily"
    assert not MailSettings.objects.filter(user=newcomer, mentions="off").exists()
    newcomer.refresh_from_db()
    assert newcomer.needs_welcome


def test_skipping_the_welcome_ends_it_for_good(newcomer, login):
    client = login(newcomer)

    response = client.post("/welcome/finish/", follow=True)

    assert response.redirect_chain == [("/", HTTPStatus.FOUND)]
    page = parse(response.content)
    # Nobody to follow yet: the home page of the communities, with a word on what to do.
    assert page.one("p", class_="success").text == (
        "Welcome, aigerim! Join a community to follow its discussions here."
    )
    assert page.one("main").one("h1").text == "Communities of practice"
    newcomer.refresh_from_db()
    finished = newcomer.onboarded_at
    assert finished is not None
    # Not nagged: the next sign-in goes home, and the steps stay open as plain forms.
    signin = Client().post("/accounts/login/", {"login": "aigerim", "password": PASSWORD})
    assert signin.headers["Location"] == "/"
    again = client.post("/welcome/finish/", follow=True)
    assert parse(again.content).one("p", class_="success").text == "Your choices are saved."
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at == finished


def test_skipping_a_step_saves_nothing(newcomer, login, communities):
    client = login(newcomer)
    page = _main(client.get("/welcome/communities/"))
    (link,) = _with_text(page.find_all("a"), "Skip this step")
    skip = link.attrs["href"]
    assert skip == "/welcome/email/"
    client.get(skip)
    assert not Membership.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert newcomer.needs_welcome


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_steps_speak_the_readers_language(newcomer, login, lang):
    client = login(newcomer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = parse(client.get("/welcome/communities/").content)
    with translation.override(lang):
        title = translation.gettext("Your communities")
        count = translation.gettext("Step %(number)s of %(total)s") % {"number": 2, "total": 3}
        skip = translation.gettext("Skip the welcome")
    assert title != "Your communities"
    assert page.one("html").attrs["lang"] == lang
    assert page.one("main").one("h1").text == title
    assert page.one("main").one("p", class_="step-count").text == count
    assert page.one("form", id="welcome-finish").one("button").text == skip


# --- Single sign-on -------------------------------------------------------------------------


OIDC = {
    "id": "gov",
    "name": "Government ID",
    "server_url": "https://id.example.gov/realms/civil",
    "client_id": "cop",
    "secret": "s3cret",
}


@pytest.fixture
def institution(settings):
    from project.settings import _sso_config

    settings.SOCIALACCOUNT_PROVIDERS, _origins = _sso_config([OIDC])


def _sign_in_through_institution(email: str):
    """What allauth does when the provider's answer comes back (the token exchange, already
    tested against a real provider in tests/browser/test_sso.py, left out)."""
    request = RequestFactory().get("/accounts/oidc/gov/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    with request_context(request):
        provider = get_adapter().get_provider(request, "gov")
        login = provider.sociallogin_from_response(
            request,
            {
                "sub": f"sub-{email}",
                "email": email,
                "email_verified": True,
                "given_name": "Aigerim",
                "family_name": "Nurlanovna",
            },
        )
        login.state = {"process": "login"}
        return complete_social_login(request, login)


def test_signing_up_through_an_institution_leads_to_the_welcome_once(communities, institution):
    response = _sign_in_through_institution("aigerim@gov.example")

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/welcome/profile/"
    user = get_user_model().objects.get(email="aigerim@gov.example")
    assert user.display_name == "Aigerim Nurlanovna"
    assert user.needs_welcome

    user_onboarding_finish(user=user)
    again = _sign_in_through_institution("aigerim@gov.example")
    assert again.headers["Location"] == "/"


def test_an_existing_account_signed_in_by_its_institution_is_not_welcomed_again(
    communities, institution, make_user
):
    existing = make_user("aigerim_local", email="aigerim@gov.example")

    response = _sign_in_through_institution("aigerim@gov.example")

    assert response.headers["Location"] == "/"
    existing.refresh_from_db()
    assert not existing.needs_welcome
