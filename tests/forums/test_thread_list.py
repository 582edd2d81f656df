"""A community's thread list: order, what each row says, filters, keyset pages, query budget."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Reaction, Tag, Thread
from forums.selectors import THREADS_PER_PAGE
from tests.htmltree import parse


def _rows(response) -> list[dict]:
    rows = []
    for li in parse(response).find_all("li", class_="thread-row"):
        links = li.find_all("h2")[0].find_all("a") if li.find_all("h2") else []
        if not links:
            continue  # the "More threads" row
        rows.append(
            {
                "title": links[0].text,
                "pills": [p.text for p in li.find_all(class_="pill")],
                "unread": [a.attrs["href"] for a in li.find_all("a", class_="unread")],
                "meta": li.find("p", class_="meta").text,
                "stats": li.find("div", class_="stats").text,
                "time": li.find("time").attrs["datetime"],
                "latest": [a.attrs["href"] for a in li.find("div", class_="stats").find_all("a")],
            }
        )
    return rows


def _titles(response) -> list[str]:
    return [row["title"] for row in _rows(response)]


def _list_url(community, **query) -> str:
    url = reverse("thread_list", args=[community.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.fixture
def forum(community, make_member, start_thread):
    """Four threads: one pinned, one solved, one answered, one without replies; tagged."""
    alice = make_member(community, "alice", display_name="Alice Abenova")
    bob = make_member(community, "bob", display_name="Bob Bekov")
    moderator = make_member(community, "mod", role="moderator")
    queues = services.tag_create(community=community, actor=moderator, name="Queues")
    digital = services.tag_create(community=community, actor=moderator, name="Digital services")

    quiet = start_thread(community, alice, title="Nobody answered this yet", tags=[queues])
    answered = start_thread(community, bob, title="Opening hours of the centres")
    services.post_reply(thread=answered, author=alice, body="Ours open at eight.")
    solved = start_thread(community, alice, title="Which queue system works", tags=[digital])
    answer = services.post_reply(thread=solved, author=bob, body="Tickets with SMS.")
    services.post_accept(post=answer, actor=alice)
    pinned = start_thread(community, moderator, title="Rules of this forum")
    services.thread_set_pinned(thread=pinned, actor=moderator, pinned=True)
    # The rules are the oldest activity, yet pinned comes first; "answered" is touched last.
    Thread.objects.filter(pk=pinned.pk).update(last_activity=timezone.now() - dt.timedelta(days=9))
    services.post_reply(thread=answered, author=bob, body="Ours at nine.")
    return {
        "alice": alice,
        "bob": bob,
        "moderator": moderator,
        "queues": queues,
        "digital": digital,
        "quiet": quiet,
        "answered": answered,
        "solved": solved,
        "pinned": pinned,
    }


def test_pinned_threads_come_first_then_the_latest_activity(client, community, forum):
    response = client.get(_list_url(community))

    assert response.status_code == HTTPStatus.OK
    assert _titles(response) == [
        "Rules of this forum",
        "Opening hours of the centres",
        "Which queue system works",
        "Nobody answered this yet",
    ]


def test_each_row_shows_author_tags_replies_last_poster_and_marks(login, community, forum):
    response = login(forum["bob"]).get(_list_url(community))

    rows = {row["title"]: row for row in _rows(response)}
    answered = rows["Opening hours of the centres"]
    assert "by Bob Bekov" in answered["meta"]
    assert "2 replies" in answered["stats"]
    assert "last: Bob Bekov" in answered["stats"]
    thread = Thread.objects.get(pk=forum["answered"].pk)
    assert dt.datetime.fromisoformat(answered["time"]) == thread.last_activity
    assert answered["latest"] == [reverse("post_permalink", args=[thread.last_post_id])]
    solved = rows["Which queue system works"]
    assert "solved" in solved["pills"]
    assert "Digital services" in solved["pills"]
    assert "1 reply" in solved["stats"]
    assert "last: Bob Bekov" in solved["stats"]
    quiet = rows["Nobody answered this yet"]
    assert "0 replies" in quiet["stats"]
    assert "Queues" in quiet["pills"]
    assert "solved" not in quiet["pills"]
    assert "pinned" in rows["Rules of this forum"]["pills"]


def test_unread_mark_shows_for_signed_in_people_until_they_read(client, login, community, forum):
    alice = login(forum["alice"])
    thread = forum["solved"]
    alice.get(thread.get_absolute_url())  # Alice has read everything in her thread.
    rows = {row["title"]: row for row in _rows(alice.get(_list_url(community)))}
    assert rows["Which queue system works"]["unread"] == []

    services.post_reply(thread=thread, author=forum["bob"], body="One more idea.")

    rows = {row["title"]: row for row in _rows(alice.get(_list_url(community)))}
    jump = reverse("thread_unread", args=[community.slug, thread.pk])
    assert rows["Which queue system works"]["unread"] == [jump]
    assert alice.get(jump)["Location"] == f"{thread.get_absolute_url()}?page=1#p3"
    alice.get(thread.get_absolute_url())
    rows = {row["title"]: row for row in _rows(alice.get(_list_url(community)))}
    assert rows["Which queue system works"]["unread"] == []
    # Visitors who are not signed in have no read state and see no marks.
    assert all(row["unread"] == [] for row in _rows(client.get(_list_url(community))))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"filter": "unanswered"}, ["Rules of this forum", "Nobody answered this yet"]),
        ({"filter": "solved"}, ["Which queue system works"]),
        ({"filter": "following"}, ["Opening hours of the centres", "Which queue system works"]),
        ({"tag": "queues"}, ["Nobody answered this yet"]),
        ({"tag": "digital-services", "filter": "solved"}, ["Which queue system works"]),
        ({"tag": "queues", "filter": "solved"}, []),
        ({"filter": "no-such-filter"}, None),  # ignored: everything
    ],
)
def test_filters(login, community, forum, query, expected):
    # Bob follows the threads he posted in.
    response = login(forum["bob"]).get(_list_url(community, **query))

    assert response.status_code == HTTPStatus.OK
    if expected is None:
        expected = _titles(login(forum["bob"]).get(_list_url(community)))
        assert len(expected) == 4
    assert _titles(response) == expected


def test_following_filter_is_not_offered_to_visitors(client, community, forum):
    page = parse(client.get(_list_url(community, filter="following")))
    filters = page.find("nav", aria_label="Filter threads")
    assert "Following" not in filters.text
    assert len(_rows(client.get(_list_url(community, filter="following")))) == 4


def test_unknown_tag_is_not_found(client, community, forum):
    response = client.get(_list_url(community, tag="no-such-tag"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_tag_of_another_community_is_not_found_here(client, community, elsewhere, forum):
    Tag.objects.create(community=elsewhere, slug="only-there", name="Only there")
    response = client.get(_list_url(community, tag="only-there"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def _make_threads(community, author, count: int, *, same_time_every: int = 0) -> None:
    """``count`` threads with distinct last activity, except that with ``same_time_every`` that
    many share each timestamp (the keyset must still neither skip nor repeat)."""
    base = timezone.now() - dt.timedelta(days=30)
    threads = Thread.objects.bulk_create(
        [
            Thread(
                community=community,
                author=author,
                title=f"Thread {n:03}",
                language="en",
                last_activity=base,
            )
            for n in range(count)
        ]
    )
    for n, thread in enumerate(threads):
        step = n // same_time_every if same_time_every else n
        thread.last_activity = base + dt.timedelta(minutes=step)
    Thread.objects.bulk_update(threads, ["last_activity"])


@pytest.mark.parametrize("same_time_every", [0, 7])
def test_keyset_pages_cover_every_thread_once(client, community, make_member, same_time_every):
    author = make_member(community)
    _make_threads(community, author, 2 * THREADS_PER_PAGE + 5, same_time_every=same_time_every)
    seen: list[str] = []
    url = _list_url(community)
    pages = 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        # Keyset, not OFFSET: a later page costs what the first one does.
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
        seen += _titles(response)
        more = parse(response).find_all("li", id="more-threads")
        url = more[0].find("a").attrs["href"] if more else None
        if url:
            url = _list_url(community) + url
        pages += 1

    assert pages == 3
    assert len(seen) == len(set(seen)) == 2 * THREADS_PER_PAGE + 5
    # Newest first; among equal times, the higher id first.
    expected = list(
        Thread.objects.filter(community=community)
        .order_by("-last_activity", "-id")
        .values_list("title", flat=True)
    )
    assert seen == expected


def test_more_threads_through_htmx_returns_only_rows(client, community, make_member):
    author = make_member(community)
    _make_threads(community, author, THREADS_PER_PAGE + 2)
    first = client.get(_list_url(community))
    href = parse(first).find("li", id="more-threads").find("a").attrs["hx-get"]

    response = client.get(_list_url(community) + href, headers={"HX-Request": "true"})

    assert response.status_code == HTTPStatus.OK
    assert b"<html" not in response.content
    assert _titles(response) == ["Thread 001", "Thread 000"]


def test_a_broken_cursor_starts_from_the_top(client, community, make_member):
    author = make_member(community)
    _make_threads(community, author, 3)
    response = client.get(_list_url(community, after="not-a-cursor"))
    assert _titles(response) == ["Thread 002", "Thread 001", "Thread 000"]


def test_deleted_threads_are_not_listed(client, community, forum):
    services.thread_delete(thread=forum["quiet"], actor=forum["moderator"])
    assert "Nobody answered this yet" not in _titles(client.get(_list_url(community)))


# --- Query budget ---------------------------------------------------------------------------------


def _busy_forum(community, make_member, *, threads: int, authors: int) -> object:
    """``threads`` threads by ``authors`` people, tagged, with replies, reactions and follows;
    one is pinned and one solved (so every kind of row is on the page)."""
    people = [make_member(community) for _ in range(authors)]
    moderator = make_member(community, role="moderator")
    tags = [services.tag_create(community=community, actor=moderator, name=f"T{n}") for n in "ABC"]
    reader = people[0]
    for n in range(threads):
        author = people[n % authors]
        thread = services.thread_create(
            community=community, author=author, title=f"Question number {n}", body="Body",
            language="en", tags=tags[: n % 4],
        )  # fmt: skip
        replier = people[(n + 1) % authors]
        post = services.post_reply(thread=thread, author=replier, body="Reply")
        Reaction.objects.create(post=post, user=reader, kind="like")
        if n == 0:
            services.thread_set_pinned(thread=thread, actor=moderator, pinned=True)
        if n == 1:
            services.post_accept(post=post, actor=moderator)
    return reader


@pytest.mark.parametrize(("threads", "authors"), [(3, 2), (THREADS_PER_PAGE + 10, 30)])
def test_thread_list_costs_the_same_for_few_and_many_threads(
    login, community, make_member, django_assert_num_queries, threads, authors
):
    reader = _busy_forum(community, make_member, threads=threads, authors=authors)
    browser = login(reader)
    browser.get(_list_url(community))  # the session and its caches warm up

    # session, user, the threads, pinned first (their versions: the rows come from the cache);
    # the community, the memberships, the tag vocabulary and the unread notification count
    # are cached.
    with django_assert_num_queries(3):
        response = browser.get(_list_url(community))

    assert len(_rows(response)) == min(threads, THREADS_PER_PAGE + 1)


@pytest.mark.parametrize(("threads", "authors"), [(3, 2), (THREADS_PER_PAGE + 10, 30)])
def test_thread_list_for_visitors_costs_the_same_for_few_and_many_threads(
    client, community, make_member, django_assert_num_queries, threads, authors
):
    _busy_forum(community, make_member, threads=threads, authors=authors)

    # Nothing cached: community, the threads (pinned first), the rows whole and their tags,
    # the tag vocabulary.
    with django_assert_num_queries(5):
        response = client.get(_list_url(community))

    assert len(_rows(response)) == min(threads, THREADS_PER_PAGE + 1)


@pytest.mark.parametrize("pinned", [0, 3, 10, 14])
def test_the_first_page_shows_every_pinned_thread_then_the_latest(
    login, community, make_member, pinned
):
    """Up to PINNED_IN_ONE_QUERY pinned threads come with the others in one query; with more,
    two more queries read them apart: either way every pinned thread, then a whole page of the
    others."""
    from forums.selectors.threads import PINNED_IN_ONE_QUERY

    author = make_member(community)
    _make_threads(community, author, THREADS_PER_PAGE + 5 + pinned)
    pinned_titles = [f"Thread {n:03d}" for n in range(pinned)]  # the oldest activity
    Thread.objects.filter(title__in=pinned_titles).update(is_pinned=True)
    browser = login(make_member(community, "reader"))
    browser.get(_list_url(community))

    with CaptureQueriesContext(connection) as queries:
        response = browser.get(_list_url(community))

    titles = _titles(response)
    assert titles[:pinned] == list(reversed(pinned_titles))
    newest = THREADS_PER_PAGE + 5 + pinned - 1
    assert titles[pinned:] == [
        f"Thread {n:03d}" for n in range(newest, newest - THREADS_PER_PAGE, -1)
    ]
    assert parse(response).find("li", id="more-threads") is not None
    lists = [q["sql"] for q in queries.captured_queries if "forums_threadreadstate" in q["sql"]]
    assert len(lists) == (1 if pinned <= PINNED_IN_ONE_QUERY else 3), lists
