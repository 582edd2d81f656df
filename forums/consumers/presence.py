"""Presence doorbells of a chat room, merged in bursts.

A room hears at most PRESENCE_BURST arrivals or departures per second one by one from each
server process; beyond that (a lecture starting, a benchmark connecting hundreds) the changes
of the second are merged into one list of who is here. Without this, N people arriving would
cost N × N frames.
"""

from __future__ import annotations

import asyncio
import time

from channels.db import database_sync_to_async

from core.realtime import asend_event, encoded
from forums.frames import presence_frame
from forums.models import ChatRoom
from forums.realtime import room_group
from forums.services.presence import presence_list

PRESENCE_BURST = 5
PRESENCE_WINDOW = 1.0


class _Throttle:
    """Per event loop and room: how many presence doorbells this window, and whether a merged
    list is already scheduled."""

    def __init__(self):
        self.window_start = 0.0
        self.count = 0
        self.scheduled = False


_throttles: dict[tuple[int, int], _Throttle] = {}


async def presence_announce(room: ChatRoom, event: dict) -> None:
    """Ring the room about one arrival or departure (a ``chat.presence`` event), or, in a
    burst, schedule one merged list of who is here at the end of the window."""
    loop = asyncio.get_running_loop()
    key = (id(loop), room.pk)
    throttle = _throttles.setdefault(key, _Throttle())
    now = time.monotonic()
    if now - throttle.window_start >= PRESENCE_WINDOW:
        throttle.window_start, throttle.count = now, 0
    if throttle.count < PRESENCE_BURST and not throttle.scheduled:
        throttle.count += 1
        await asend_event(room_group(room.pk), encoded(event, presence_frame(event)))
        return
    if not throttle.scheduled:
        throttle.scheduled = True
        delay = max(0.0, throttle.window_start + PRESENCE_WINDOW - now)
        loop.call_later(delay, lambda: asyncio.ensure_future(_flush(key, room)))


async def _flush(key: tuple[int, int], room: ChatRoom) -> None:
    throttle = _throttles.get(key)
    if throttle is None:
        return
    people = await database_sync_to_async(presence_list)(room=room)
    throttle.scheduled = False
    throttle.window_start, throttle.count = time.monotonic(), PRESENCE_BURST
    event = {"type": "chat.presence", "users": people}
    # Encoded once for the whole room: the list can be a few hundred names long.
    await asend_event(room_group(room.pk), encoded(event, presence_frame(event)))
