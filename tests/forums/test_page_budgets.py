"""Query budgets of the smaller lists around threads: the report queue, bookmarks, a post's
history. Each costs the same for two reports, bookmarks or revisions as for forty."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from forums import services
from forums.models import Post
from tests.htmltree import parse


@pytest.fixture
def setting(community, make_member, start_thread):
    author = make_member(community)
    moderator = make_member(community, role="moderator")
    thread = start_thread(community, author)
    return {"community": community, "author": author, "moderator": moderator, "thread": thread}


def _replies(setting, make_member, count: int) -> list[Post]:
    return [
        services.post_reply(
            thread=setting["thread"], author=make_member(setting["community"]), body=f"Reply {n}"
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [2, 40])
def test_report_queue(login, make_member, setting, django_assert_num_queries, count):
    for post in _replies(setting, make_member, count):
        services.report_create(post=post, reporter=make_member(setting["community"]), reason="spam")
    browser = login(setting["moderator"])
    url = reverse("report_queue", args=[setting["community"].slug])
    browser.get(url)

    # session, user, reports with posts, threads, authors and reporters, the header's pending
    # counts for the moderator (the community, the memberships and the unread notification
    # count are cached).
    with django_assert_num_queries(4):
        response = browser.get(url)

    assert response.status_code == HTTPStatus.OK
    assert len(parse(response).find("main").find_all("blockquote")) == count


@pytest.mark.parametrize("count", [2, 40])
def test_bookmarks(login, make_member, setting, django_assert_num_queries, count):
    reader = setting["author"]
    for post in _replies(setting, make_member, count):
        services.post_bookmark(post=post, user=reader)
    browser = login(reader)
    browser.get(reverse("bookmark_list"))

    # session, user, bookmarks with posts, threads, communities and authors (the unread count
    # is cached).
    with django_assert_num_queries(3):
        response = browser.get(reverse("bookmark_list"))

    assert len(parse(response).find("main").find_all("li")) == count


@pytest.mark.parametrize("count", [2, 40])
def test_post_history(client, setting, django_assert_num_queries, count):
    post = Post.objects.get(thread=setting["thread"], number=1)
    for n in range(count):
        services.post_edit(post=post, editor=setting["author"], body=f"Version {n}")
    url = reverse("post_history", args=[post.pk])

    # post with thread and community, revisions with editors.
    with django_assert_num_queries(2):
        response = client.get(url)

    assert len(parse(response).find_all("section", class_="revision")) == count + 1
