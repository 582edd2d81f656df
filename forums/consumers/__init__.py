"""Websocket consumers (the protocol is in docs/realtime.md): ``chat`` (a room's connection,
with ``delivery`` of its messages and ``presence``), ``live`` (thread pages and the badge),
and ``base`` (what both share)."""

from forums.consumers.chat import ChatConsumer
from forums.consumers.live import LiveConsumer

__all__ = ["ChatConsumer", "LiveConsumer"]
