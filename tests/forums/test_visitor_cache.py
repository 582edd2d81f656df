"""Visitors (not signed in) get thread pages and thread lists rendered once per version and
cached, with their own CSRF token; every change to what those pages show must reach them at
once, with the cache warm or gone."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from forums import services
from forums.fragments import CSRF_SLOT
from forums.models import Tag, Thread
from tests.htmltree import parse

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


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
    # The community and the thread's content version are in the cache: not even the thread.
    with django_assert_num_queries(0):
        second = client.get(thread.get_absolute_url())
    assert _bodies(second) == _bodies(first) == ["Opening post.", "First reply."]


def _rows(client, community) -> list[str]:
    page = parse(client.get(reverse("thread_list", args=[community.slug])))
    return [" ".join(row.text.split()) for row in page.find_all("li", class_="thread-row")]


def _tag_filters(client, community) -> list[str]:
    page = parse(client.get(reverse("thread_list", args=[community.slug])))
    nav = page.find("nav", aria_label="Filter threads")
    return [a.text.strip() for a in nav.find_all("a") if "tag=" in a.attrs["href"]]


def test_a_second_visit_to_a_thread_list_costs_one_query(
    client, community, thread, django_assert_num_queries
):
    first = _rows(client, community)
    with django_assert_num_queries(1):  # the community's activity version (it is cached)
        second = _rows(client, community)
    assert first == second
    assert "How do you run a one-stop shop?" in first[0]


def test_each_visitor_gets_their_own_csrf_token(community, thread):
    tokens = []
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        for url in (reverse("thread_list", args=[community.slug]), thread.get_absolute_url()):
            response = browser.get(url)
            html = response.content.decode()
            assert CSRF_SLOT not in html
            token = (
                parse(response)
                .find("form", class_="language-switcher")
                .find("input", name="csrfmiddlewaretoken")
            )
            tokens.append(token.attrs["value"])
            # The token of the cached page is this browser's: its form is accepted.
            answer = browser.post(
                reverse("set_language"),
                {"language": "ru", "next": url, "csrfmiddlewaretoken": token.attrs["value"]},
            )
            assert answer.status_code == 302
            browser.post(reverse("set_language"), {
                "language": "en", "next": url, "csrfmiddlewaretoken": token.attrs["value"]
            })  # fmt: skip
    assert len(set(tokens)) == len(tokens)


def _change_the_list(change, *, community, elsewhere, thread, author, moderator):
    if change == "reply":
        services.post_reply(thread=thread, author=author, body="Second reply.")
        return "2 replies"
    if change == "new thread":
        services.thread_create(
            community=community, author=author, title="A second question", body="Body.",
            language="en", tags=[],
        )  # fmt: skip
        return "A second question"
    if change == "title":
        services.post_edit(
            post=thread.posts.get(number=1), editor=author, body="Opening post.",
            title="A renamed question",
        )  # fmt: skip
        return "A renamed question"
    if change == "pin":
        services.thread_set_pinned(thread=thread, actor=moderator, pinned=True)
        return "pinned"
    if change == "lock":
        services.thread_set_locked(thread=thread, actor=moderator, locked=True)
        return "locked"
    if change == "rename author":
        author.display_name = "Aigul Bekova"
        author.save(update_fields=["display_name"])
        return "Aigul Bekova"
    raise AssertionError(change)


@pytest.mark.parametrize("caches", ["warm", "none"])
@pytest.mark.parametrize("change", ["reply", "new thread", "title", "pin", "lock", "rename author"])
def test_every_change_to_a_list_reaches_visitors_at_once(
    client, settings, community, elsewhere, make_member, thread, change, caches
):
    if caches == "none":
        settings.CACHES = NO_CACHE
    moderator = make_member(community, "moderator", role="moderator")
    before = " ".join(_rows(client, community))  # fills the cache
    shown = _change_the_list(
        change, community=community, elsewhere=elsewhere, thread=thread,
        author=thread.author, moderator=moderator,
    )  # fmt: skip
    assert shown not in before
    assert shown in " ".join(_rows(client, community))
    if change in ("title", "pin", "lock", "rename author"):  # the thread page shows it too
        page = parse(client.get(thread.get_absolute_url())).find("main")
        assert shown in " ".join(page.text.split())


def test_tags_moves_and_deletions_reach_visitors_lists_at_once(
    client, community, elsewhere, make_member, start_thread
):
    moderator = make_member(community, "moderator", role="moderator")
    make_member(elsewhere, "moderator2", role="moderator")
    elsewhere.memberships.create(user=moderator, role="moderator")
    author = make_member(community, "author")
    tag = services.tag_create(community=community, actor=moderator, name="Kazakh")
    kept = start_thread(community, author, title="Tagged thread", tags=[tag])
    moving = start_thread(community, author, title="Moving thread")
    gone = start_thread(community, author, title="Deleted thread")
    assert _tag_filters(client, community) == ["Kazakh"]
    assert "Kazakh" in _rows(client, community)[-1]  # the oldest row: the tagged thread

    services.tag_create(community=community, actor=moderator, name="Zakon")
    assert _tag_filters(client, community) == ["Kazakh", "Zakon"]
    services.tag_delete(tag=Tag.objects.get(pk=tag.pk), actor=moderator)
    assert _tag_filters(client, community) == ["Zakon"]
    assert "Kazakh" not in " ".join(_rows(client, community))
    assert "Kazakh" not in parse(client.get(kept.get_absolute_url())).find("main").text

    _rows(client, elsewhere)  # both lists cached
    services.thread_move(thread=moving, actor=moderator, to=elsewhere)
    assert "Moving thread" not in " ".join(_rows(client, community))
    assert "Moving thread" in " ".join(_rows(client, elsewhere))

    services.thread_delete(thread=gone, actor=moderator)
    assert "Deleted thread" not in " ".join(_rows(client, community))
    assert client.get(gone.get_absolute_url()).status_code == 404


def test_a_renamed_community_reaches_its_cached_pages(client, community, thread):
    _rows(client, community)
    client.get(thread.get_absolute_url())
    community.name_en = "One-stop shops, renamed"
    community.save()
    for url in (reverse("thread_list", args=[community.slug]), thread.get_absolute_url()):
        assert "One-stop shops, renamed" in parse(client.get(url)).find("title").text


def test_pages_with_a_message_waiting_are_not_served_from_the_cache(
    client, community, make_member, thread
):
    url = reverse("thread_list", args=[community.slug])
    client.get(url)  # cached now
    member = make_member(community, "leaving")
    client.force_login(member)
    client.post(reverse("account_logout"))
    page = parse(client.get(url))
    assert "signed out" in page.find("div", class_="messages").text
    assert parse(client.get(url)).find("div", class_="messages") is None


def test_signed_in_readers_never_get_a_visitors_page(client, login, community, make_member, thread):
    url = reverse("thread_list", args=[community.slug])
    client.get(url)
    client.get(thread.get_absolute_url())
    member = login(make_member(community, "reader"))
    for page_url in (url, thread.get_absolute_url()):
        page = parse(member.get(page_url))
        assert page.find("body").attrs["data-user"] == "reader"
        assert page.find("a", href=lambda h: h and h.startswith("/accounts/login/")) is None


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


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_a_cached_thread_page_follows_its_thread_moved_deleted_or_removed(
    client, settings, community, elsewhere, make_member, start_thread, caches
):
    """A visitor's thread page is served without a query, under the thread's own content
    version: a move, a deletion and a removed row must each reach it at once."""
    if caches == "none":
        settings.CACHES = NO_CACHE
    moderator = make_member(community, "moderator", role="moderator")
    elsewhere.memberships.create(user=moderator, role="moderator")
    author = make_member(community, "author")
    moving = start_thread(community, author, title="Moving thread")
    gone = start_thread(community, author, title="Deleted thread")
    removed = start_thread(community, author, title="Removed thread")
    for thread in (moving, gone, removed):
        assert client.get(thread.get_absolute_url()).status_code == 200  # cached
    old_url = moving.get_absolute_url()

    services.thread_move(thread=moving, actor=moderator, to=elsewhere)
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == Thread.objects.get(pk=moving.pk).get_absolute_url()
    assert elsewhere.slug in response["Location"]

    services.thread_delete(thread=gone, actor=moderator)
    assert client.get(gone.get_absolute_url()).status_code == 404

    url = removed.get_absolute_url()
    Thread.objects.filter(pk=removed.pk).delete()  # as when its community or author goes
    assert client.get(url).status_code == 404
    assert client.get(f"/c/{community.slug}/threads/987654/").status_code == 404


def test_a_thread_page_whose_version_the_cache_lost_is_rendered_afresh(client, thread):
    client.get(thread.get_absolute_url())
    cache.delete(f"version:thread:{thread.pk}")  # evicted, or Redis restarted
    services.post_reply(thread=thread, author=thread.author, body="Written meanwhile.")
    cache.delete(f"version:thread:{thread.pk}")
    assert _bodies(client.get(thread.get_absolute_url()))[-1] == "Written meanwhile."
