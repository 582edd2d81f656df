"""One channel-layer subscription per chat room per server process.

Channels gives every connection a channel of its own: an event published once to a room is
queued once per connection in the room, and every connection's task wakes for it (a task, an
``asyncio.wait`` and a dispatch apiece). In a room of hundreds that machinery was most of what a
message cost the server (docs/benchmarks.md). Here the connections to one room in one process
share one channel in the room's group: one task receives each event and offers it to every
connection in turn, in the same order for all of them.

A connection takes an event at once when it can: the next message in ``seq`` order, an update,
typing or presence, all encoded once by whoever rang. Otherwise (it is busy answering its own
client, or the event needs the database: a gap to fill) the event waits in that connection's
backlog, which it works through in order; the other connections do not wait for it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import Protocol

from core import metrics

logger = logging.getLogger(__name__)

# The in-memory layer forgets a group membership after a day (``group_expiry``); the shared
# subscription can outlive that, so it joins the group again this often.
REJOIN_EVERY = 3600.0


class Listener(Protocol):
    async def offer(self, event: dict) -> None: ...


class RoomFanout:
    """The connections to one room on this process's event loop, and their shared channel."""

    def __init__(self, layer, group: str):
        self.layer = layer
        self.group = group
        self.listeners: dict[Listener, None] = {}  # an ordered set
        self.channel: str | None = None
        self.task: asyncio.Task | None = None
        self.lock = asyncio.Lock()  # joins and leaves that (un)subscribe

    async def join(self, listener: Listener) -> None:
        """From when this returns, the listener is offered every event published to the group."""
        async with self.lock:
            if self.task is None:
                channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, channel)
                self.channel = channel
                self.task = asyncio.create_task(self._pump(channel), name=f"fanout {self.group}")
                metrics.ROOMS.inc()
            self.listeners[listener] = None

    async def leave(self, listener: Listener) -> None:
        async with self.lock:
            self.listeners.pop(listener, None)
            if self.listeners or self.task is None:
                return
            task, channel = self.task, self.channel
            self.task = self.channel = None
            metrics.ROOMS.dec()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            try:
                await self.layer.group_discard(self.group, channel)
            except Exception:
                logger.warning("channel layer: could not leave %s", self.group, exc_info=True)

    async def _pump(self, channel: str) -> None:
        receiving: asyncio.Future | None = None
        try:
            while True:
                if receiving is None:
                    receiving = asyncio.ensure_future(self.layer.receive(channel))
                done, _pending = await asyncio.wait({receiving}, timeout=REJOIN_EVERY)
                if not done:
                    await self._rejoin(channel)
                    continue
                try:
                    event = receiving.result()
                except Exception:
                    # The layer recovers by itself (channels-redis reconnects); clients catch
                    # up from the database with their next sync or ping.
                    metrics.LAYER_ERRORS.labels("receive").inc()
                    logger.warning("channel layer: receive failed on %s", self.group, exc_info=True)
                    await asyncio.sleep(1)
                    continue
                finally:
                    receiving = None
                await self._offer(event)
        finally:
            if receiving is not None:
                receiving.cancel()

    async def _offer(self, event: dict) -> None:
        for listener in list(self.listeners):
            try:
                await listener.offer(event)
            except Exception:
                # A connection that is going away (its disconnect will leave); the others
                # must still get the event.
                logger.debug("fan-out: %r did not take an event", listener, exc_info=True)
        rung = event.get("rung")
        frame = event.get("frame")
        if rung is not None and isinstance(frame, dict) and frame.get("type") == "message":
            metrics.FANOUT_LATENCY.observe(max(0.0, time.time() - rung))

    async def _rejoin(self, channel: str) -> None:
        try:
            await self.layer.group_add(self.group, channel)
        except Exception:
            logger.warning("channel layer: could not rejoin %s", self.group, exc_info=True)


# Per event loop (tests run one per test; a server, one): {(id(layer), group): RoomFanout}.
_fanouts: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict] = weakref.WeakKeyDictionary()


def room_fanout(layer, group: str) -> RoomFanout:
    """The fan-out of ``group`` on the running loop, for ``layer``."""
    fanouts = _fanouts.setdefault(asyncio.get_running_loop(), {})
    fanout = fanouts.get((id(layer), group))
    if fanout is None or fanout.layer is not layer:
        fanout = fanouts[(id(layer), group)] = RoomFanout(layer, group)
    return fanout
