"""Delivering a room's messages to one connection: each once, in ``seq`` order, none lost.

Delivery state of one connection: ``floor`` is the room's last seq when it connected, and
``floor < seq <= delivered`` is the contiguous range of messages sent on it since; a ``sync``
lowers ``floor`` to what it replays. Doorbells at or below ``delivered`` are dropped
(duplicates, or older than the connection: ``sync`` reaches those); a doorbell beyond
``delivered + 1`` means one was lost or overtaken, and the gap is replayed from the database
first. So a client that syncs once after connecting sees every message once.

Room events come from the room's fan-out (forums/fanout.py), not through the consumer's own
channel. They and the client's frames change the delivery state one at a time: whoever holds
``delivery`` may send; an event offered meanwhile waits in ``backlog``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import asynccontextmanager

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from django.conf import settings

from forums import selectors
from forums.frames import message_frame, presence_frame

logger = logging.getLogger(__name__)


class RoomDelivery:
    """Mixed into the chat consumer (which provides ``room``, ``user``, ``channel_name``,
    ``send``, ``send_json`` and ``base_send``)."""

    # The room's last seq when connected, and the last seq sent (see the module); set by the
    # consumer once it has entered the room.
    floor = 0
    delivered = 0

    def delivery_start(self) -> None:
        self.delivery = asyncio.Lock()
        self.backlog: deque[dict] = deque()
        self.drainer: asyncio.Task | None = None

    def delivery_stop(self) -> None:
        if self.drainer is not None:
            self.drainer.cancel()

    async def deliver(self, frame: dict, *, requested: bool = False, text: str = "") -> None:
        """Send one ``message`` frame unless this connection already sent it; fill a gap before
        it from the database first. Doorbells for messages older than this connection are
        dropped (a ``sync`` reaches those; the pub/sub layer may hand a new subscriber a
        message published just before it joined); ``requested`` frames (the answer to a
        ``send``) are sent even then."""
        seq = frame["seq"]
        if seq <= self.floor and requested:
            await self.send_json(frame)
        elif seq <= self.delivered:
            return
        elif seq > self.delivered + 1:
            await self.replay(after=self.delivered)
        else:
            if text:
                await self.send(text_data=text)
            else:
                await self.send_json(frame)
            self.delivered = seq

    async def replay(self, *, after: int) -> None:
        """Send every stored message after ``after`` that this connection has not sent yet, in
        order; more than CHAT_SYNC_LIMIT of them: a ``resync`` frame instead."""
        limit = settings.CHAT_SYNC_LIMIT
        frames = await database_sync_to_async(self._frames_after)(after, limit + 1)
        if len(frames) > limit:
            last_seq = await database_sync_to_async(self._last_seq)()
            self.floor = self.delivered = last_seq
            await self.send_json({"type": "resync", "last_seq": last_seq})
            return
        for frame in frames:
            if not self.floor < frame["seq"] <= self.delivered:
                await self.send_json(frame)
        self.floor = min(self.floor, after)
        if frames:
            self.delivered = max(self.delivered, frames[-1]["seq"])

    def _frames_after(self, after: int, limit: int) -> list[dict]:
        messages = selectors.messages_after(room=self.room, after=after, limit=limit)
        return [message_frame(m) for m in messages]

    def _last_seq(self) -> int:
        self.room.refresh_from_db(fields=["last_seq"])
        return self.room.last_seq

    @asynccontextmanager
    async def delivering(self):
        """Hold the delivery state (room events wait in the backlog), then catch up (even when
        the holder failed: the events offered meanwhile must not wait for the next frame)."""
        try:
            async with self.delivery:
                yield
        finally:
            await self.drain()

    async def offer(self, event: dict) -> None:
        """The room's fan-out hands over an event: sent at once if this connection is free and
        the frame is ready; otherwise queued for ``drain``, in order."""
        if not self.delivery.locked() and not self.backlog:
            text = self.take(event)
            if text is not None:
                if text:
                    async with self.delivery:
                        await self.base_send({"type": "websocket.send", "text": text})
                return
        self.backlog.append(event)
        if not self.delivery.locked() and (self.drainer is None or self.drainer.done()):
            self.drainer = asyncio.create_task(self._drain_soon())

    def take(self, event: dict) -> str | None:
        """The quick way: the encoded frame to send now ("" to send nothing), or None when the
        event needs its handler below (a gap to fill from the database, an older event)."""
        text = event.get("text")
        if not text:
            return None
        kind = event["type"]
        if kind == "chat.frame":
            frame = event["frame"]
            if frame.get("type") != "message":
                return text
            seq = frame["seq"]
            if seq <= self.delivered:
                return ""
            if seq != self.delivered + 1:
                return None
            self.delivered = seq
            return text
        if kind == "chat.typing":
            return "" if event["user"]["id"] == self.user.pk else text
        if kind == "chat.presence":
            return "" if event.get("channel") == self.channel_name else text
        return None

    async def drain(self) -> None:
        """Handle the queued room events in order, unless someone else holds the delivery
        state (they drain when they let go)."""
        while self.backlog and not self.delivery.locked():
            async with self.delivery:
                event = self.backlog.popleft()
                handler = getattr(self, get_handler_name(event), None)
                if handler is not None:
                    await handler(event)

    async def _drain_soon(self) -> None:
        try:
            await self.drain()
        except Exception:
            logger.exception("chat: room events could not be delivered to %s", self.channel_name)

    # Handlers of room events that ``take`` could not send at once.

    async def chat_frame(self, event):
        frame = event["frame"]
        if frame.get("type") == "message":
            await self.deliver(frame, text=event.get("text", ""))
        elif event.get("text"):
            await self.send(text_data=event["text"])
        else:
            await self.send_json(frame)

    async def chat_typing(self, event):
        if event["user"]["id"] != self.user.pk:
            await self.send_json({"type": "typing", "user": event["user"]})

    async def chat_presence(self, event):
        if event.get("channel") == self.channel_name:
            return  # the joining connection had itself in its presence list already
        if "text" in event:
            await self.send(text_data=event["text"])
            return
        await self.send_json(presence_frame(event))
