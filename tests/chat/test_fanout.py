"""One subscription per room per process (forums/fanout.py), on whichever channel layer the
settings give, and what each connection does with what it is offered."""

from __future__ import annotations

import asyncio
import threading

import pytest
from autobahn.exception import Disconnected
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django import db

from forums import fanout, realtime
from forums.consumers import ChatConsumer

from .conftest import joined

run = database_sync_to_async


class Recorder:
    """A listener that writes down what it is offered (or fails, like a closed connection)."""

    def __init__(self, fail: bool = False):
        self.events: list[dict] = []
        self.fail = fail

    async def offer(self, event):
        if self.fail:
            raise Disconnected("Attempt to send on a closed protocol")
        self.events.append(event)


async def until(condition, wait: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + wait
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


@pytest.fixture
async def layer():
    layer = get_channel_layer()
    await layer.flush()
    yield layer
    await layer.flush()


async def test_listeners_share_one_subscription_and_all_get_each_event_in_order(layer):
    room = fanout.room_fanout(layer, "chat.test-share")
    assert fanout.room_fanout(layer, "chat.test-share") is room  # one per room and loop
    first, second, closed = Recorder(), Recorder(), Recorder(fail=True)
    for listener in (first, closed, second):
        await room.join(listener)
    channel = room.channel
    assert channel is not None
    assert len(room.listeners) == 3

    for n in range(5):
        await layer.group_send("chat.test-share", {"type": "chat.frame", "n": n})
    await until(lambda: len(second.events) == 5)
    # A listener that fails (a connection closing) does not keep the others from their events.
    assert [e["n"] for e in first.events] == [e["n"] for e in second.events] == list(range(5))

    await room.leave(first)
    await room.leave(closed)
    assert room.channel == channel  # someone is still listening
    await room.leave(second)
    assert room.channel is None
    assert room.task is None

    # Unsubscribed: nothing is delivered to a listener that has left.
    await layer.group_send("chat.test-share", {"type": "chat.frame", "n": 99})
    await asyncio.sleep(0.3)
    assert [e["n"] for e in second.events] == list(range(5))

    # A new first listener subscribes again.
    again = Recorder()
    await room.join(again)
    await layer.group_send("chat.test-share", {"type": "chat.frame", "n": 6})
    await until(lambda: again.events)
    assert again.events[0]["n"] == 6
    await room.leave(again)


async def test_the_subscription_rejoins_its_group_while_it_lasts(layer, monkeypatch):
    monkeypatch.setattr(fanout, "REJOIN_EVERY", 0.05)
    joins: list[str] = []
    real_group_add = layer.group_add

    async def counting_group_add(group, channel):
        joins.append(group)
        await real_group_add(group, channel)

    monkeypatch.setattr(layer, "group_add", counting_group_add)
    room = fanout.room_fanout(layer, "chat.test-rejoin")
    listener = Recorder()
    await room.join(listener)
    await until(lambda: len(joins) >= 3)
    await layer.group_send("chat.test-rejoin", {"type": "chat.frame", "n": 1})
    await until(lambda: listener.events)
    await room.leave(listener)


@pytest.mark.django_db(transaction=True)
async def test_connections_to_a_room_share_one_subscription(connect, room, alice, bob, say):
    a = await joined(await connect(alice))
    b = await joined(await connect(bob))
    shared = fanout.room_fanout(get_channel_layer(), realtime.room_group(room.pk))
    assert len(shared.listeners) == 2
    assert shared.channel is not None

    await run(say)(alice, "to both")
    assert (await a.expect("message"))["html"] == (await b.expect("message"))["html"]

    await a.communicator.disconnect()
    await until(lambda: len(shared.listeners) == 1)
    await b.communicator.disconnect()
    await until(lambda: shared.channel is None)


@pytest.mark.django_db(transaction=True)
async def test_a_busy_connection_does_not_hold_up_the_room_and_misses_nothing(
    connect, room, alice, bob, say, monkeypatch
):
    """Bob's connection is in the middle of a slow replay from the database when new messages
    arrive: Alice gets them at once; Bob gets them after his replay, once each, in order."""
    await run(say)(alice, "before")
    b = await joined(await connect(bob))  # first in the room's list of connections
    a = await joined(await connect(alice))

    release = threading.Event()
    replaying = threading.Event()
    real_frames_after = ChatConsumer._frames_after

    def slow_frames_after(self, after, limit):
        if self.user.pk == bob.pk:
            replaying.set()
            release.wait(30)
        return real_frames_after(self, after, limit)

    def say_elsewhere(body):
        # Not through database_sync_to_async: its one thread is the one Bob's replay holds.
        try:
            say(alice, body)
        finally:
            db.connection.close()

    monkeypatch.setattr(ChatConsumer, "_frames_after", slow_frames_after)
    await b.send({"type": "sync", "after": 0})
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, replaying.wait, 10)

    await loop.run_in_executor(None, say_elsewhere, "while bob waits 1")
    await loop.run_in_executor(None, say_elsewhere, "while bob waits 2")
    # Not held up by Bob (who stays blocked until Alice has both, or for 30 s).
    assert [(await a.expect("message", wait=5))["seq"] for _ in range(2)] == [2, 3]

    release.set()
    frames = await b.messages(3)
    assert [(f["seq"], f["html"]) for f in frames] == [
        (1, "<p>before</p>\n"),
        (2, "<p>while bob waits 1</p>\n"),
        (3, "<p>while bob waits 2</p>\n"),
    ]
    assert await b.nothing_more()


async def test_a_frame_for_a_connection_that_just_closed_is_dropped_quietly():
    consumer = ChatConsumer()

    async def closed_send(message):
        raise Disconnected("Attempt to send on a closed protocol")

    consumer.base_send = closed_send
    await consumer.send(text_data="{}")  # no exception: the disconnect is on its way
