"""Property-based fuzzing (hypothesis, a bounded number of examples) of every websocket frame
type, on the chat and live sockets: no frame breaks the connection or logs a traceback, and
every socket, once closed, leaves nothing behind in the room's presence or fan-out. The suite
runs on both channel layers (in-memory and channels-redis), so this does too."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forums import fanout
from forums.models import ChatMessage, ChatPresence
from forums.realtime import room_group
from tests.chat.conftest import joined

FRAME_EXAMPLES = 40  # bounded: soaks belong in bench/

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
FRAME_TYPES = ["send", "sync", "typing", "edit", "delete", "read", "ping", "watch", "unknown"]
FRAME_KEYS = ["body", "client_id", "reply_to", "after", "id", "seq", "thread"]
FRAMES = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(FRAME_TYPES)},
        optional={key: JSON_VALUES for key in FRAME_KEYS},
    ).map(json.dumps),
    st.text(min_size=1, max_size=60),  # not even JSON (a test client cannot send "")
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
)


def listeners(room) -> int:
    shared = fanout._fanouts.get(asyncio.get_running_loop(), {})
    room_fanout = shared.get((id(get_channel_layer()), room_group(room.pk)))
    return len(room_fanout.listeners) if room_fanout else 0


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=FRAME_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=st.lists(FRAMES, min_size=1, max_size=6), path=st.sampled_from(["chat", "live"]))
async def test_no_frame_breaks_a_socket_or_leaves_it_behind(
    connect, room, alice, no_flood_limit, caplog, frames, path
):
    caplog.clear()
    if path == "chat":
        socket = await joined(await connect(alice))
    else:
        socket = await connect(alice, "/ws/live/")
    try:
        for raw in frames:
            await socket.communicator.send_to(text_data=raw)
        await socket.send({"type": "ping"})
        while (await socket.receive())["type"] != "pong":
            pass  # every frame was answered (or not) and the socket is still there
    finally:
        await socket.communicator.disconnect()

    assert listeners(room) == 0
    assert not await database_sync_to_async(ChatPresence.objects.filter(room=room).exists)()
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    await database_sync_to_async(ChatMessage.objects.filter(room=room).delete)()
