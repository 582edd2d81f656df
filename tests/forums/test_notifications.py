"""What thread actions put in people's inboxes, and that each entry leads to the exact post."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Notification
from forums import services
from forums.models import Post
from tests.htmltree import parse


@pytest.fixture
def people(community, make_member, make_user):
    return {
        "asker": make_member(community, "asker", display_name="Asker"),
        "helper": make_member(community, "helper", display_name="Helper"),
        "follower": make_member(community, "follower", display_name="Follower"),
        "bystander": make_member(community, "bystander", display_name="Bystander"),
        "outsider": make_user("outsider", display_name="Outsider"),
        "moderator": make_member(community, "moderator", role="moderator"),
    }


@pytest.fixture
def thread(community, people, start_thread):
    thread = start_thread(community, people["asker"], title="Service standards for centres")
    services.thread_follow(thread=thread, user=people["follower"], follow=True)
    return thread


def _inbox(user) -> list[tuple]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("id")
        .values_list("kind", "actor__username", "url")
    )


def _reply(client, thread, body: str) -> Post:
    client.post(reverse("post_reply", args=[thread.community.slug, thread.pk]), {"body": body})
    return Post.objects.filter(thread=thread).order_by("-number").first()


def test_a_reply_notifies_followers_but_not_its_author(login, thread, people):
    post = _reply(login(people["helper"]), thread, "Publish the standards online.")

    url = post.get_absolute_url()
    assert _inbox(people["asker"]) == [("reply", "helper", url)]
    assert _inbox(people["follower"]) == [("reply", "helper", url)]
    assert _inbox(people["helper"]) == []
    assert _inbox(people["bystander"]) == []
    note = Notification.objects.filter(recipient=people["asker"]).get()
    assert note.title == "Service standards for centres"
    assert note.excerpt == "Publish the standards online."
    assert note.data == {"thread": thread.pk, "post": post.pk, "number": 2}

    # The helper now follows too (they posted), and hears about the next reply.
    _reply(login(people["asker"]), thread, "Thanks!")
    assert [kind for kind, *_ in _inbox(people["helper"])] == ["reply"]


def test_unfollowing_stops_reply_notifications(login, thread, people):
    login(people["follower"]).post(
        reverse("thread_follow", args=[thread.community.slug, thread.pk]), {"follow": "0"}
    )

    _reply(login(people["helper"]), thread, "Another reply.")

    assert _inbox(people["follower"]) == []


def test_a_mention_notifies_the_person_once(login, thread, people):
    post = _reply(login(people["helper"]), thread, "@bystander @asker @Bystander @nobody see this")

    url = post.get_absolute_url()
    assert _inbox(people["bystander"]) == [("mention", "helper", url)]
    # The author follows the thread; being mentioned replaces the reply notification.
    assert _inbox(people["asker"]) == [("mention", "helper", url)]
    assert _inbox(people["follower"]) == [("reply", "helper", url)]


def test_quoting_a_post_does_not_ping_the_people_it_mentioned_again(login, thread, people):
    first = _reply(login(people["helper"]), thread, "Ask @bystander about it.")
    Notification.objects.all().delete()
    body = services.post_quote_body(post=first) + "Did anyone ask?"

    quoting = _reply(login(people["follower"]), thread, body)

    assert _inbox(people["bystander"]) == []
    # The quoted author hears of it as a follower of the thread, and the quote links to them.
    assert _inbox(people["helper"]) == [("reply", "follower", quoting.get_absolute_url())]
    assert f'href="{first.get_absolute_url()}"' in quoting.html


def test_mentioning_yourself_notifies_nobody(login, thread, people):
    _reply(login(people["bystander"]), thread, "As @bystander I say so.")
    assert _inbox(people["bystander"]) == []


def test_people_mentioned_in_a_new_thread_are_notified(login, community, people):
    login(people["helper"]).post(
        reverse("thread_create", args=[community.slug]),
        {"title": "Question for @asker", "body": "@asker what do you think?", "language": "en"},
    )

    opening = Post.objects.get(number=1)
    assert _inbox(people["asker"]) == [("mention", "helper", opening.get_absolute_url())]


def test_an_edit_notifies_only_people_newly_mentioned(login, thread, people):
    browser = login(people["helper"])
    post = _reply(browser, thread, "Ask @bystander.")
    edit = reverse("post_edit", args=[post.pk])

    browser.post(edit, {"body": "Ask @bystander or @follower."})
    browser.post(edit, {"body": "Ask @bystander or @follower, really."})

    assert [k for k, *_ in _inbox(people["bystander"])] == ["mention"]
    assert [k for k, *_ in _inbox(people["follower"])] == ["reply", "mention"]


def test_accepting_an_answer_notifies_its_author(login, thread, people):
    answer = services.post_reply(thread=thread, author=people["helper"], body="Answer")
    Notification.objects.all().delete()

    login(people["asker"]).post(reverse("post_accept", args=[answer.pk]), {"accept": "1"})
    login(people["asker"]).post(reverse("post_accept", args=[answer.pk]), {"accept": "0"})

    assert _inbox(people["helper"]) == [("accepted", "asker", answer.get_absolute_url())]
    assert _inbox(people["asker"]) == []


def test_the_inbox_entry_leads_to_the_exact_post_on_its_page(login, thread, people):
    for n in range(25):
        services.post_reply(thread=thread, author=people["bystander"], body=f"Filler {n}")
    post = _reply(login(people["helper"]), thread, "Ping @follower")
    note = Notification.objects.get(recipient=people["follower"], kind="mention")
    browser = login(people["follower"])

    inbox = parse(browser.get(reverse("notification_list")))
    bell = inbox.find("a", class_="bell").find(class_="badge")
    opened = browser.post(reverse("notification_open", args=[note.pk]))
    landed = browser.get(opened["Location"])

    assert bell.text == str(Notification.objects.filter(recipient=people["follower"]).count())
    entry = inbox.one("form", action=reverse("notification_open", args=[note.pk])).one("button")
    assert entry.text == "Helper mentioned you in “Service standards for centres”"
    assert opened["Location"] == post.get_absolute_url()
    assert landed.status_code == HTTPStatus.FOUND
    assert landed["Location"] == f"{thread.get_absolute_url()}?page=2#p27"
    page = parse(browser.get(landed["Location"]))
    assert "Ping" in page.find("article", id="p27").text
    assert Notification.objects.get(pk=note.pk).read_at is not None
