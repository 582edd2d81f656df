"""Editing keeps revisions and shows "edited" with a history; deleting leaves a placeholder."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from forums import services
from forums.models import BODY_MAX, TITLE_MAX, Post, PostRevision, Thread
from tests.htmltree import parse


@pytest.fixture
def people(community, make_member):
    return {
        "author": make_member(community, "author", display_name="Erlan"),
        "other": make_member(community, "other", display_name="Gulnara"),
        "moderator": make_member(community, "moderator", role="moderator"),
    }


@pytest.fixture
def thread(community, people, start_thread):
    return start_thread(community, people["author"], title="Budget for service centres")


def _edit(post) -> str:
    return reverse("post_edit", args=[post.pk])


def test_every_edit_keeps_a_revision_and_the_history_shows_them(login, client, thread, people):
    reply = services.post_reply(thread=thread, author=people["author"], body="First *version*")
    browser = login(people["author"])

    form = parse(browser.get(_edit(reply)))
    assert form.find("textarea", name="body").text == "First *version*"
    assert not form.find_all("input", name="title")  # only the opening post has a title
    browser.post(_edit(reply), {"body": "Second version"})
    response = browser.post(_edit(reply), {"body": "Third **version**"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#p2"
    reply.refresh_from_db()
    assert reply.html == "<p>Third <strong>version</strong></p>\n"
    assert reply.edited_at is not None
    assert [r.body for r in reply.revisions.all()] == ["Second version", "First *version*"]
    assert all(r.editor == people["author"] for r in reply.revisions.all())
    # The post says it was edited and links to its history, which anyone who reads can see.
    head = (
        parse(client.get(thread.get_absolute_url()))
        .find("article", id="p2")
        .find(class_="post-head")
    )
    history = reverse("post_history", args=[reply.pk])
    assert head.find("a", href=history).text == "edited"
    sections = parse(client.get(history)).find_all("section", class_="revision")
    assert [s.find("div", class_="user-content").text for s in sections] == [
        "Third version",
        "Second version",
        "First version",
    ]
    assert "Erlan" in sections[1].find("h2").text


def test_editing_without_a_change_keeps_no_revision(login, thread, people):
    opening = Post.objects.get(thread=thread, number=1)
    login(people["author"]).post(
        _edit(opening), {"title": thread.title, "body": "  " + opening.body + "\n"}
    )
    assert not PostRevision.objects.exists()
    assert Post.objects.get(pk=opening.pk).edited_at is None


def test_editing_the_opening_post_can_change_the_title(login, client, community, thread, people):
    opening = Post.objects.get(thread=thread, number=1)

    login(people["author"]).post(
        _edit(opening), {"title": "Budget of one-stop-shop centres", "body": opening.body}
    )

    assert Thread.objects.get(pk=thread.pk).title == "Budget of one-stop-shop centres"
    revision = PostRevision.objects.get(post=opening)
    assert revision.title == "Budget for service centres"
    history = parse(client.get(reverse("post_history", args=[opening.pk])))
    assert "Title: Budget for service centres" in history.find("main").text
    listed = parse(client.get(reverse("thread_list", args=[community.slug])))
    assert listed.find("li", class_="thread-row").find("h2").find("a").text == (
        "Budget of one-stop-shop centres"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Please write something first."),
        ({"body": "x" * (BODY_MAX + 1)}, "The text is too long: 20001 characters, at most 20000."),
        ({"body": "ok", "title": ""}, "Please give the thread a title."),
        ({"body": "ok", "title": "Abc"}, "A title needs at least 5 characters."),
        (
            {"body": "ok", "title": "T" * (TITLE_MAX + 1)},
            "A title can have at most 200 characters.",
        ),
    ],
)
def test_a_bad_edit_is_explained_kept_and_not_saved(login, thread, people, data, message):
    opening = Post.objects.get(thread=thread, number=1)
    data = {"title": thread.title, **data}

    response = login(people["author"]).post(_edit(opening), data)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    form = parse(response).find("form", class_="panel")
    assert message in form.text
    assert form.find("textarea", name="body").text == " ".join(data["body"].split())
    assert form.find("input", name="title").attrs.get("value", "") == data["title"]
    assert Post.objects.get(pk=opening.pk).body == "Opening post."
    assert Thread.objects.get(pk=thread.pk).title == "Budget for service centres"
    assert not PostRevision.objects.exists()


@pytest.mark.parametrize("editor", ["other", "moderator"])
def test_nobody_edits_someone_elses_post(login, thread, people, editor):
    opening = Post.objects.get(thread=thread, number=1)
    browser = login(people[editor])

    shown = browser.get(_edit(opening))
    sent = browser.post(_edit(opening), {"title": "Hijacked title", "body": "Hijacked"})

    for response in (shown, sent):
        assert response.status_code == HTTPStatus.FORBIDDEN
        alert = parse(response).find("main").find(role="alert")
        assert alert.text == "You can only edit your own messages."
        assert not parse(response).find_all("textarea")
    assert Post.objects.get(pk=opening.pk).body == "Opening post."
    assert not PostRevision.objects.exists()


def test_a_locked_thread_cannot_be_edited_by_its_author(login, thread, people):
    services.thread_set_locked(thread=thread, actor=people["moderator"], locked=True)
    opening = Post.objects.get(thread=thread, number=1)

    response = login(people["author"]).post(_edit(opening), {"title": "New", "body": "Changed"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This thread is locked" in parse(response).find("main").find(role="alert").text
    assert Post.objects.get(pk=opening.pk).body == "Opening post."


def test_deleting_a_post_leaves_a_placeholder_and_replies_keep_their_context(
    login, client, thread, people
):
    doomed = services.post_reply(thread=thread, author=people["other"], body="Budget is 5%.")
    services.post_reply(
        thread=thread,
        author=people["author"],
        body=services.post_quote_body(post=doomed) + "Is that enough?",
        quoted=doomed,
    )

    response = login(people["other"]).post(reverse("post_delete", args=[doomed.pk]), follow=True)

    assert Post.objects.get(pk=doomed.pk).is_deleted
    assert "The post has been deleted." in parse(response).find(class_="messages").text
    page = parse(client.get(thread.get_absolute_url()))
    deleted = page.find("article", id="p2")
    assert deleted.find(class_="post-placeholder").text == "This post was deleted."
    assert "Budget is 5%." not in deleted.text
    # The reply still says what it answered and links to where it was.
    reply = page.find("article", id="p3")
    assert "Is that enough?" in reply.text
    assert reply.find("p", class_="muted").find("a").attrs["href"] == doomed.get_absolute_url()
    # A deleted post cannot be edited, and its history is for moderators only.
    assert login(people["other"]).get(_edit(doomed)).status_code == HTTPStatus.FORBIDDEN
    history = reverse("post_history", args=[doomed.pk])
    assert login(people["other"]).get(history).status_code == HTTPStatus.FORBIDDEN
    assert login(people["moderator"]).get(history).status_code == HTTPStatus.OK


def test_deleting_twice_changes_nothing(login, thread, people):
    reply = services.post_reply(thread=thread, author=people["other"], body="Oops")
    browser = login(people["other"])
    browser.post(reverse("post_delete", args=[reply.pk]))
    before = Thread.objects.values().get(pk=thread.pk)

    browser.post(reverse("post_delete", args=[reply.pk]))

    assert Thread.objects.values().get(pk=thread.pk) == before


def _links(browser, thread) -> dict[int, set[str]]:
    """Post number → the edit/delete/quote controls this reader is offered on it."""
    controls = {}
    for article in parse(browser.get(thread.get_absolute_url())).find_all("article"):
        foot = article.find_all(class_="post-foot")
        names = {n.text for n in foot[0].find_all(["a", "button"])} if foot else set()
        controls[int(article.attrs["data-number"])] = names & {"Edit", "Delete", "Quote"}
    return controls


def test_controls_offered_match_what_each_person_may_do(login, thread, people):
    services.post_reply(thread=thread, author=people["other"], body="A reply")

    assert _links(login(people["author"]), thread) == {
        1: {"Edit", "Delete", "Quote"},
        2: {"Quote"},
    }
    assert _links(login(people["moderator"]), thread) == {
        1: {"Delete", "Quote"},
        2: {"Delete", "Quote"},
    }
    services.thread_set_locked(thread=thread, actor=people["moderator"], locked=True)
    assert _links(login(people["author"]), thread) == {1: {"Delete"}, 2: set()}
