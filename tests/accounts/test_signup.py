"""Signing up with e-mail and password, verifying the address, signing in and out, resetting
the password (django-allauth through our adapter and layout)."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD
from tests.htmltree import parse

NEW_PASSWORD = "a-long-enough-password-2026"
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s]+/)")
RESET_LINK = re.compile(r"https?://[^\s/]+(/accounts/password/reset/key/[^\s]+/)")


def signup(client: Client, **fields):
    data = {
        "email": "aigerim@example.org",
        "username": "aigerim",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


def test_signup_page_is_our_layout_with_labelled_fields(client, db):
    page = parse(client.get("/accounts/signup/").content)
    form = page.one("main").one("form", method="post")
    assert form.attrs["action"] == "/accounts/signup/"
    for name in ("email", "username", "password1", "password2"):
        field = form.one("input", name=name)
        assert form.one("label", **{"for": field.attrs["id"]})
    assert page.one("h1")
    assert page.one("header", class_="site-header")


def test_signup_creates_an_account_and_sends_a_verification_link(client, db):
    response = signup(client)

    assert response.status_code == HTTPStatus.FOUND
    user = get_user_model().objects.get(username="aigerim")
    assert user.email == "aigerim@example.org"
    assert user.display_name == "aigerim"  # the adapter fills it in until the profile is edited
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "aigerim@example.org",
        False,
        True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aigerim@example.org"]
    assert CONFIRM_LINK.search(message.body)
    # Optional verification (DEBUG on): signed in at once.
    assert client.get("/").wsgi_request.user == user


def test_the_verification_link_confirms_the_address(client, db):
    signup(client)
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)

    page = client.get(path)
    assert page.status_code == HTTPStatus.OK
    assert not EmailAddress.objects.get().verified  # a GET never confirms (link scanners)
    response = client.post(path)

    assert response.status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.get().verified


def test_by_default_the_verification_link_is_printed_to_the_console(db, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    signup(Client())
    printed = capsys.readouterr().out
    assert "To: aigerim@example.org" in printed
    assert CONFIRM_LINK.search(printed)


@pytest.fixture
def mandatory(settings):
    # What production (DEBUG off) uses; allauth reads the setting at call time.
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_mandatory_verification_keeps_the_new_account_out_until_confirmed(db, mandatory):
    client = Client()
    response = signup(client)

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    # Signing in before confirming sends another link instead of a session.
    attempt = client.post("/accounts/login/", {"login": "aigerim", "password": NEW_PASSWORD})
    assert attempt.headers["Location"] == "/accounts/confirm-email/"
    assert not client.get("/").wsgi_request.user.is_authenticated

    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    client.post(path)

    assert EmailAddress.objects.get().verified
    assert client.get("/").wsgi_request.user.username == "aigerim"  # signed in on confirmation
    client.post("/accounts/logout/")
    again = Client().post("/accounts/login/", {"login": "aigerim", "password": NEW_PASSWORD})
    assert again.status_code == HTTPStatus.FOUND
    # The welcome after sign-up still waits: never finished nor skipped
    # (tests/project/test_welcome.py).
    assert again.headers["Location"] == "/welcome/profile/"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "ai@gerim"}, "username", "A username cannot contain “@”."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"password2": "something-else-2026"}, "password2", "You must type the same password"),
        ({"password1": "123", "password2": "123"}, "password1", "This password is too short."),
    ],
)
def test_signup_errors_keep_what_was_typed(client, db, fields, field, message):
    response = signup(client, organisation="ignored", **fields)

    assert response.status_code == HTTPStatus.OK
    assert not get_user_model().objects.exists()
    page = parse(response.content)
    form = page.one("main").one("form", method="post")
    assert message in form.text
    typed = {"email": "aigerim@example.org", "username": "aigerim", **fields}
    for name in ("email", "username"):
        assert form.one("input", name=name).attrs.get("value") == typed[name]


def test_an_address_can_only_be_used_once(client, db, make_user):
    make_user("taken", email="aigerim@example.org")
    response = signup(client, email="AIGERIM@example.org")
    assert response.status_code == HTTPStatus.OK
    assert "A user is already registered with this email address." in response.content.decode()
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_signup_errors_are_translated(db, lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = signup(client, email="not-an-address")
    with translation.override(lang):
        expected = translation.gettext("Enter a valid email address.")
    page = parse(response.content)
    assert page.one("html").attrs["lang"] == lang
    assert expected != "Enter a valid email address."
    assert expected in page.one("main").text


# --- Signing in and out -------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["aigerim", "aigerim@example.org", "AIGERIM@EXAMPLE.ORG"])
def test_sign_in_with_username_or_email(db, make_user, login):
    user = make_user("aigerim")
    client = Client()
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/"
    assert client.get("/").wsgi_request.user == user


def test_sign_in_with_a_wrong_password_says_so_and_keeps_the_login(db, make_user):
    make_user("aigerim")
    response = Client().post("/accounts/login/", {"login": "aigerim", "password": "wrong"})
    assert response.status_code == HTTPStatus.OK
    form = parse(response.content).one("main").one("form", method="post")
    assert "The username and/or password you specified are not correct." in form.text
    assert form.one("input", name="login").attrs["value"] == "aigerim"


def test_sign_in_follows_next(db, make_user, communities):
    make_user("aigerim")
    response = Client().post(
        "/accounts/login/?next=/c/ai/", {"login": "aigerim", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/c/ai/"


def test_sign_out_needs_a_post_and_ends_the_session(db, make_user, login):
    user = make_user("aigerim")
    client = login(user)
    page = client.get("/accounts/logout/")
    assert page.status_code == HTTPStatus.OK  # a confirmation page, still signed in
    assert client.get("/").wsgi_request.user == user
    # The header's sign-out button is a POST form.
    header = parse(client.get("/").content).one("header")
    assert header.one("form", action="/accounts/logout/").attrs["method"] == "post"

    response = client.post("/accounts/logout/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/"
    assert not client.get("/").wsgi_request.user.is_authenticated


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_by_email(db, make_user):
    user = make_user("aigerim")
    client = Client()

    response = client.post("/accounts/password/reset/", {"email": "aigerim@example.org"})

    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@example.org"]
    path = RESET_LINK.search(mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    # The link works once.
    assert "Bad Token" in client.get(path, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_revealing(db):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == HTTPStatus.FOUND  # same answer as for a known address
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)
