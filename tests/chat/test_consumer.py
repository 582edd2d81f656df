"""The chat websocket protocol (docs/realtime.md) against project.asgi.application.

These run on whichever channel layer the settings give: the in-memory layer in the embedded
configuration, channels-redis when REDIS_URL is set (CI runs both).
"""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from core import services as cop_services
from core.models import AuditEntry
from forums import realtime, services
from forums.models import ChatMessage, ChatReadState, ChatRoom

from .conftest import _application, joined

pytestmark = pytest.mark.django_db(transaction=True)

run = database_sync_to_async


def bodies(room) -> list[tuple[int, str]]:
    return list(ChatMessage.objects.filter(room=room).order_by("seq").values_list("seq", "body"))


# --- Connecting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "close_code"),
    [
        (None, "/ws/chat/one-stop-shop/general/", 4401),
        ("outsider", "/ws/chat/one-stop-shop/general/", 4403),
        ("alice", "/ws/chat/one-stop-shop/no-such-room/", 4404),
        ("alice", "/ws/chat/e-government/general/", 4403),
    ],
)
async def test_who_may_not_connect_is_refused_at_the_handshake(
    request, connect, room, alice, outsider, who, path, close_code
):
    user = request.getfixturevalue(who) if who else None
    chat = await connect(user, path, refused=True)
    assert chat.close_code == close_code
    assert await chat.communicator.receive_nothing(timeout=0.3)
    assert not await run(ChatMessage.objects.exists)()


@pytest.mark.parametrize("who", ["alice", "moderator", "staff"])
async def test_members_moderators_and_staff_connect_and_see_who_is_here(
    request, connect, room, alice, moderator, make_user, who
):
    if who == "staff":
        user = await run(make_user)("root", staff=True)
    else:
        user = request.getfixturevalue(who)
    chat = await joined(await connect(user))
    presence = chat.of_type("presence")[0]
    assert [person["username"] for person in presence["users"]] == [user.username]
    assert presence["last_seq"] == 0


async def test_a_page_from_another_site_cannot_open_the_chat(alice):
    from .conftest import session_cookie

    key = await run(session_cookie)(alice)
    communicator = WebsocketCommunicator(
        _application(),
        "/ws/chat/one-stop-shop/general/",
        headers=[(b"origin", b"https://evil.example"), (b"cookie", f"sessionid={key}".encode())],
    )
    connected, _code = await communicator.connect()
    assert connected is False  # refused by the origin check, before any consumer runs


# --- Messages -------------------------------------------------------------------------------------


async def test_two_members_see_each_others_messages_live(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))

    ack = await a.say("Сәлем, **Болат**! <script>alert(1)</script>", client_id="a-1")
    seen_by_b = await b.expect("message")

    assert seen_by_b == ack
    assert ack["seq"] == 1
    assert ack["client_id"] == "a-1"
    assert ack["author"]["username"] == "alice"
    assert ack["author"]["name"] == "Әлия Сейітова"
    assert "<strong>Болат</strong>" in ack["html"]
    assert "<script" not in ack["html"]

    answer = await b.say("Сәлем, Әлия!", client_id="b-1")
    assert (await a.expect("message"))["id"] == answer["id"]
    assert answer["seq"] == 2
    # Each side saw each message once: the sender's acknowledgement and the doorbell's copy
    # are one frame.
    assert await a.nothing_more()
    assert await b.nothing_more()
    assert await run(bodies)(room) == [(1, "Сәлем, **Болат**! <script>alert(1)</script>"),
                                       (2, "Сәлем, Әлия!")]  # fmt: skip


