"""allauth's own e-mails (password reset, address confirmation) and the failed sign-in notice
go out like the platform's: with the site's name and public address, never the request's
host, and in the language the recipient last chose; through a real SMTP server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mail.conftest import text_of


def subject_of(message) -> str:
    # a long non-ASCII subject is folded onto the next line; the parsed value keeps that space
    return str(message["Subject"]).strip()


pytestmark = pytest.mark.django_db(transaction=True)


def _reset(client, email, language="en"):
    client.cookies["django_language"] = language
    return client.post(reverse("account_reset_password"), {"email": email})


def test_password_reset_is_branded_and_in_the_recipient_language(smtp, client, make_user, settings):
    settings.SITE_NAME = ""
    make_user("aigerim", email="aigerim@gov.kz", language="kk")
    response = _reset(client, "aigerim@gov.kz", language="en")  # asked from an English page
    assert response.status_code == 302
    [message] = smtp.to("aigerim@gov.kz")
    assert subject_of(message) == "[Мемлекеттік қызмет хабы] Құпиясөзді қалпына келтіру хаты"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Мемлекеттік қызмет хабы",
        "community@hub.example.org",
    )
    body = text_of(message)
    assert "Сізге Мемлекеттік қызмет хабы жүйесінен хат келді." in body
    assert "https://hub.example.org/accounts/password/reset/key/" in body
    assert "hub.example.org" in body.splitlines()[-1]
    assert "testserver" not in body
    assert "example.com" not in body


def test_site_name_setting_and_russian(smtp, client, make_user, settings):
    settings.SITE_NAME = "AIHub CoP"
    make_user("ivan", email="ivan@gov.ru", language="ru")
    _reset(client, "ivan@gov.ru", language="kk")
    [message] = smtp.to("ivan@gov.ru")
    assert subject_of(message).startswith("[AIHub CoP] ")
    assert subject_of(message).endswith("Письмо для сброса пароля")
    assert "AIHub CoP" in text_of(message)


def test_unknown_address_is_answered_in_the_page_language(smtp, client, settings):
    settings.SITE_NAME = ""
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    _reset(client, "nobody@gov.kz", language="kk")
    [message] = smtp.to("nobody@gov.kz")
    assert subject_of(message) == "[Мемлекеттік қызмет хабы] Белгісіз есептік жазба"
    assert "https://hub.example.org/accounts/signup/" in text_of(message)


def test_signup_confirmation_speaks_the_sign_up_page_language(smtp, client, settings):
    settings.SITE_NAME = ""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.cookies["django_language"] = "ru"
    client.post(
        reverse("account_signup"),
        {
            "email": "dana@gov.kz",
            "username": "dana",
            "password1": "a long enough pass phrase 7",
            "password2": "a long enough pass phrase 7",
        },
    )
    [message] = smtp.to("dana@gov.kz")
    assert subject_of(message).startswith("[Хаб государственной службы] ")
    assert "hub.example.org" in text_of(message)
