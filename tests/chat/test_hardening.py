"""Bad frames and failing handlers: the connection survives where it can, and whatever way a
consumer ends, nothing of it stays behind (presence rows, the room's fan-out, groups)."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from core.realtime import user_group
from forums import fanout
from forums.consumers import ChatConsumer, LiveConsumer
from forums.models import ChatPresence
from forums.realtime import room_group
from tests.chat.conftest import joined

pytestmark = pytest.mark.django_db(transaction=True)


def listeners(room) -> int:
    """Connections of this process's event loop subscribed to the room's fan-out."""
    shared = fanout._fanouts.get(asyncio.get_running_loop(), {})
    room_fanout = shared.get((id(get_channel_layer()), room_group(room.pk)))
    return len(room_fanout.listeners) if room_fanout else 0


@database_sync_to_async
def present(room) -> list[int]:
    return sorted(ChatPresence.objects.filter(room=room).values_list("user_id", flat=True))


async def still_answers(chat) -> None:
    await chat.send({"type": "ping"})
    assert (await chat.expect("pong"))["type"] == "pong"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("[" * 10_000 + "]" * 10_000, "too_deep"),
        ('{"type": "send", "body": ' + "[" * 50 + "]" * 50 + "}", "too_deep"),
        ("{" * 3000, "too_deep"),
        ('{"type": "send", "body": "\\u0000 NUL", "client_id": "n1"}', "control_char"),
        ('{"type": "send", "body": "bell \\u0007", "client_id": "n2"}', "control_char"),
        ('{"type": "sync", "after": 1e400}', "bad_frame"),
        ('{"type": "send", "body": "a lone surrogate \\ud800"}', "control_char"),
        ("not json", "bad_json"),
        ('"a string"', "bad_frame"),
    ],
)
async def test_a_malformed_frame_is_answered_and_the_socket_stays(connect, room, alice, raw, code):
    chat = await joined(await connect(alice))

    await chat.communicator.send_to(text_data=raw)

    error = await chat.expect("error")
    assert error["code"] == code
    assert error["message"]
    await still_answers(chat)
    assert await present(room) == [alice.pk]


async def test_the_live_socket_survives_a_deeply_nested_frame_from_anyone(connect):
    live = await connect(None, "/ws/live/")
    await live.communicator.send_to(text_data="[" * 20_000)
    assert (await live.expect("error"))["code"] == "too_deep"
    await live.communicator.send_to(text_data="[" * 100_000)
    assert (await live.expect("error"))["code"] == "too_large"
    await still_answers(live)


async def test_a_handler_that_fails_answers_an_error_and_keeps_the_connection(
    connect, room, alice, monkeypatch
):
    async def broken(self, content):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(ChatConsumer, "on_typing", broken)
    chat = await joined(await connect(alice))

    await chat.send({"type": "typing"})

    assert (await chat.expect("error"))["code"] == "internal_error"
    await still_answers(chat)
    assert listeners(room) == 1
    await chat.communicator.disconnect()
    assert await present(room) == []
    assert listeners(room) == 0


async def test_a_consumer_that_crashes_still_cleans_up(connect, room, alice, bob, monkeypatch):
    """The failure escapes the handler's guard (its error frame cannot be sent either): the
    consumer ends, and its cleanup runs although the client never closed."""

    async def broken(self, content):
        raise RuntimeError("a bug in a handler")

    async def cannot_report(self, code, message, **extra):
        raise RuntimeError("and the error frame fails too")

    watcher = await joined(await connect(bob))
    chat = await joined(await connect(alice))
    await watcher.expect("presence")  # alice arrived
    assert await present(room) == sorted([alice.pk, bob.pk])
    assert listeners(room) == 2
    monkeypatch.setattr(ChatConsumer, "on_typing", broken)
    monkeypatch.setattr(ChatConsumer, "send_error", cannot_report)

    await chat.send({"type": "typing"})

    assert await chat.closed() == 1011
    left = await watcher.expect("presence")
    assert left["left"]["id"] == alice.pk  # the room was told
    assert await present(room) == [bob.pk]
    assert listeners(room) == 1


async def test_a_failing_doorbell_handler_does_not_end_the_connection(connect, alice, monkeypatch):
    live = await connect(alice, "/ws/live/")
    assert (await live.expect("notifications"))["unread"] == 0

    async def broken(self, event):
        raise RuntimeError("a bug in a doorbell")

    monkeypatch.setattr(LiveConsumer, "user_notifications", broken)
    await get_channel_layer().group_send(user_group(alice.pk), {"type": "user.notifications"})

    await still_answers(live)