async def test_reconnecting_client_syncs_exactly_the_messages_it_missed(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    await a.say("before the tunnel")
    assert (await b.expect("message"))["seq"] == 1
    await b.communicator.disconnect()

    for n in range(3):
        await a.say(f"missed {n}")

    b = await joined(await connect(bob))
    await b.send({"type": "sync", "after": 1})
    replay = await b.messages(3)
    assert [(f["seq"], f["html"]) for f in replay] == [
        (2, "<p>missed 0</p>\n"),
        (3, "<p>missed 1</p>\n"),
        (4, "<p>missed 2</p>\n"),
    ]
    assert await b.nothing_more()

    await a.say("after the tunnel")
    assert (await b.expect("message"))["seq"] == 5
    assert await b.nothing_more()


async def test_a_message_arriving_between_reconnect_and_sync_is_delivered_once(
    connect, room, alice, bob
):
    a = await joined(await connect(alice))
    await a.say("one")
    await a.say("two")
    b = await joined(await connect(bob))  # knows nothing yet
    await a.say("three")  # live, before b asked for the past
    first = await b.expect("message")
    assert first["seq"] == 3, b.seen

    await b.send({"type": "sync", "after": 0})
    assert [f["seq"] for f in await b.messages(2)] == [1, 2]
    assert await b.nothing_more()
    assert sorted(f["seq"] for f in b.of_type("message")) == [1, 2, 3]


async def test_sync_further_back_than_the_limit_asks_for_a_resync(
    connect, room, alice, bob, say, settings, no_flood_limit
):
    settings.CHAT_SYNC_LIMIT = 5
    for n in range(6):
        await run(say)(alice, f"message {n}")
    b = await joined(await connect(bob))

    await b.send({"type": "sync", "after": 1})  # 5 messages: replayed
    assert [f["seq"] for f in await b.messages(5)] == [2, 3, 4, 5, 6]

    b = await joined(await connect(bob))
    await b.send({"type": "sync", "after": 0})  # 6 messages: too many
    assert await b.expect("resync") == {"type": "resync", "last_seq": 6}
    assert not b.of_type("message")


async def test_resending_a_client_id_creates_one_message(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    ack = await a.say("only once", client_id="retry-me")

    await a.send({"type": "send", "body": "only once", "client_id": "retry-me"})
    assert await a.nothing_more()  # this connection has delivered it already
    assert (await b.expect("message"))["id"] == ack["id"]
    assert await b.nothing_more()

    # After a reconnect, the retry is answered with the stored message.
    again = await joined(await connect(alice))
    assert (await again.say("only once", client_id="retry-me"))["id"] == ack["id"]
    assert await run(bodies)(room) == [(1, "only once")]


async def test_a_reply_quotes_the_message_it_answers(connect, room, alice, bob):
    a = await joined(await connect(alice))
    question = await a.say("Қай ведомство жауап береді?")
    b = await joined(await connect(bob))

    answer = await b.say("Әділет министрлігі.", reply_to=question["id"])

    assert answer["reply_to"] == {
        "id": question["id"],
        "seq": 1,
        "author": "Әлия Сейітова",
        "excerpt": "Қай ведомство жауап береді?",
    }
    assert (await a.expect("message"))["reply_to"]["id"] == question["id"]


async def test_a_mention_lands_in_the_inbox_of_the_person_named(connect, room, alice, bob):
    a = await joined(await connect(alice))
    ack = await a.say("@bob қараңызшы")

    assert 'href="/members/bob/"' in ack["html"]
    notes = await run(lambda: list(Notification.objects.filter(recipient=bob)))()
    assert [(n.kind, n.url) for n in notes] == [
        (Notification.Kind.CHAT_MENTION, "/c/one-stop-shop/chat/general/?at=1#m1")
    ]


async def test_read_frames_move_the_unread_marker(connect, room, alice, bob, say):
    for n in range(3):
        await run(say)(alice, f"m{n}")
    b = await joined(await connect(bob))
    await b.send({"type": "read", "seq": 2})
    await b.send({"type": "ping"})
    await b.expect("pong")
    state = await run(ChatReadState.objects.get)(user=bob, room=room)
    assert state.last_seq == 2


async def test_concurrent_senders_get_gapless_numbers_and_everyone_sees_all_in_order(
    connect, room, community, make_member, no_flood_limit
):
    people = [await run(make_member)(community, f"sender{n}") for n in range(4)]
    chats = [await joined(await connect(person)) for person in people]

    async def burst(n, chat):
        for k in range(5):
            await chat.send({"type": "send", "body": f"{n}-{k}", "client_id": f"{n}-{k}"})

    await asyncio.gather(*(burst(n, chat) for n, chat in enumerate(chats)))

    for chat in chats:
        frames = await chat.messages(20)
        assert [f["seq"] for f in frames] == list(range(1, 21))
        assert await chat.nothing_more()
    stored = await run(bodies)(room)
    assert [seq for seq, _body in stored] == list(range(1, 21))
    assert sorted(body for _seq, body in stored) == sorted(
        f"{n}-{k}" for n in range(4) for k in range(5)
    )


async def test_a_lost_doorbell_is_caught_up_from_the_database(
    connect, room, alice, bob, say, monkeypatch
):
    b = await joined(await connect(bob))
    await run(say)(alice, "rung")
    assert (await b.expect("message"))["seq"] == 1

    # The channel layer drops the next announcement (Redis restarting, a full channel...).
    monkeypatch.setattr(realtime, "announce_chat", lambda **kwargs: None)
    await run(say)(alice, "never rung")
    monkeypatch.undo()
    assert await b.nothing_more()

    await run(say)(alice, "rung again")  # arrives with a gap before it: filled in order
    assert [(f["seq"], f["html"]) for f in await b.messages(2)] == [
        (2, "<p>never rung</p>\n"),
        (3, "<p>rung again</p>\n"),
    ]

    monkeypatch.setattr(realtime, "announce_chat", lambda **kwargs: None)
    await run(say)(alice, "silent, then a ping")
    monkeypatch.undo()
    await b.send({"type": "ping"})  # the heartbeat catches up too
    assert (await b.expect("message"))["seq"] == 4
    assert (await b.expect("pong"))["last_seq"] == 4
    assert await b.nothing_more()


# --- Edits, deletions, threads --------------------------------------------------------------------


async def test_edits_and_deletions_reach_everyone_live(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    ack = await a.say("first draft")
    await b.expect("message")

    await a.send({"type": "edit", "id": ack["id"], "body": "final *text*"})
    for chat in (a, b):
        update = await chat.expect("update")
        assert update["seq"] == 1
        assert update["html"] == "<p>final <em>text</em></p>\n"
        assert update["edited"] is True

    await a.send({"type": "delete", "id": ack["id"]})
    for chat in (a, b):
        update = await chat.expect("update")
        assert update["deleted"] is True
        assert update["html"] == ""
        assert update["removed_by_moderator"] is False
    message = await run(ChatMessage.objects.get)(pk=ack["id"])
    assert message.is_deleted
    assert message.body == "final *text*"


async def test_members_cannot_edit_or_delete_other_peoples_messages(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    ack = await a.say("mine")
    await b.expect("message")

    await b.send({"type": "edit", "id": ack["id"], "body": "yours now"})
    error = await b.expect("error")
    assert (error["code"], error["id"]) == ("not_author", ack["id"])
    await b.send({"type": "delete", "id": ack["id"]})
    assert (await b.expect("error"))["code"] == "not_author"
    await b.send({"type": "delete", "id": 999_999})
    assert (await b.expect("error"))["code"] == "not_found"

    assert await a.nothing_more()
    message = await run(ChatMessage.objects.get)(pk=ack["id"])
    assert (message.body, message.is_deleted) == ("mine", False)


async def test_a_moderator_removes_a_message_and_the_audit_log_records_it(
    connect, room, alice, bob, moderator
):
    b = await joined(await connect(bob))
    m = await joined(await connect(moderator))
    ack = await b.say("something rude")
    await m.expect("message")

    await m.send({"type": "delete", "id": ack["id"]})

    update = await b.expect("update")
    assert (update["deleted"], update["removed_by_moderator"]) == (True, True)
    entry = await run(AuditEntry.objects.get)(action="chat.delete")
    assert (entry.actor_id, entry.target_id) == (moderator.pk, str(ack["id"]))
    assert entry.before["body"] == "something rude"


async def test_starting_a_thread_from_a_message_links_it_in_the_chat_live(
    connect, room, alice, bob
):
    a = await joined(await connect(alice))
    ack = await a.say("Let us discuss queues at the service centres")
    message = await run(ChatMessage.objects.select_related("room__community").get)(pk=ack["id"])

    thread = await run(services.thread_from_chat)(
        message=message, actor=alice, title="Queues at the service centres", language="en"
    )

    update = await a.expect("update")
    assert update["id"] == ack["id"]
    assert update["thread_url"] == f"/c/one-stop-shop/threads/{thread.pk}/"


# --- Presence and typing --------------------------------------------------------------------------


async def test_presence_announces_arrivals_and_departures_once_per_person(
    connect, room, alice, bob
):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    assert [p["username"] for p in b.of_type("presence")[0]["users"]] == ["bob", "alice"] or [
        p["username"] for p in b.of_type("presence")[0]["users"]
    ] == ["alice", "bob"]
    assert (await a.expect("presence"))["joined"]["username"] == "bob"

    second_tab = await joined(await connect(bob))
    assert await a.nothing_more(kinds=("presence",))
    await second_tab.communicator.disconnect()
    assert await a.nothing_more(kinds=("presence",))

    await b.communicator.disconnect()
    left = await a.expect("presence")
    assert left == {
        "type": "presence",
        "left": {"id": bob.pk, "username": "bob", "name": "Болат Жұмабаев"},
    }


async def test_typing_is_shown_to_the_others_and_throttled(connect, room, alice, bob):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    await a.expect("presence")  # bob arrived

    await a.send({"type": "typing"})
    typing = await b.expect("typing")
    assert typing["user"]["username"] == "alice"
    await a.send({"type": "typing"})  # within the throttle window: not repeated
    assert await b.nothing_more(kinds=("typing",))
    assert await a.nothing_more(kinds=("typing",))  # never one's own


# --- Refusals: the frame says why, the connection stays, nothing accepted is lost -----------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": 5}', "bad_frame"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "sync", "after": -1}', "bad_frame"),
        ('{"type": "sync", "after": "3"}', "bad_frame"),
        ('{"type": "send", "body": 5, "client_id": "x"}', "bad_frame"),
        ('{"type": "send", "body": "hi", "client_id": "' + "x" * 65 + '"}', "bad_frame"),
        ('{"type": "send", "body": "hi", "reply_to": "1"}', "bad_frame"),
        ('{"type": "edit", "id": "1", "body": "x"}', "bad_frame"),
        ('{"type": "read", "seq": null}', "bad_frame"),
        ('{"type": "send", "body": "   ", "client_id": "blank"}', "empty"),
    ],
)
async def test_a_bad_frame_gets_an_error_frame_and_the_connection_stays_open(
    connect, room, alice, raw, code
):
    a = await joined(await connect(alice))
    await a.say("accepted before")

    await a.communicator.send_to(text_data=raw)
    error = await a.expect("error")
    assert error["code"] == code
    assert error["message"]

    after = await a.say("accepted after")
    assert after["seq"] == 2
    assert await run(bodies)(room) == [(1, "accepted before"), (2, "accepted after")]


async def test_binary_and_oversized_frames_are_refused_without_closing(connect, room, alice):
    a = await joined(await connect(alice))
    await a.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await a.expect("error"))["code"] == "bad_frame"
    await a.communicator.send_to(text_data='{"type": "send", "body": "' + "я" * 20_000 + '"}')
    assert (await a.expect("error"))["code"] == "too_large"
    assert (await a.say("still here"))["seq"] == 1


async def test_bodies_are_limited_to_4000_characters(connect, room, alice):
    a = await joined(await connect(alice))
    await a.send({"type": "send", "body": "ә" * 4001, "client_id": "long"})
    error = await a.expect("error")
    assert (error["code"], error["client_id"]) == ("too_long", "long")
    assert "4001" in error["message"]
    assert "4000" in error["message"]

    ack = await a.say("ә" * 4000, client_id="just-fits")
    assert ack["seq"] == 1
    assert await run(bodies)(room) == [(1, "ә" * 4000)]


async def test_a_flood_is_refused_for_the_flooder_only(
    connect, room, alice, bob, settings, monkeypatch
):
    settings.CHAT_FLOOD_MESSAGES = 8
    settings.CHAT_FLOOD_SECONDS = 10
    monkeypatch.setattr("forums.services.flood.time.time", lambda: 1_000_005.0)  # mid-window
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))

    for n in range(8):
        await a.say(f"burst {n}", client_id=f"burst-{n}")
    await a.send({"type": "send", "body": "one too many", "client_id": "burst-8"})
    error = await a.expect("error")
    assert (error["code"], error["client_id"]) == ("flood", "burst-8")

    assert (await b.say("I can still talk"))["seq"] == 9
    stored = await run(bodies)(room)
    assert [body for _seq, body in stored] == [f"burst {n}" for n in range(8)] + [
        "I can still talk"
    ]


