"""Replying and what people do with posts: quote, mention, react, bookmark, follow, accept."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from forums import services
from forums.models import BODY_MAX, Bookmark, Post, Reaction, Thread, ThreadFollow
from tests.htmltree import parse


@pytest.fixture
def people(community, make_member):
    return {
        "asel": make_member(community, "asel", display_name="Asel Nurlanovna"),
        "timur": make_member(community, "timur", display_name="Timur"),
        "dana": make_member(community, "dana", display_name="Dana"),
        "moderator": make_member(community, "moderator", role="moderator"),
    }


@pytest.fixture
def thread(community, people, start_thread):
    return start_thread(
        community,
        people["asel"],
        title="Digital signatures for citizens",
        body="How did you roll out\ndigital signatures?",
    )


def _reply_url(thread) -> str:
    return reverse("post_reply", args=[thread.community.slug, thread.pk])


def test_a_reply_goes_to_the_end_and_updates_the_thread(login, thread, people):
    response = login(people["timur"]).post(_reply_url(thread), {"body": "Through the *app*."})

    post = Post.objects.get(thread=thread, number=2)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#p2"
    assert (post.author, post.html) == (people["timur"], "<p>Through the <em>app</em>.</p>\n")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_post_number == 2
    assert (thread.last_post, thread.last_poster) == (post, people["timur"])
    assert thread.last_activity == post.created
    # Posting follows the thread and counts as having read it.
    assert ThreadFollow.objects.filter(thread=thread, user=people["timur"]).exists()
    jump = reverse("thread_unread", args=[thread.community.slug, thread.pk])
    assert login(people["timur"]).get(jump)["Location"].endswith("#p2")


def test_quoting_a_post_prefills_a_quote_block_that_links_to_it(login, thread, people):
    browser = login(people["timur"])
    opening = Post.objects.get(thread=thread, number=1)

    form_page = parse(browser.get(f"{thread.get_absolute_url()}?quote={opening.pk}"))
    prefilled = form_page.find("textarea", name="body").text
    quoted_field = form_page.find("input", name="quoted")
    assert quoted_field.attrs["value"] == str(opening.pk)
    assert prefilled.startswith(f"> [@asel]({opening.get_absolute_url()}):")

    body = services.post_quote_body(post=opening) + "We used the mobile app."
    response = browser.post(_reply_url(thread), {"body": body, "quoted": opening.pk})

    assert response.status_code == HTTPStatus.FOUND
    reply = Post.objects.get(thread=thread, number=2)
    assert reply.quoted == opening
    article = parse(browser.get(thread.get_absolute_url())).find("article", id="p2")
    quote = article.find("blockquote")
    assert "How did you roll out digital signatures?" in quote.text
    assert quote.find("a").attrs["href"] == opening.get_absolute_url()
    in_reply_to = article.find("p", class_="muted")
    assert "In reply to Asel Nurlanovna" in in_reply_to.text
    assert in_reply_to.find("a").attrs["href"] == opening.get_absolute_url()


def test_a_quote_of_a_post_from_another_thread_is_not_linked(
    login, community, thread, people, start_thread
):
    other = start_thread(community, people["dana"], title="Another question here")
    foreign = Post.objects.get(thread=other, number=1)

    login(people["timur"]).post(_reply_url(thread), {"body": "Hm.", "quoted": foreign.pk})

    assert Post.objects.get(thread=thread, number=2).quoted is None


def test_a_hidden_post_cannot_be_quoted(login, thread, people):
    hidden = services.post_reply(thread=thread, author=people["dana"], body="Secret phone")
    services.post_set_hidden(post=hidden, actor=people["moderator"], hidden=True)

    page = parse(login(people["timur"]).get(f"{thread.get_absolute_url()}?quote={hidden.pk}"))
    login(people["timur"]).post(_reply_url(thread), {"body": "Quoting.", "quoted": hidden.pk})

    assert page.find("textarea", name="body").text == ""
    assert Post.objects.get(thread=thread, number=3).quoted is None


def test_a_mention_links_to_the_profile(login, thread, people):
    login(people["timur"]).post(
        _reply_url(thread), {"body": "@Dana knows this, and @nobody_here does not."}
    )

    html = Post.objects.get(thread=thread, number=2).html
    page = parse(html)
    mention = page.find("a", class_="mention")
    assert mention.attrs["href"] == people["dana"].get_absolute_url()
    assert mention.text == "@Dana"
    assert len(page.find_all("a")) == 1
    assert "@nobody_here" in page.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write something first."),
        ("  \n ", "Please write something first."),
        ("x" * (BODY_MAX + 1), "The text is too long: 20001 characters, at most 20000."),
    ],
)
def test_a_bad_reply_is_explained_and_kept(login, thread, people, body, message):
    response = login(people["timur"]).post(_reply_url(thread), {"body": body})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = parse(response)
    assert message in page.find("section", id="reply").text
    assert page.find("textarea", name="body").text == " ".join(body.split())
    assert Post.objects.filter(thread=thread).count() == 1
    assert Thread.objects.get(pk=thread.pk).reply_count == 0


def test_a_locked_thread_refuses_replies_and_keeps_the_text(login, thread, people):
    services.thread_set_locked(thread=thread, actor=people["moderator"], locked=True)
    browser = login(people["timur"])

    shown = parse(browser.get(thread.get_absolute_url()))
    response = browser.post(_reply_url(thread), {"body": "But I have more to say!"})

    message = "This thread is locked: it takes no new replies."
    assert shown.find("section", id="reply").find("p", class_="message").text == message
    assert not shown.find("section", id="reply").find_all("textarea")
    assert response.status_code == HTTPStatus.FORBIDDEN
    page = parse(response)
    assert message in page.find("section", id="reply").text
    assert page.find("textarea", name="body").text == "But I have more to say!"
    assert Post.objects.filter(thread=thread).count() == 1
    # Moderators can still write in a locked thread (e.g. to say why it is locked).
    login(people["moderator"]).post(_reply_url(thread), {"body": "Locked: off topic."})
    assert Post.objects.filter(thread=thread).count() == 2


def test_reactions_toggle_and_show_counts_and_names(login, thread, people):
    opening = Post.objects.get(thread=thread, number=1)
    url = reverse("post_react", args=[opening.pk])
    login(people["timur"]).post(url, {"kind": "thanks"})
    login(people["dana"]).post(url, {"kind": "thanks"})
    login(people["dana"]).post(url, {"kind": "insightful"})

    response = login(people["timur"]).post(url, {"kind": "like"}, headers={"HX-Request": "true"})

    assert response.status_code == HTTPStatus.OK
    # One form for the post's reactions: a button per kind in use (emoji, a label for screen
    # readers, the count; pressed when it is the reader's) and a picker of every kind.
    form = parse(response).find("form", id=f"reactions-{opening.pk}")
    assert form.attrs["action"] == url
    assert len(form.find_all("input", name="csrfmiddlewaretoken")) == 1
    summary = {
        " ".join(b.text.split()): (b.attrs.get("title"), b.attrs.get("aria-pressed"))
        for b in form.find_all("button")
        if "data-kind" in b.attrs
    }
    assert summary == {
        "Like 1": ("Timur", "true"),
        "Thanks 2": ("Timur, Dana", "true"),
        "Insightful 1": ("Dana", "false"),
    }
    picker = [b.attrs["value"] for b in form.find("details").find_all("button")]
    assert picker == ["like", "thanks", "insightful", "agree", "question"]
    # The same reaction again takes it back.
    login(people["timur"]).post(url, {"kind": "thanks"})
    assert list(
        Reaction.objects.filter(post=opening, kind="thanks").values_list(
            "user__username", flat=True
        )
    ) == ["dana"]
    bad = login(people["timur"]).post(url, {"kind": "love"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert bad.content.decode() == "Unknown reaction."


def test_bookmarks_toggle_and_are_listed(login, thread, people):
    reply = services.post_reply(thread=thread, author=people["dana"], body="A useful answer.")
    browser = login(people["timur"])

    response = browser.post(reverse("post_bookmark", args=[reply.pk]), follow=True)

    assert Bookmark.objects.filter(user=people["timur"], post=reply).exists()
    assert "Bookmarked." in parse(response).find(class_="messages").text
    button = (
        parse(response)
        .find("article", id="p2")
        .find("form", action=reverse("post_bookmark", args=[reply.pk]))
    )
    assert button.text == "Remove bookmark"
    listed = parse(browser.get(reverse("bookmark_list"))).find("main").find("ul")
    assert listed.find("a").attrs["href"] == reply.get_absolute_url()
    assert "Digital signatures for citizens · #2" in listed.text

    browser.post(reverse("post_bookmark", args=[reply.pk]))
    assert not Bookmark.objects.exists()


def test_follow_and_unfollow(login, thread, people):
    browser = login(people["dana"])
    url = reverse("thread_follow", args=[thread.community.slug, thread.pk])

    browser.post(url, {"follow": "1"})
    assert ThreadFollow.objects.filter(thread=thread, user=people["dana"]).exists()
    button = parse(browser.get(thread.get_absolute_url())).find("form", action=url)
    assert button.find("button").text == "Unfollow"

    browser.post(url, {"follow": "0"})
    assert not ThreadFollow.objects.filter(thread=thread, user=people["dana"]).exists()
    button = parse(browser.get(thread.get_absolute_url())).find("form", action=url)
    assert button.find("button").text == "Follow"


def test_the_thread_author_accepts_an_answer(login, client, community, thread, people):
    answer = services.post_reply(thread=thread, author=people["timur"], body="Use the app.")
    browser = login(people["asel"])

    response = browser.post(reverse("post_accept", args=[answer.pk]), {"accept": "1"}, follow=True)

    assert Thread.objects.get(pk=thread.pk).accepted_post == answer
    page = parse(response)
    assert "accepted" in page.find("article", id="p2").attrs["class"]
    assert page.find("a", class_="solved").attrs["href"] == answer.get_absolute_url()
    listed = parse(client.get(reverse("thread_list", args=[community.slug])))
    assert "solved" in [p.text for p in listed.find("li", class_="thread-row").find_all("span")]

    browser.post(reverse("post_accept", args=[answer.pk]), {"accept": "0"})
    assert Thread.objects.get(pk=thread.pk).accepted_post is None


@pytest.mark.parametrize("which", ["opening", "hidden"])
def test_only_a_visible_reply_can_be_accepted(login, thread, people, which):
    if which == "opening":
        post = Post.objects.get(thread=thread, number=1)
    else:
        post = services.post_reply(thread=thread, author=people["timur"], body="Spam")
        services.post_set_hidden(post=post, actor=people["moderator"], hidden=True)

    response = login(people["asel"]).post(reverse("post_accept", args=[post.pk]), follow=True)

    assert (
        "Only a visible reply can be the accepted answer."
        in parse(response).find(class_="messages").text
    )
    assert Thread.objects.get(pk=thread.pk).accepted_post is None


def test_deleting_the_accepted_answer_unsolves_the_thread(login, thread, people):
    answer = services.post_reply(thread=thread, author=people["timur"], body="Use the app.")
    services.post_accept(post=answer, actor=people["asel"])

    login(people["timur"]).post(reverse("post_delete", args=[answer.pk]))

    assert Thread.objects.get(pk=thread.pk).accepted_post is None
