"""Reading a thread: posts in order with who wrote them, permalinks, pages by post number,
"jump to first unread", the live page's new-posts partial, and the page's query budget."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Bookmark, Post, Reaction, ThreadReadState
from forums.selectors import POSTS_PER_PAGE
from tests.htmltree import parse


def _posts(response) -> list[dict]:
    return [
        {
            "number": int(article.attrs["data-number"]),
            "author": article.find(class_="post-author").text,
            "body": " ".join(n.text for n in article.find_all(class_="user-content")),
            "placeholder": " ".join(n.text for n in article.find_all(class_="post-placeholder")),
            "head": article.find(class_="post-head"),
        }
        for article in parse(response).find_all("article", class_="post")
    ]


def _numbers(response) -> list[int]:
    return [post["number"] for post in _posts(response)]


def _many_posts(thread, authors, count: int) -> list[Post]:
    """``count`` more posts by the authors in turn, through the service."""
    return [
        services.post_reply(thread=thread, author=authors[n % len(authors)], body=f"Reply {n}")
        for n in range(count)
    ]


def test_posts_show_in_order_with_author_details_time_and_body(
    client, community, make_member, start_thread
):
    aigerim = make_member(
        community, "aigerim", display_name="Айгерім Сапарова", country="KZ",
        organisation="ЦОН Астана",
    )  # fmt: skip
    ivan = make_member(community, "ivan", display_name="Иван Петров", country="KG")
    thread = start_thread(
        community, aigerim, title="Халыққа қызмет көрсету орталығы",
        body="Орталықта **кезек** жоқ.", language="kk",
    )  # fmt: skip
    services.post_reply(thread=thread, author=ivan, body="У нас тоже _нет_ очередей.")

    response = client.get(thread.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    page = parse(response)
    assert page.find("h1").text == "Халыққа қызмет көрсету орталығы"
    first, second = _posts(response)
    assert first["number"] == 1
    assert "Айгерім Сапарова" in first["author"]
    assert "Kazakhstan" in first["author"]
    assert "ЦОН Астана" in first["author"]
    assert second["number"] == 2
    assert "Иван Петров" in second["author"]
    assert "Kyrgyzstan" in second["author"]
    # Markdown was rendered when saved; the page shows the stored HTML.
    article = page.find("article", id="p1")
    assert article.find("strong").text == "кезек"
    assert page.find("article", id="p2").find("em").text == "нет"
    post = Post.objects.get(thread=thread, number=2)
    assert (
        first["head"]
        .find("time")
        .attrs["datetime"]
        .startswith(timezone.localtime(post.thread.created).strftime("%Y-%m-%d"))
    )
    # Each post has a permalink that leads back to it.
    permalink = second["head"].find("a").attrs["href"]
    assert permalink == reverse("post_permalink", args=[post.pk])
    assert client.get(permalink)["Location"] == f"{thread.get_absolute_url()}?page=1#p2"


def test_pages_show_the_html_stored_when_the_post_was_saved(
    client, community, make_member, start_thread
):
    author = make_member(community)
    thread = start_thread(community, author, body="*rendered at save*")
    # Stands in for a renderer that has changed since: the page must not render again.
    Post.objects.filter(thread=thread).update(html="<p>stored html</p>")

    article = parse(client.get(thread.get_absolute_url())).find("article", id="p1")

    assert article.find(class_="user-content").text == "stored html"


def test_pages_are_ranges_of_post_numbers(client, community, make_member, start_thread):
    author = make_member(community)
    thread = start_thread(community, author)
    posts = _many_posts(thread, [author], 2 * POSTS_PER_PAGE + 4)  # 44 replies, 45 posts
    # Deleting a post keeps its number: later posts do not move to another page.
    services.post_delete(post=posts[0], actor=author)

    first = client.get(thread.get_absolute_url())
    third = client.get(thread.get_absolute_url() + "?page=3")

    assert _numbers(first) == list(range(1, POSTS_PER_PAGE + 1))
    assert _posts(first)[1]["placeholder"] == "This post was deleted."
    assert _numbers(third) == list(range(2 * POSTS_PER_PAGE + 1, 2 * POSTS_PER_PAGE + 6))
    nav = parse(third).find("nav", aria_label="Pages of this thread")
    assert nav.find(attrs_current := "span", aria_current="page").text == "3"
    assert attrs_current == "span"
    # A post's permalink lands on the page its number falls in.
    last = Post.objects.get(thread=thread, number=45)
    assert client.get(last.get_absolute_url())["Location"].endswith("?page=3#p45")


@pytest.mark.parametrize(("asked", "shown_first"), [("99", 41), ("0", 1), ("x", 1), ("-2", 1)])
def test_page_numbers_out_of_range_are_clamped(
    client, community, make_member, start_thread, asked, shown_first
):
    author = make_member(community)
    thread = start_thread(community, author)
    _many_posts(thread, [author], 2 * POSTS_PER_PAGE + 4)

    response = client.get(f"{thread.get_absolute_url()}?page={asked}")

    assert response.status_code == HTTPStatus.OK
    assert _numbers(response)[0] == shown_first


def test_the_last_page_costs_what_the_first_costs(
    login, community, make_member, start_thread, django_assert_num_queries
):
    author = make_member(community)
    thread = start_thread(community, author)
    _many_posts(thread, [author], 5 * POSTS_PER_PAGE)
    browser = login(author)
    for page in (1, 6):
        browser.get(f"{thread.get_absolute_url()}?page={page}")

    counts = []
    for page in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            browser.get(f"{thread.get_absolute_url()}?page={page}")
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_jump_to_first_unread(login, community, make_member, start_thread):
    author = make_member(community)
    reader = make_member(community)
    thread = start_thread(community, author)
    _many_posts(thread, [author], 2 * POSTS_PER_PAGE)  # posts 1..41
    browser = login(reader)
    jump = reverse("thread_unread", args=[community.slug, thread.pk])

    # Never opened: everything is unread, from the first post.
    assert browser.get(jump)["Location"] == f"{thread.get_absolute_url()}?page=1#p1"
    page_one = browser.get(thread.get_absolute_url())
    assert parse(page_one).find("a", href=jump).text == "Jump to first unread"
    # Having read page 1, the next unread post is the first of page 2.
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_number == 20
    assert browser.get(jump)["Location"] == f"{thread.get_absolute_url()}?page=2#p21"
    # Reading never moves backwards.
    browser.get(thread.get_absolute_url() + "?page=3")
    browser.get(thread.get_absolute_url())
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_number == 41
    # All read: the link is gone and the jump goes to the last post.
    assert not parse(browser.get(thread.get_absolute_url())).find_all("a", href=jump)
    assert browser.get(jump)["Location"] == f"{thread.get_absolute_url()}?page=3#p41"


def test_new_posts_partial_returns_posts_after_a_number(
    client, login, community, make_member, start_thread
):
    author = make_member(community)
    reader = make_member(community)
    thread = start_thread(community, author)
    _many_posts(thread, [author], 4)  # posts 1..5
    url = reverse("posts_new", args=[community.slug, thread.pk])

    response = login(reader).get(url + "?after=3", headers={"HX-Request": "true"})

    assert response.status_code == HTTPStatus.OK
    assert b"<html" not in response.content
    assert _numbers(response) == [4, 5]
    assert "Reply 3" in _posts(response)[1]["body"]
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_number == 5
    # Visitors can read too; a bad number means "from the start".
    assert _numbers(client.get(url + "?after=x")) == [1, 2, 3, 4, 5]
    assert _numbers(client.get(url + "?after=5")) == []


def test_hidden_posts_show_a_placeholder_except_to_moderators(
    login, client, community, make_member, start_thread
):
    author = make_member(community)
    moderator = make_member(community, role="moderator")
    thread = start_thread(community, author)
    post = services.post_reply(thread=thread, author=author, body="Call me on +7 700 000 00 00")
    services.post_set_hidden(post=post, actor=moderator, hidden=True, reason="phone number")

    for viewer in (client, login(author)):
        shown = _posts(viewer.get(thread.get_absolute_url()))[1]
        assert shown["placeholder"] == "This post was hidden by a moderator."
        assert "+7 700" not in shown["body"]
    shown = _posts(login(moderator).get(thread.get_absolute_url()))[1]
    assert "+7 700" in shown["body"]
    assert (
        "phone number"
        in parse(login(moderator).get(thread.get_absolute_url())).find("article", id="p2").text
    )


def test_missing_or_deleted_threads_are_not_found(
    client, community, elsewhere, make_member, start_thread
):
    author = make_member(community)
    moderator = make_member(community, role="moderator")
    thread = start_thread(community, author)
    gone = start_thread(community, author, title="Soon deleted thread")
    services.thread_delete(thread=gone, actor=moderator)

    assert client.get(gone.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{gone.get_absolute_url()}?page=2").status_code == HTTPStatus.NOT_FOUND
    missing = reverse("thread_detail", args=[community.slug, 999999])
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND
    unknown_community = reverse("thread_detail", args=["no-such-community", thread.pk])
    assert client.get(unknown_community).status_code == HTTPStatus.NOT_FOUND
    # A live thread under another community's address: the canonical address is one redirect away.
    wrong_community = reverse("thread_detail", args=[elsewhere.slug, thread.pk])
    assert client.get(wrong_community)["Location"] == thread.get_absolute_url()
    first_post = Post.objects.get(thread=gone, number=1)
    assert client.get(first_post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


# --- Query budget ---------------------------------------------------------------------------------


def _busy_thread(community, make_member, start_thread, *, posts: int, authors: int):
    """A thread of ``posts`` posts by ``authors`` people; every post has reactions from several
    people, every third one quotes the previous post, the reader bookmarked every other one."""
    people = [
        make_member(community, country="KZ", organisation=f"Agency {n}") for n in range(authors)
    ]
    reader = people[0]
    thread = start_thread(community, people[0], body="First")
    previous = Post.objects.get(thread=thread, number=1)
    for n in range(1, posts):
        quoted = previous if n % 3 == 0 else None
        body = (services.post_quote_body(post=quoted) if quoted else "") + f"Post {n} @{people[0]}"
        previous = services.post_reply(
            thread=thread, author=people[n % authors], body=body, quoted=quoted
        )
    for post in Post.objects.filter(thread=thread):
        for kind, person in zip(("like", "thanks", "agree"), people[1:4], strict=False):
            Reaction.objects.create(post=post, user=person, kind=kind)
        if post.number % 2:
            Bookmark.objects.create(post=post, user=reader)
    return thread, reader


@pytest.mark.parametrize(("posts", "authors"), [(3, 2), (50, 30)])
def test_thread_page_costs_the_same_for_few_and_many_posts_and_authors(
    login, community, make_member, start_thread, django_assert_num_queries, posts, authors
):
    thread, reader = _busy_thread(
        community, make_member, start_thread, posts=posts, authors=authors
    )
    browser = login(reader)
    browser.get(thread.get_absolute_url())  # read state exists, session warm

    # session, user, thread (+ whether followed, the read marker: already up to date, so no
    # write), the reader's reactions and bookmarks. The community and the memberships are
    # cached; the page around the posts, the posts and their tags are cached by the first visit
    # under the thread's version, the unread notification count too.
    with django_assert_num_queries(4):
        response = browser.get(thread.get_absolute_url())

    assert len(_posts(response)) == min(posts, POSTS_PER_PAGE)
    assert "Agency" in _posts(response)[-1]["author"]


@pytest.mark.parametrize(("posts", "authors"), [(3, 2), (50, 30)])
def test_thread_page_for_visitors_costs_the_same_for_few_and_many_posts(
    client, community, make_member, start_thread, django_assert_num_queries, posts, authors
):
    thread, _reader = _busy_thread(
        community, make_member, start_thread, posts=posts, authors=authors
    )

    # community, thread (+ accepted answer), its tags, posts with authors and quoted posts,
    # their reactions with people.
    with django_assert_num_queries(5):
        response = client.get(thread.get_absolute_url())

    assert len(_posts(response)) == min(posts, POSTS_PER_PAGE)


@pytest.mark.parametrize(("posts", "authors"), [(3, 2), (50, 30)])
def test_new_posts_partial_costs_the_same_for_few_and_many_posts(
    login, community, make_member, start_thread, django_assert_num_queries, posts, authors
):
    thread, reader = _busy_thread(
        community, make_member, start_thread, posts=posts, authors=authors
    )
    browser = login(reader)
    url = reverse("posts_new", args=[community.slug, thread.pk]) + "?after=0"
    browser.get(url)

    # session, user, thread, the new posts (with authors and quoted posts), the reader's
    # reactions and bookmarks (the community and the memberships are cached).
    with django_assert_num_queries(5):
        response = browser.get(url)

    assert len(_posts(response)) == posts
