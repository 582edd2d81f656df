"""Signed-in thread pages: posts come from fragments cached per post version, with the reader's
own layer (pressed reactions, bookmarks, actions, CSRF token) applied per request. Every change
to a post reaches readers at once, with the cache warm, down, or evicting everything; and a
rendered page leaves no reference cycles holding its posts."""

from __future__ import annotations

import gc

import pytest
from django.template.context import RequestContext
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse

from forums import services
from forums.models import Post, Thread
from tests.htmltree import parse

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def people(community, make_member):
    return {
        "author": make_member(community, "author", display_name="Aigerim"),
        "replier": make_member(community, "replier", display_name="Bolat"),
        "member": make_member(community, "member", display_name="Dana"),
        "moderator": make_member(community, "moderator", role="moderator"),
    }


@pytest.fixture
def thread(community, people, start_thread):
    thread = start_thread(community, people["author"], body="Opening post.")
    services.post_reply(thread=thread, author=people["replier"], body="First reply.")
    return thread


def _articles(response) -> dict[int, object]:
    return {
        int(a.attrs["data-number"]): a for a in parse(response).find_all("article", class_="post")
    }


def _body(article) -> str:
    content = article.find(class_="user-content")
    return content.text.strip() if content else article.find(class_="post-placeholder").text


def _actions(article) -> set[str]:
    """The names of the actions a reader is offered on a post (footer and its menu)."""
    foot = article.find(class_="post-foot")
    if foot is None:
        return set()
    names = set()
    for node in foot.find_all(["a", "form"]):
        target = node.attrs.get("href") or node.attrs.get("action") or ""
        if "quote=" in target:
            names.add("quote")
        for action in ("bookmark", "accept", "edit", "delete", "report", "hide", "react"):
            if f"/{action}/" in target:
                names.add(action)
    return names


@pytest.mark.parametrize("caches", ["warm", "none"])
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("edit", "First reply, edited."),
        ("delete", "This post was deleted."),
        ("hide", "This post was hidden by a moderator."),
        ("rename", "First reply."),
    ],
)
def test_every_change_to_a_post_reaches_signed_in_readers_at_once(
    login, settings, thread, people, change, expected, caches
):
    if caches == "none":  # a cache that is down or keeps nothing
        settings.CACHES = NO_CACHE
    reader = login(people["member"])
    before = _articles(reader.get(thread.get_absolute_url()))
    assert _body(before[2]) == "First reply."
    reply = thread.posts.get(number=2)
    if change == "edit":
        services.post_edit(post=reply, editor=people["replier"], body="First reply, edited.")
    elif change == "delete":
        services.post_delete(post=reply, actor=people["replier"])
    elif change == "hide":
        services.post_set_hidden(post=reply, actor=people["moderator"], hidden=True)
    else:
        people["replier"].display_name = "Bolat Serikuly"
        people["replier"].save(update_fields=["display_name"])

    after = _articles(reader.get(thread.get_absolute_url()))

    assert _body(after[2]) == expected
    assert _body(after[1]) == "Opening post."
    expected_name = "Bolat Serikuly" if change == "rename" else "Bolat"
    assert after[2].find(class_="post-author").find("a").text == expected_name


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_reactions_and_accepted_answers_reach_readers_at_once(
    login, settings, thread, people, caches
):
    if caches == "none":
        settings.CACHES = NO_CACHE
    member = login(people["member"])
    member.get(thread.get_absolute_url())
    reply = thread.posts.get(number=2)

    member.post(reverse("post_react", args=[reply.pk]), {"kind": "thanks"})
    services.post_accept(post=reply, actor=people["author"])

    article = _articles(member.get(thread.get_absolute_url()))[2]
    assert "accepted" in article.attrs["class"]
    thanks = article.find("button", data_kind="thanks")
    assert thanks.attrs["aria-pressed"] == "true"
    assert thanks.attrs["title"] == "Dana"
    assert " ".join(thanks.text.split()) == "Thanks 1"


def test_two_readers_share_fragments_but_see_their_own_marks(login, thread, people):
    reply = thread.posts.get(number=2)
    services.post_react(post=reply, user=people["member"], kind="like")
    services.post_bookmark(post=reply, user=people["member"])
    member = login(people["member"])
    replier = login(people["replier"])
    member.get(thread.get_absolute_url())  # fills the cache

    mine = _articles(member.get(thread.get_absolute_url()))[2]
    theirs = _articles(replier.get(thread.get_absolute_url()))[2]

    assert mine.find("button", data_kind="like").attrs["aria-pressed"] == "true"
    assert theirs.find("button", data_kind="like").attrs["aria-pressed"] == "false"
    bookmark = reverse("post_bookmark", args=[reply.pk])
    assert mine.find("form", action=bookmark).text.strip() == "Remove bookmark"
    assert theirs.find("form", action=bookmark).text.strip() == "Bookmark"
    # Each page's forms carry that reader's own CSRF token, never the slot of the fragment.
    for article in (mine, theirs):
        tokens = {i.attrs["value"] for i in article.find_all("input", name="csrfmiddlewaretoken")}
        assert len(tokens) == 1
        assert "csrf-" not in tokens.pop()


