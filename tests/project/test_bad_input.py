"""Bad input anywhere is a clear answer, never a 500: numbers that are not ASCII digits, ids too
long for the database, cursors that decode to deeply nested JSON, ids that are not numbers.
Each row: who asks, what, and the answer (a default page, a 400, a 404, a 422)."""

from __future__ import annotations

import base64
import json
from http import HTTPStatus

import pytest
from django.core.signing import Signer
from django.urls import reverse

from accounts.models import ExpertiseArea
from forums import services as forum_services
from forums.models import ChatRoom
from resources import services as library_services

HUGE = "9" * 30
OK, BAD, NOT_FOUND, UNPROCESSABLE = (
    HTTPStatus.OK,
    HTTPStatus.BAD_REQUEST,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.UNPROCESSABLE_ENTITY,
)


@pytest.fixture
def site(communities, make_member, make_user):
    community = communities["one-stop-shop"]
    moderator = make_member(community, "moderator", role="moderator")
    member = make_member(community, "member")
    thread = forum_services.thread_create(
        community=community, author=member, title="Queues at centres", body="Hi.", language="en"
    )
    tag = forum_services.tag_create(community=community, actor=moderator, name="Queues")
    staff = make_user("curator", staff=True)
    resource = library_services.resource_submit(
        actor=staff,
        data={"title": "A case", "summary": "S.", "kind": "case", "language": "en"},
        communities=[community],
        publish=True,
    )
    return {
        "community": community,
        "moderator": moderator,
        "member": member,
        "thread": thread,
        "tag": tag,
        "resource": resource,
        "room": ChatRoom.objects.get(community=community, slug="general"),
    }


def deep_cursor() -> str:
    """What an attacker could send as a thread-list cursor before cursors were signed."""
    nested = "[" * 50_000 + "]" * 50_000
    return base64.urlsafe_b64encode(nested.encode()).decode()


GETS = [
    # (who, address, expected status)
    ("anonymous", "/library/?page=²", OK),
    ("anonymous", f"/library/?page={HUGE}", OK),
    ("anonymous", "/library/?q=case&page=²", OK),
    ("anonymous", "/search/?q=case&page=²", OK),
    ("anonymous", "/search/?q=case&year_from=²&type=users", OK),
    ("anonymous", "{thread}?page=²", OK),
    ("member", "{thread}?quote=²", OK),
    ("member", f"{{thread}}?quote={HUGE}", OK),
    ("anonymous", "{threads}?after={deep}", OK),
    ("anonymous", "{threads}?after=" + "x" * 5000, OK),
    ("anonymous", "{threads}?after=" + Signer(salt="other").sign_object([1]), OK),
    ("anonymous", "{thread}new-posts/?after=²", OK),
    ("member", "{room}?at=²", OK),
    ("member", "{room}history/?before=²", OK),
    ("member", "{room}history/?after=²", OK),
    ("member", f"{{room}}history/?before={HUGE}", OK),
    ("member", "/notifications/?before=²", OK),
    ("moderator", "/c/one-stop-shop/audit/?before=²", OK),
    ("anonymous", f"/library/{HUGE}/", NOT_FOUND),
    ("anonymous", f"/posts/{HUGE}/", NOT_FOUND),
    ("anonymous", f"/c/one-stop-shop/threads/{HUGE}/", NOT_FOUND),
    ("member", f"/notifications/{HUGE}/", NOT_FOUND),
    ("anonymous", f"/api/v1/resources/{HUGE}", UNPROCESSABLE),
    ("anonymous", "/members/?page=²&expertise=²", OK),
]


@pytest.mark.parametrize(("who", "address", "status"), GETS)
def test_bad_numbers_in_addresses(site, login, client, who, address, status):
    browser = client if who == "anonymous" else login(site[who])
    url = address.format(
        thread=site["thread"].get_absolute_url(),
        threads=reverse("thread_list", args=["one-stop-shop"]),
        room=site["room"].get_absolute_url(),
        deep=deep_cursor(),
    )
    response = browser.get(url)
    assert response.status_code == status, url


def test_a_posted_id_that_is_not_a_number_is_a_400(site, login):
    moderator = login(site["moderator"])
    room_moderation = reverse("room_moderation", args=["one-stop-shop", "general"])
    assert moderator.post(room_moderation, {"unmute": "²"}).status_code == BAD
    assert moderator.post(room_moderation, {"unmute": HUGE}).status_code == BAD
    tags = reverse("tag_manage", args=["one-stop-shop"])
    assert moderator.post(tags, {"delete": "abc"}).status_code == BAD
    assert moderator.post(tags, {"delete": HUGE}).status_code == BAD
    assert site["tag"].__class__.objects.filter(pk=site["tag"].pk).exists()


def test_an_id_too_long_for_the_database_in_a_form_is_a_form_error(site, login):
    member = login(site["member"])
    create = reverse("thread_create", args=["one-stop-shop"])
    typed = {"title": "Kept title", "body": "Kept body", "language": "en", "tags": [HUGE]}
    response = member.post(create, typed)
    assert response.status_code == UNPROCESSABLE
    html = response.content.decode()
    assert "Kept title" in html
    assert "Kept body" in html
    ExpertiseArea.objects.get_or_create(slug="one-stop-shops", defaults={"name_en": "OSS"})
    profile = member.post(reverse("profile_edit"), {"display_name": "Me", "expertise": [HUGE]})
    assert profile.status_code == OK  # the form again, with the error
    assert "Select a valid choice" in profile.content.decode()
    submit = member.post(
        reverse("resource_submit"),
        {
            "title": "Kept resource",
            "summary": "S.",
            "kind": "case",
            "language": "en",
            "communities": ["one-stop-shop"],
            "related": HUGE,
        },
    )
    assert submit.status_code == UNPROCESSABLE
    assert "Kept resource" in submit.content.decode()


def test_the_thread_list_cursor_is_signed(site, client):
    # A cursor a client made up is ignored (the first page), even a well-formed one.
    made_up = base64.urlsafe_b64encode(json.dumps(["2030-01-01T00:00:00", 1]).encode()).decode()
    url = reverse("thread_list", args=["one-stop-shop"])
    assert "Queues at centres" in client.get(url, {"after": made_up}).content.decode()
