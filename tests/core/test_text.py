"""What people type: control characters refused, direction overrides out of titles and names,
titles that show nothing refused, in forms, services and websocket frames alike."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.text import direction_controls_strip, is_visible, line_clean, refuse_controls
from forums import services
from tests.htmltree import parse

RLO, ZWSP, ZWJ = "\u202e", "\u200b", "\u200d"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{RLO}gpj.exe", "gpj.exe"),
        ("Queues \u2066at\u2069 centres", "Queues at centres"),
        ("  Мемлекеттік   қызмет  ", "Мемлекеттік қызмет"),
        ("Жасанды интеллект", "Жасанды интеллект"),
    ],
)
def test_one_line_texts_lose_direction_overrides(typed, kept):
    assert line_clean(typed) == kept


@pytest.mark.parametrize(
    "typed", [ZWSP * 6, f"{ZWSP} {ZWJ}\u2060", RLO * 5 + ZWSP, ZWSP + "\u00ad\ufeff"]
)
def test_a_title_that_shows_nothing_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        line_clean(typed, field="title")
    assert refused.value.error_dict["title"][0].code == "invisible"


@pytest.mark.parametrize("typed", ["a\x00b", "bell\x07", "esc\x1b[31m", "c1\x85", "\ud800"])
def test_control_characters_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        refuse_controls(typed, field="body")
    assert refused.value.error_dict["body"][0].code == "control_char"


def test_tabs_and_line_breaks_are_text():
    assert refuse_controls("one\ttwo\r\nthree") == "one\ttwo\r\nthree"


@given(st.text())
def test_cleaning_never_fails_but_by_refusing(text):
    try:
        cleaned = line_clean(text)
    except ValidationError:
        return
    assert cleaned == " ".join(cleaned.split())
    assert direction_controls_strip(cleaned) == cleaned
    assert not cleaned or is_visible(cleaned)


def test_the_thread_form_refuses_an_invisible_title_and_keeps_the_body(
    communities, make_member, login
):
    community = communities["one-stop-shop"]
    author = make_member(community, "author")
    response = login(author).post(
        f"/c/{community.slug}/threads/new/",
        {"title": ZWSP * 8, "body": "Kept body", "language": "en"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = parse(response)
    assert "Write something readers can see." in page.one("main").text
    assert page.one("textarea", name="body").text == "Kept body"


def test_a_thread_title_with_an_override_is_stored_without_it(communities, make_member):
    community = communities["one-stop-shop"]
    author = make_member(community, "author")
    thread = services.thread_create(
        community=community, author=author, title=f"{RLO}Queues at centres", body="Hi.",
        language="en",
    )  # fmt: skip
    assert thread.title == "Queues at centres"


def test_refusals_are_logged_at_info_without_a_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/c/one-stop-shop/audit/").status_code == HTTPStatus.FOUND
        client.get("/c/no-such-community/")
        client.post("/c/one-stop-shop/chat/general/moderation/", {"unmute": "x"})
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    assert all(r.levelno == logging.INFO for r in records)
    assert all(r.exc_info is None for r in records)


def test_a_forbidden_page_is_logged_at_info_without_a_traceback(
    communities, make_member, login, caplog
):
    member = make_member(communities["one-stop-shop"], "member")
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = login(member).get("/c/one-stop-shop/audit/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.INFO
    assert record.exc_info is None
