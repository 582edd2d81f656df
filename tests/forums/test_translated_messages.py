"""Refusals and input errors reach the person in their language, with what they typed kept.

The Russian catalogue is written after this code, so the ``russian`` fixture gives each message
a Russian text for the test: a message not passed through gettext would stay English here."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from forums import services
from forums.models import Post, Thread
from tests.htmltree import parse

RU = {"accept-language": "ru"}


@pytest.fixture
def scene(community, elsewhere, make_member, start_thread):
    author = make_member(community, "author")
    moderator = make_member(community, "moderator", role="moderator")
    thread = start_thread(community, author, title="Reporting standards")
    return {
        "community": community,
        "elsewhere": elsewhere,
        "author": author,
        "member": make_member(community, "member"),
        "moderator": moderator,
        "thread": thread,
        "opening": Post.objects.get(thread=thread, number=1),
    }


def _locked_reply(s, login):
    services.thread_set_locked(thread=s["thread"], actor=s["moderator"], locked=True)
    url = reverse("post_reply", args=[s["community"].slug, s["thread"].pk])
    return login(s["member"]).post(url, {"body": "Мой ответ"}, headers=RU)


def _empty_reply(s, login):
    url = reverse("post_reply", args=[s["community"].slug, s["thread"].pk])
    return login(s["member"]).post(url, {"body": " "}, headers=RU)


def _someone_elses_post(s, login):
    url = reverse("post_edit", args=[s["opening"].pk])
    return login(s["member"]).post(url, {"title": "Чужая тема", "body": "Чужой"}, headers=RU)


def _move_elsewhere(s, login):
    url = reverse("thread_move", args=[s["community"].slug, s["thread"].pk])
    return login(s["moderator"]).post(url, {"community": s["elsewhere"].slug}, headers=RU)


CASES = [
    (
        _locked_reply,
        "This thread is locked: it takes no new replies.",
        "Тема закрыта: новые ответы не принимаются.",
        HTTPStatus.FORBIDDEN,
        "Мой ответ",
    ),
    (
        _empty_reply,
        "Please write something first.",
        "Сначала напишите что-нибудь.",
        HTTPStatus.UNPROCESSABLE_ENTITY,
        None,
    ),
    (
        _someone_elses_post,
        "You can only edit your own messages.",
        "Редактировать можно только свои сообщения.",
        HTTPStatus.FORBIDDEN,
        None,
    ),
    (
        _move_elsewhere,
        "You can only move threads to a community you moderate.",
        "Переносить темы можно только в сообщества, которые вы модерируете.",
        HTTPStatus.FORBIDDEN,
        None,
    ),
]


@pytest.mark.parametrize(
    ("act", "msgid", "russian_text", "status", "kept"),
    CASES,
    ids=["locked-reply", "empty-reply", "someone-elses-post", "move-elsewhere"],
)
def test_refusals_are_in_the_request_language(
    login, russian, scene, act, msgid, russian_text, status, kept
):
    russian({msgid: russian_text})
    posts = Post.objects.count()
    before = Thread.objects.values().get(pk=scene["thread"].pk)

    response = act(scene, login)

    assert response.status_code == status
    page = parse(response)
    assert page.find("html").attrs["lang"] == "ru"
    assert russian_text in page.find("main").text
    assert msgid not in page.find("main").text
    if kept:
        assert page.find("textarea", name="body").text == kept
    assert Post.objects.count() == posts
    assert Post.objects.get(pk=scene["opening"].pk).body == "Opening post."
    after = Thread.objects.values().get(pk=scene["thread"].pk)
    # Locking (the scene of the first case) is a change the page shows: it bumps the version.
    moved = ("is_locked", "version")
    assert {k: v for k, v in after.items() if k not in moved} == {
        k: v for k, v in before.items() if k not in moved
    }