async def test_a_muted_member_reads_but_cannot_write(connect, room, alice, bob, moderator):
    await run(services.member_mute)(room=room, actor=moderator, user=bob, minutes=10)
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))

    await b.send({"type": "send", "body": "let me speak", "client_id": "muted-1"})
    error = await b.expect("error")
    assert (error["code"], error["client_id"]) == ("muted", "muted-1")
    await b.send({"type": "typing"})
    assert (await b.expect("error"))["code"] == "muted"

    await a.say("bob can read this")
    assert (await b.expect("message"))["seq"] == 1
    assert await run(bodies)(room) == [(1, "bob can read this")]


async def test_a_mute_or_an_archive_stops_the_very_next_message(
    connect, room, alice, bob, moderator
):
    b = await joined(await connect(bob))
    await b.say("before the mute")
    await run(services.member_mute)(room=room, actor=moderator, user=bob, minutes=10)
    await b.send({"type": "send", "body": "after the mute", "client_id": "m"})
    assert (await b.expect("error"))["code"] == "muted"

    a = await joined(await connect(alice))
    await run(services.room_update)(
        room=room, actor=moderator, name=room.name, description="", archived=True
    )
    await a.send({"type": "send", "body": "into the archive", "client_id": "arch"})
    assert (await a.expect("error"))["code"] == "archived"
    assert await run(bodies)(room) == [(1, "before the mute")]