# Who is offered which action on a reply by someone else and on their own reply.
ACTIONS = {
    "visitor": (set(), set()),
    "member": (
        {"react", "quote", "bookmark", "report"},
        {"react", "quote", "bookmark", "edit", "delete"},
    ),
    "author": (  # the thread's author: may accept answers
        {"react", "quote", "bookmark", "accept", "report"},
        {"react", "quote", "bookmark", "accept", "edit", "delete"},
    ),
    "moderator": (
        {"react", "quote", "bookmark", "accept", "delete", "report", "hide"},  # not edit
        {"react", "quote", "bookmark", "accept", "edit", "delete", "hide"},
    ),
}


@pytest.mark.parametrize("role", list(ACTIONS))
def test_each_role_is_offered_its_actions_from_the_same_fragments(
    client, login, community, thread, people, role
):
    own = services.post_reply(
        thread=thread,
        author=people["member"] if role in ("visitor", "member") else people[role],
        body="My own reply.",
    )
    browser = client if role == "visitor" else login(people[role])
    login(people["replier"]).get(thread.get_absolute_url())  # someone else filled the cache

    articles = _articles(browser.get(thread.get_absolute_url()))

    others, mine = ACTIONS[role]
    assert _actions(articles[2]) == others
    assert _actions(articles[own.number]) == (mine if role != "visitor" else set())


def test_a_hidden_post_shows_its_text_to_moderators_only(login, thread, people):
    reply = thread.posts.get(number=2)
    services.post_set_hidden(post=reply, actor=people["moderator"], hidden=True)
    login(people["member"]).get(thread.get_absolute_url())

    moderator = _articles(login(people["moderator"]).get(thread.get_absolute_url()))[2]
    member = _articles(login(people["member"]).get(thread.get_absolute_url()))[2]

    assert _body(moderator) == "First reply."
    assert _actions(moderator) == {"hide", "react"}  # unhide; reactions stay
    assert _body(member) == "This post was hidden by a moderator."
    assert _actions(member) == set()


