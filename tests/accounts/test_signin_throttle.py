"""Sign-in throttling slows down where wrong passwords come from, and cannot be turned against
the owner of an account: whatever an attacker does from their address, the owner signs in from
theirs."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from accounts import throttle
from tests.conftest import PASSWORD
from tests.htmltree import parse

LOGIN = "/accounts/login/"
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "_clock", lambda: now[0])
    return now


@pytest.fixture
def owner(make_user):
    return make_user("aigerim", email="aigerim@example.org", display_name="Айгерім")


def attempt(login: str, password: str, address: str, client: Client | None = None):
    return (client or Client()).post(
        LOGIN, {"login": login, "password": password}, REMOTE_ADDR=address
    )


def test_an_attacker_cannot_lock_the_owner_out(owner, clock):
    for _ in range(40):
        attempt("aigerim", "wrong guess", ATTACKER)

    signed_in = attempt("aigerim", PASSWORD, OWNER)

    assert signed_in.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in signed_in.wsgi_request.session


def test_the_attackers_address_waits_longer_after_each_failure(owner, clock):
    waits = []  # what the throttle asks for after each failure
    for _ in range(throttle.FREE_FAILURES + 3):
        response = attempt("aigerim", "wrong guess", ATTACKER)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)
        waits.append(throttle.retry_after(login=f"account:{owner.pk}", address=ATTACKER))
        clock[0] += waits[-1]  # wait exactly as long as asked, then fail again
    assert waits == [0, 0, 15, 30, 60, 120]


def test_a_refused_attempt_is_a_429_with_retry_after_and_keeps_what_was_typed(
    owner, clock, settings
):
    for _ in range(throttle.FREE_FAILURES):
        attempt("aigerim", "wrong guess", ATTACKER)
    client = Client(headers={"accept-language": "ru"})

    # Even the right password waits, from the address that kept failing.
    response = attempt("aigerim", PASSWORD, ATTACKER, client)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "15"
    page = parse(response)
    assert page.one("input", name="login").attrs["value"] == "aigerim"
    errors = page.one("main").text
    assert "Слишком много неудачных попыток входа с вашего подключения" in errors
    assert "15 секунд" in errors
    assert "_auth_user_id" not in response.wsgi_request.session
    clock[0] += 15
    assert attempt("aigerim", PASSWORD, ATTACKER).status_code == HTTPStatus.FOUND


def test_spraying_many_accounts_from_one_address_is_slowed(make_user, clock, settings):
    # allauth's own limit of attempts per minute and address would answer first.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}
    for n in range(throttle.ADDRESS_FREE_FAILURES):
        attempt(f"person{n}", "password1", ATTACKER)
    make_user("fresh")

    refused = attempt("fresh", PASSWORD, ATTACKER)
    elsewhere = attempt("fresh", PASSWORD, OWNER)

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(refused["Retry-After"]) > 0
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_the_owner_is_told_of_repeated_failures_once_an_hour(
    owner, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(throttle.NOTICE_AFTER + 5):
            attempt("aigerim@example.org", "wrong guess", f"192.0.2.{n}")

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["aigerim@example.org"]
    assert notice.subject == "[Civil Service Hub] Failed sign-in attempts on your account"
    assert notice.from_email == "Civil Service Hub <community@localhost>"
    assert "Your account is not locked" in notice.body
    assert "/accounts/password/reset/" in notice.body

    # Within the hour, however many more: no second message. After it, the next failure
    # (under its username this time: one account, however it is named) tells them again.
    with django_capture_on_commit_callbacks(execute=True):
        attempt("aigerim@example.org", "wrong guess", "192.0.2.100")
    assert len(mail.outbox) == 1
    clock[0] += throttle.NOTICE_EVERY + 1
    with django_capture_on_commit_callbacks(execute=True):
        attempt("aigerim", "wrong guess", "192.0.2.200")
    assert len(mail.outbox) == 2


def test_allauths_own_limit_per_address_is_a_translated_429_with_retry_after(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    client = Client(headers={"accept-language": "kk"})
    for _ in range(2):
        attempt("anyone", "guess", ATTACKER, client)

    response = attempt("anyone", "guess", ATTACKER, client)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "60"
    assert parse(response).one("h1").text == "Тым көп сұрау"


def test_no_notice_for_a_name_that_is_nobodys(clock, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(throttle.NOTICE_AFTER + 1):
            attempt("nobody@example.org", "guess", f"192.0.2.{n}")
    assert mail.outbox == []
