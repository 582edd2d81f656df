"""Deleted or removed content is gone from every place derived from it.

One table: each row is a place that shows something derived from a post or a chat message
(the inbox, search, cached pages, chat history, "start a thread from here", "discussed in",
revisions...), and a way of removing the content (the author deletes, a moderator hides or
deletes, the thread is deleted). Every row writes a secret word, removes it, and looks for the
word where a reader would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from forums import services
from forums.frames import message_frame
from forums.models import ChatMessage, ChatRoom
from forums.selectors import messages_after
from resources import services as library_services
from resources.selectors import discussion_list
from search.query import SearchParams, search

SECRET = "Qupiyasöz"


@dataclass
class World:
    community: object
    author: object
    reader: object
    moderator: object
    room: ChatRoom
    login: Callable
    client: Client


@pytest.fixture
def world(communities, make_member, login, client) -> World:
    community = communities["one-stop-shop"]
    return World(
        community=community,
        author=make_member(community, "author"),
        reader=make_member(community, "reader"),
        moderator=make_member(community, "moderator", role="moderator"),
        room=ChatRoom.objects.select_related("community").get(community=community, slug="general"),
        login=login,
        client=client,
    )


# --- Posts: written, then removed in one of three ways ----------------------------------------


def _reply(w: World):
    thread = services.thread_create(
        community=w.community, author=w.reader, title="Queues at centres", body="Hi.", language="en"
    )
    post = services.post_reply(thread=thread, author=w.author, body=f"{SECRET} @reader")
    return thread, post


REMOVALS = {
    "deleted by its author": lambda w, thread, post: services.post_delete(
        post=post, actor=w.author
    ),
    "hidden by a moderator": lambda w, thread, post: services.post_set_hidden(
        post=post, actor=w.moderator, hidden=True, reason="spam"
    ),
    "its thread deleted": lambda w, thread, post: services.thread_delete(
        thread=thread, actor=w.moderator
    ),
}


def inbox(w: World, thread, post) -> str:
    assert not Notification.objects.filter(recipient=w.reader, excerpt__contains=SECRET).exists()
    return w.login(w.reader).get("/notifications/").content.decode()


def search_results(w: World, thread, post) -> str:
    result = search(user=w.reader, params=SearchParams(q=SECRET))
    return " ".join(f"{hit.title} {hit.snippet}" for hit in result.results)


def visitor_page(w: World, thread, post) -> str:
    response = w.client.get(thread.get_absolute_url())
    return response.content.decode() if response.status_code == HTTPStatus.OK else ""


def member_page(w: World, thread, post) -> str:
    response = w.login(w.reader).get(thread.get_absolute_url())
    return response.content.decode() if response.status_code == HTTPStatus.OK else ""


def new_posts(w: World, thread, post) -> str:
    url = reverse("posts_new", args=[thread.community.slug, thread.pk])
    response = w.client.get(url, {"after": 0})
    return response.content.decode() if response.status_code == HTTPStatus.OK else ""


def post_history(w: World, thread, post) -> str:
    response = w.login(w.reader).get(reverse("post_history", args=[post.pk]))
    return response.content.decode() if response.status_code == HTTPStatus.OK else ""


def discussed_in(w: World, thread, post) -> str:
    # The post linked a library resource: the resource's page must not list it any more.
    resource = w.cited
    return " ".join(d.title for d in discussion_list(resource=resource))


POST_PLACES = {
    "the inbox": inbox,
    "search": search_results,
    "the thread page a visitor sees (cached)": visitor_page,
    "the thread page a member sees": member_page,
    "the live page's new posts": new_posts,
    "the post's history": post_history,
    "a resource's 'discussed in'": discussed_in,
}


@pytest.mark.parametrize("place", POST_PLACES)
@pytest.mark.parametrize("removal", REMOVALS)
def test_a_removed_post_leaves_no_trace(world, make_user, place, removal):
    staff = make_user("curator", staff=True)
    world.cited = library_services.resource_submit(
        actor=staff,
        data={"title": "Cited case", "summary": "S.", "kind": "case", "language": "en"},
        communities=[world.community],
        publish=True,
    )
    thread, post = _reply(world)
    services.post_edit(
        post=post, editor=world.author, body=f"{SECRET} @reader /library/{world.cited.pk}/"
    )
    visitor_page(world, thread, post)  # cached while the post was visible
    assert SECRET in visitor_page(world, thread, post)
    assert discussion_list(resource=world.cited)

    REMOVALS[removal](world, thread, post)

    seen = POST_PLACES[place](world, thread, post)
    assert SECRET not in seen
    if place == "a resource's 'discussed in'":
        assert seen == ""


# --- Chat messages -------------------------------------------------------------------------------


def _message(w: World, **extra) -> ChatMessage:
    sent = services.message_send(room=w.room, author=w.author, body=f"{SECRET} @reader", **extra)
    return sent.message


def chat_inbox(w: World, message) -> str:
    return inbox(w, None, None)


def chat_search(w: World, message) -> str:
    return search_results(w, None, None)


def chat_history(w: World, message) -> str:
    url = reverse("room_history", args=["one-stop-shop", "general"])
    return w.login(w.reader).get(url, {"after": 0}).content.decode()


def chat_room_page(w: World, message) -> str:
    return w.login(w.reader).get(w.room.get_absolute_url()).content.decode()


def chat_sync_frames(w: World, message) -> str:
    return str([message_frame(m) for m in messages_after(room=w.room, after=0, limit=50)])


def chat_reply_preview(w: World, message) -> str:
    reply = services.message_send(
        room=w.room, author=w.reader, body="answering", reply_to_id=message.pk
    ).message
    return str(message_frame(ChatMessage.objects.get(pk=reply.pk)))


def chat_thread_from_message(w: World, message) -> str:
    response = w.login(w.reader).get(reverse("thread_from_message", args=[message.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    return response.content.decode()


CHAT_PLACES = {
    "the inbox": chat_inbox,
    "search": chat_search,
    "the room's history (JSON)": chat_history,
    "the room page": chat_room_page,
    "sync frames": chat_sync_frames,
    "a reply's preview of it": chat_reply_preview,
    "start a thread from here": chat_thread_from_message,
}


@pytest.mark.parametrize("place", CHAT_PLACES)
@pytest.mark.parametrize("by", ["its author", "a moderator"])
def test_a_deleted_chat_message_leaves_no_trace(world, place, by):
    message = _message(world)
    assert Notification.objects.filter(recipient=world.reader, excerpt__contains=SECRET).exists()

    actor = world.author if by == "its author" else world.moderator
    services.message_delete(message=message, actor=actor)

    assert SECRET not in CHAT_PLACES[place](world, message)