def test_a_rendered_thread_page_leaves_no_cycles_holding_its_posts(login, thread, people):
    # Through the test client's handler, not the client: the client keeps each page's template
    # contexts (for response.context).
    reader = login(people["member"])
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in reader.cookies.items())
    handler = ClientHandler()
    environ = RequestFactory()._base_environ(
        PATH_INFO=thread.get_absolute_url(), REQUEST_METHOD="GET", HTTP_COOKIE=cookie
    )

    def get() -> bytes:
        response = handler(dict(environ))
        assert response.status_code == 200
        return response.content

    assert b"First reply." in get()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        get()
        gc.collect()
        # type(), not isinstance(): the garbage holds lazy objects that isinstance() would
        # evaluate.
        stuck = [o for o in gc.garbage if type(o) in (Post, Thread, RequestContext)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert stuck == []


def test_fragments_are_keyed_by_language(login, thread, people):
    reader = login(people["member"])
    reader.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    reader.post(reverse("set_language"), {"language": "ru"})
    page = parse(reader.get(thread.get_absolute_url()))
    link = page.find("article", id="p1").find(class_="post-head").find("a")
    assert link.attrs["aria-label"] == "Ссылка на сообщение № 1"


def test_each_reader_sees_post_times_in_their_own_zone(login, thread, people):
    from datetime import UTC, datetime

    Post.objects.filter(thread=thread, number=2).update(
        created=datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    )
    people["member"].timezone = "Asia/Almaty"
    people["member"].save(update_fields=["timezone"])
    people["replier"].timezone = "Europe/Berlin"
    people["replier"].save(update_fields=["timezone"])

    almaty = _articles(login(people["member"]).get(thread.get_absolute_url()))[2]
    berlin = _articles(login(people["replier"]).get(thread.get_absolute_url()))[2]

    assert almaty.find("time").attrs["datetime"] == "2026-12-01T17:00:00+05:00"
    assert almaty.find("time").text.strip() == "Dec. 1, 2026, 5 p.m."
    assert berlin.find("time").attrs["datetime"] == "2026-12-01T13:00:00+01:00"
    assert berlin.find("time").text.strip() == "Dec. 1, 2026, 1 p.m."


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_thread_list_rows_show_every_change_at_once(
    client, login, settings, community, thread, people, caches
):
    if caches == "none":
        settings.CACHES = NO_CACHE
    url = reverse("thread_list", args=[community.slug])
    member = login(people["member"])
    member.get(url)
    client.get(url)

    services.post_reply(thread=thread, author=people["member"], body="Another reply.")
    services.thread_set_pinned(thread=thread, actor=people["moderator"], pinned=True)
    people["author"].display_name = "Aigerim Bekova"
    people["author"].save(update_fields=["display_name"])

    for browser in (client, member):
        row = parse(browser.get(url)).find("li", class_="thread-row")
        text = " ".join(row.text.split())
        assert "pinned" in text
        assert "by Aigerim Bekova" in text
        assert "2 replies" in text
        assert "last: Dana" in text
    # The reader's own state is theirs: the member read nothing since, a visitor has none.
    assert parse(client.get(url)).find("a", class_="unread") is None


def test_an_earlier_page_counts_only_replies_newer_than_the_thread(login, thread, people):
    for n in range(21):
        services.post_reply(thread=thread, author=people["replier"], body=f"Reply {n}.")
    page = parse(login(people["member"]).get(thread.get_absolute_url()))

    # Page 1 of 2: the live bar counts replies after the thread's last post (not the posts of
    # page 2), and leads to the end of the thread instead of appending below page 1.
    assert page.find("div", data_live_thread=str(thread.pk)).attrs["data-last-number"] == "23"
    bar = page.find("div", data_new_posts_bar="")
    assert bar.find("a").attrs["href"] == "?page=2#p23"
    assert bar.find("button") is None


# --- The page around the posts, shared by readers who see it alike ----------------------------


def _follow_label(page) -> str:
    form = page.find("form", action=lambda a: a and a.endswith("/follow/"))
    return form.find("button").text.strip()


def test_readers_sharing_a_cached_page_keep_their_own_follow_unread_and_token(
    login, community, make_member, thread, people
):
    services.thread_follow(thread=thread, user=people["member"], follow=True)
    member = login(people["member"])
    replier = login(make_member(community, "reader"))  # follows nothing
    member.get(thread.get_absolute_url())  # fills the cache; the member has read it all now
    services.post_reply(thread=thread, author=people["author"], body="Second reply.")
    replier.get(thread.get_absolute_url())

    mine = parse(member.get(thread.get_absolute_url()))
    theirs = parse(replier.get(thread.get_absolute_url()))

    assert _follow_label(mine) == "Unfollow"
    assert _follow_label(theirs) == "Follow"
    # The tokens in the part served from the cache (the frame around it has its own).
    my_tokens, their_tokens = (
        {
            i.attrs["value"]
            for i in page.find("div", data_live_thread=str(thread.pk)).find_all(
                "input", name="csrfmiddlewaretoken"
            )
        }
        for page in (mine, theirs)
    )
    assert len(my_tokens) == len(their_tokens) == 1
    assert my_tokens != their_tokens
    assert not any("csrf-" in token for token in my_tokens | their_tokens)
    assert "Second reply." in mine.text


def test_an_unread_reply_shows_the_jump_link_to_that_reader_only(login, thread, people):
    member = login(people["member"])
    replier = login(people["replier"])
    member.get(thread.get_absolute_url())
    replier.get(thread.get_absolute_url())
    # The member reads on; the replier has not seen the new reply yet.
    services.post_reply(thread=thread, author=people["author"], body="Second reply.")
    member.get(thread.get_absolute_url())
    services.thread_mark_read(thread=thread, user=people["member"], number=3, state=None)

    def jump(browser) -> bool:
        page = parse(browser.get(thread.get_absolute_url() + "?page=1"))
        return page.find("a", href=lambda h: h and h.endswith("/unread/")) is not None

    assert jump(replier)
    assert not jump(member)


@pytest.mark.parametrize("first", ["author", "other"])
def test_a_page_with_the_readers_own_post_is_never_shared(
    login, community, make_member, thread, people, first
):
    # The author hides their organisation from everyone but themself.
    people["replier"].organisation = "Ministry of Digital Development"
    people["replier"].organisation_audience = "nobody"
    people["replier"].save(update_fields=["organisation", "organisation_audience"])
    author = login(people["replier"])
    other = login(people["member"])
    order = (author, other) if first == "author" else (other, author)
    for browser in order:
        browser.get(thread.get_absolute_url())

    own = _articles(author.get(thread.get_absolute_url()))[2]
    seen = _articles(other.get(thread.get_absolute_url()))[2]

    assert "Ministry of Digital Development" in own.find(class_="post-author").text
    assert "Ministry of Digital Development" not in seen.find(class_="post-author").text
    assert "edit" in _actions(own)
    assert "edit" not in _actions(seen)


@pytest.mark.parametrize(
    "order", [("moderator", "member", "outsider"), ("outsider", "member", "moderator")]
)
def test_each_role_gets_its_own_page_whoever_came_first(login, make_user, thread, people, order):
    browsers = {
        "moderator": login(people["moderator"]),
        "member": login(people["member"]),
        "outsider": login(make_user("outsider")),  # signed in, not a member
    }
    for name in order:
        browsers[name].get(thread.get_absolute_url())

    pages = {
        name: parse(browser.get(thread.get_absolute_url())) for name, browser in browsers.items()
    }

    def panel(page):
        return page.find("div", aria_label="Moderation")

    def joins(page):
        return page.find("form", action=lambda a: a and a.endswith("/join/")) is not None

    assert [panel(pages[name]) is not None for name in browsers] == [True, False, False]
    assert [joins(pages[name]) for name in browsers] == [False, False, True]
    assert pages["member"].find("textarea", name="body") is not None
    assert pages["outsider"].find("textarea", name="body") is None


def test_another_reader_of_a_cached_page_reads_no_posts(
    login, community, make_member, thread, people, django_assert_num_queries
):
    login(people["member"]).get(thread.get_absolute_url())  # cached for members
    reader = login(make_member(community, "second"))
    reader.get(thread.get_absolute_url())  # served from the member's; the read marker moves

    # session, user, thread (+ followed, read marker); the memberships and the reader's marks
    # are cached: no posts, authors, tags or reactions.
    with django_assert_num_queries(3) as queries:
        page = parse(reader.get(thread.get_absolute_url()))
    tables = " ".join(q["sql"].split(" WHERE")[0] for q in queries.captured_queries)
    assert "forums_post" not in tables
    assert "forums_tag" not in tables
    assert _articles_of(page) == [1, 2]


def _articles_of(page) -> list[int]:
    return [int(a.attrs["data-number"]) for a in page.find_all("article", class_="post")]


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_new_renamed_and_deleted_tags_reach_signed_in_lists_and_pages_at_once(
    login, settings, community, thread, people, caches
):
    from forums.models import Tag

    if caches == "none":
        settings.CACHES = NO_CACHE
    moderator = people["moderator"]
    member = login(people["member"])
    list_url = reverse("thread_list", args=[community.slug])

    def filters() -> list[str]:
        nav = parse(member.get(list_url)).find("nav", aria_label="Filter threads")
        return [a.text.strip() for a in nav.find_all("a") if "tag=" in a.attrs["href"]]

    def pills() -> list[str]:
        page = parse(member.get(thread.get_absolute_url()))
        row = page.find("div", data_live_thread=str(thread.pk)).find("p", class_="row")
        return [a.text.strip() for a in row.find_all("a", href=lambda h: h and "tag=" in h)]

    tag = services.tag_create(community=community, actor=moderator, name="Kazakh")
    assert filters() == ["Kazakh"]
    thread.tags.add(tag)
    assert pills() == ["Kazakh"]
    tag.name = "Qazaq"
    tag.save()
    assert filters() == ["Qazaq"]
    assert pills() == ["Qazaq"]
    services.tag_delete(tag=Tag.objects.get(pk=tag.pk), actor=moderator)
    assert filters() == []
    assert pills() == []


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_bookmarks_reach_the_readers_cached_page_at_once(login, settings, thread, people, caches):
    if caches == "none":
        settings.CACHES = NO_CACHE
    member = login(people["member"])
    reply = thread.posts.get(number=2)
    url = reverse("post_bookmark", args=[reply.pk])

    def label() -> str:
        article = _articles(member.get(thread.get_absolute_url()))[2]
        return article.find("form", action=url).text.strip()

    assert label() == "Bookmark"  # the page and the reader's marks are cached now
    member.post(url)
    assert label() == "Remove bookmark"
    member.post(url)
    assert label() == "Bookmark"


def test_marks_read_before_a_change_and_stored_after_it_are_not_used(login, thread, people):
    from django.core.cache import cache

    from forums.fragments import marks_keys

    member = login(people["member"])
    reply = thread.posts.get(number=2)
    member.get(thread.get_absolute_url())
    generation_key, marks_key = marks_keys(people["member"].pk, thread.pk, 1)
    read_before = cache.get_many([generation_key, marks_key])

    services.post_bookmark(post=reply, user=people["member"])  # commits meanwhile...
    # ... and a slow read stores what it read, under the generation it began with.
    stale = (
        read_before.get(generation_key, 0),
        [thread.posts.get(number=1).pk, reply.pk],
        {},
        set(),
    )
    cache.set(marks_key, stale)

    article = _articles(member.get(thread.get_absolute_url()))[2]
    bookmark = reverse("post_bookmark", args=[reply.pk])
    assert article.find("form", action=bookmark).text.strip() == "Remove bookmark"
