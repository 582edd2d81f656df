"""Visitors (not signed in) get a page of posts rendered once per thread version and cached;
every change to what the posts show must reach them at once."""

from __future__ import annotations

import pytest

from forums import services
from tests.htmltree import parse


def _bodies(response) -> list[str]:
    return [
        " ".join(node.text for node in article.find_all(class_="user-content"))
        for article in parse(response).find_all("article", class_="post")
    ]


@pytest.fixture
def thread(community, make_member, start_thread):
    author = make_member(community, "author")
    thread = start_thread(community, author, body="Opening post.")
    services.post_reply(thread=thread, author=author, body="First reply.")
    return thread


def test_a_second_visit_reuses_the_rendered_posts(client, thread, django_assert_num_queries):
    first = client.get(thread.get_absolute_url())
    # community, thread (+ accepted answer), its tags: no posts, reactions or authors.
    with django_assert_num_queries(3):
        second = client.get(thread.get_absolute_url())
    assert _bodies(second) == _bodies(first) == ["Opening post.", "First reply."]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("reply", ["Opening post.", "First reply.", "Second reply."]),
        ("edit", ["Opening post.", "First reply, edited."]),
        ("delete", ["Opening post.", ""]),  # a placeholder instead of the body
        ("hide", ["Opening post.", ""]),
    ],
)
def test_every_change_to_the_posts_reaches_visitors_at_once(
    client, community, make_member, thread, change, expected
):
    client.get(thread.get_absolute_url())  # fills the cache
    reply = thread.posts.get(number=2)
    author = reply.author
    moderator = make_member(community, "moderator", role="moderator")
    if change == "reply":
        services.post_reply(thread=thread, author=author, body="Second reply.")
    elif change == "edit":
        services.post_edit(post=reply, editor=author, body="First reply, edited.")
    elif change == "delete":
        services.post_delete(post=reply, actor=author)
    else:
        services.post_set_hidden(post=reply, actor=moderator, hidden=True)
    assert _bodies(client.get(thread.get_absolute_url())) == expected


def test_reactions_and_accepted_answers_reach_visitors_at_once(
    client, community, make_member, thread
):
    client.get(thread.get_absolute_url())
    reply = thread.posts.get(number=2)
    reader = make_member(community, "reader")
    services.post_react(post=reply, user=reader, kind="thanks")
    services.post_accept(post=reply, actor=thread.author)
    page = parse(client.get(thread.get_absolute_url()))
    article = page.find("article", id="p2")
    assert "accepted" in article.attrs["class"]
    assert "1" in article.find(class_="reactions").text


def test_each_language_has_its_own_cached_page(client, thread):
    client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    page = parse(client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru"))
    link = page.find("article", id="p1").find(class_="post-head").find("a")
    assert link.attrs["aria-label"] == "Ссылка на сообщение № 1"


def test_each_time_zone_has_its_own_cached_page(client, thread):
    from datetime import UTC, datetime

    from forums.models import Post

    Post.objects.filter(thread=thread).update(created=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    client.cookies["tz"] = "Asia/Almaty"
    almaty = parse(client.get(thread.get_absolute_url())).find("article", id="p1").find("time")
    client.cookies["tz"] = "Europe/Berlin"
    berlin = parse(client.get(thread.get_absolute_url())).find("article", id="p1").find("time")
    assert almaty.attrs["datetime"] == "2026-12-01T17:00:00+05:00"
    assert berlin.attrs["datetime"] == "2026-12-01T13:00:00+01:00"


@pytest.mark.parametrize("change", ["hide country", "rename"])
def test_what_an_author_changes_of_themselves_reaches_visitors_at_once(
    client, community, make_member, start_thread, change
):
    from accounts import services as account_services

    author = make_member(community, "kz", display_name="Aigul", country="KZ")
    thread = start_thread(community, author, body="Opening post.")
    first = parse(client.get(thread.get_absolute_url())).find("article", id="p1")
    assert "Kazakhstan" in first.find(class_="post-author").text  # now cached

    if change == "hide country":
        account_services.profile_update(user=author, data={"country_audience": "nobody"})
    else:
        account_services.profile_update(user=author, data={"display_name": "Aigul B."})

    author_block = parse(client.get(thread.get_absolute_url())).find("article", id="p1")
    text = author_block.find(class_="post-author").text
    if change == "hide country":
        assert "Kazakhstan" not in text
    else:
        assert "Aigul B." in text