async def test_error_frames_speak_the_readers_language(connect, room, alice, translations):
    translations("ru", {"This frame is not valid JSON.": "Кадр не является корректным JSON."})
    translations("kk", {"This frame is not valid JSON.": "Кадр дұрыс JSON емес."})

    russian = await joined(await connect(alice, headers=((b"accept-language", b"ru,en;q=0.5"),)))
    kazakh = await joined(await connect(alice, cookies={"django_language": "kk"}))
    for chat in (russian, kazakh):
        await chat.communicator.send_to(text_data="{oops")
    assert (await russian.expect("error"))["message"] == "Кадр не является корректным JSON."
    assert (await kazakh.expect("error"))["message"] == "Кадр дұрыс JSON емес."


# --- Leaving: removed from the community, signed out ----------------------------------------------


async def test_a_member_removed_from_the_community_is_disconnected_at_once(
    connect, room, community, alice, bob, moderator
):
    b = await joined(await connect(bob))
    await run(cop_services.membership_remove)(actor=moderator, user=bob, community=community)

    assert await b.closed() == 4403
    assert b.of_type("error")[-1]["code"] == "not_member"


def _log_out(session_key: str) -> None:
    client = Client()
    client.cookies["sessionid"] = session_key
    client.post(reverse("account_logout"))


def _delete_session(session_key: str) -> None:
    Session.objects.filter(session_key=session_key).delete()


@pytest.mark.parametrize(
    "how",
    ["sign-out in another tab", "session deleted", "password changed", "account deactivated"],
)
async def test_a_connection_ends_with_its_session(connect, room, alice, bob, how):
    b = await joined(await connect(bob))
    if how == "sign-out in another tab":
        await run(_log_out)(b.session_key)  # rings the doorbell: no frame needed
    else:
        if how == "session deleted":
            await run(_delete_session)(b.session_key)
        elif how == "password changed":
            bob.set_password("a-new-secret-2026")
            await run(bob.save)()
        else:
            bob.is_active = False
            await run(bob.save)()
        # Noticed on the next frame, which is not acted upon.
        await b.send({"type": "send", "body": "am I still here?", "client_id": "ghost"})

    assert await b.closed() == 4401
    assert b.of_type("error")[-1]["code"] == "signed_out"
    assert await run(bodies)(room) == []


async def test_archived_rooms_can_be_read_live_but_not_written(
    connect, community, alice, moderator
):
    archive = await run(services.room_create)(community=community, actor=moderator, name="Archive")
    await run(services.room_update)(
        room=archive, actor=moderator, name="Archive", description="", archived=True
    )
    a = await joined(await connect(alice, "/ws/chat/one-stop-shop/archive/"))
    await a.send({"type": "send", "body": "hello?", "client_id": "x"})
    assert (await a.expect("error"))["code"] == "archived"
    assert await run(ChatRoom.objects.filter(pk=archive.pk, last_seq=0).exists)()
