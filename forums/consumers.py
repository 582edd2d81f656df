"""Websocket consumers: they only carry messages (the protocol is in docs/realtime.md).

They authenticate and check membership in ``connect``, check again on every frame, dispatch on
``"type"`` to the same services an HTTP request would call, and answer bad frames with an
``error`` frame (in the reader's language) while keeping the connection open.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from importlib import import_module

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_supported_language_variant, override
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from cop import permissions
from cop.permissions import Action, Refusal
from forums import realtime, selectors, services
from forums.fanout import room_fanout
from forums.models import ChatMessage

try:  # what daphne raises when a frame is sent on a connection that has just closed
    from autobahn.exception import Disconnected as _Disconnected

    CONNECTION_CLOSED: tuple[type[Exception], ...] = (OSError, _Disconnected)
except ImportError:  # pragma: no cover - another ASGI server (the spec says: an OSError)
    CONNECTION_CLOSED = (OSError,)

logger = logging.getLogger(__name__)

# A frame above this gets an error frame and the connection stays open. It leaves room for the
# longest body (4,000 characters, up to 4 bytes each in UTF-8, some escaped by JSON). daphne
# closes the connection outright above its own, larger limit (manage.py serve).
FRAME_MAX_BYTES = 32 * 1024
TYPING_EVERY = 3.0  # seconds between typing frames one connection may trigger
WATCH_MAX = 10

# Close codes (4000-4999 are ours). A client shows why and does not reconnect on these.
CLOSE_NOT_SIGNED_IN = 4401  # never signed in, signed out, or the session expired
CLOSE_FORBIDDEN = 4403  # not (or no longer) a member of the room's community
CLOSE_NOT_FOUND = 4404  # no such room

# Presence: a room hears at most PRESENCE_BURST arrivals/departures per second one by one
# from each server process; beyond that (a lecture starting, a benchmark connecting hundreds)
# the changes of the second are merged into one list of who is here. Without this, N people
# arriving would cost N × N frames.
PRESENCE_BURST = 5
PRESENCE_WINDOW = 1.0
PRESENCE_KEYS = ("joined", "left", "users")


class _PresenceThrottle:
    """Per event loop and room: how many presence doorbells this window, and whether a merged
    list is already scheduled."""

    def __init__(self):
        self.window_start = 0.0
        self.count = 0
        self.scheduled = False


_presence: dict[tuple[int, int], _PresenceThrottle] = {}


class FrameError(Exception):
    """A refused frame: becomes one ``error`` frame; the connection stays open."""

    def __init__(self, code: str, message: str, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


class Disconnect(Exception):
    """The connection must end: one ``error`` frame saying why, then close with ``close_code``."""

    def __init__(self, close_code: int, code: str, message: str):
        super().__init__(message)
        self.close_code = close_code
        self.code = code
        self.message = message


def _language(scope) -> str:
    """The language of the person's pages (language cookie, then Accept-Language), for the
    messages in error frames."""
    languages = dict(settings.LANGUAGES)
    cookies = scope.get("cookies") or {}
    lang = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    if lang in languages:
        return lang
    for header, value in scope.get("headers", []):
        if header == b"accept-language":
            for code, _quality in parse_accept_lang_header(value.decode("latin-1")):
                if code == "*":
                    continue
                try:
                    return get_supported_language_variant(code)
                except LookupError:
                    continue
    return settings.LANGUAGE_CODE


# Doorbells rung for every reader of a thread. Channels' dispatch runs close_old_connections
# in a worker thread before every handler; for these, which reach the database only through
# database_sync_to_async (which does that itself), that thread hop per connection per event
# would be most of the work. (Chat rooms' events do not pass here at all: forums/fanout.py.)
HOT_EVENTS = frozenset({"thread.post"})


class GuardedConsumer(AsyncJsonWebsocketConsumer):
    """Common parts: frame parsing, error frames in the reader's language, session checks."""

    lang = settings.LANGUAGE_CODE

    async def dispatch(self, message):
        if message["type"] in HOT_EVENTS:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with override(self.lang):
            try:
                content = self.parse(text_data)
                await self.receive_json(content)
            except FrameError as exc:
                await self.send_error(exc.code, exc.message, **exc.extra)
            except Disconnect as exc:
                await self.end(exc)

    def parse(self, text_data) -> dict:
        if text_data is None:
            raise FrameError("bad_frame", _("Frames must be JSON text."))
        if len(text_data.encode()) > FRAME_MAX_BYTES:
            raise FrameError(
                "too_large",
                _("This frame is too large: at most %(max)d bytes.") % {"max": FRAME_MAX_BYTES},
            )
        try:
            content = json.loads(text_data)
        except ValueError:
            raise FrameError("bad_json", _("This frame is not valid JSON.")) from None
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            raise FrameError("bad_frame", _("A frame must be an object with a “type”."))
        return content

    async def send(self, text_data=None, bytes_data=None, close=False):
        """A frame for a connection that has just closed is dropped: its disconnect is on the
        way, and a client that comes back catches up with ``sync``."""
        try:
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)
        except CONNECTION_CLOSED:
            logger.debug("websocket: a frame for a closed connection was dropped")

    async def send_error(self, code: str, message: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "message": str(message), **extra})

    async def end(self, reason: Disconnect) -> None:
        with override(self.lang):
            await self.send_error(reason.code, reason.message)
        await self.close(code=reason.close_code)

    def check_session(self) -> None:
        """Raise Disconnect unless this connection's session still signs this user in: a
        sign-out (here or in another tab), an expired session or a changed password end it."""
        key = getattr(self.scope.get("session"), "session_key", None)
        store = import_module(settings.SESSION_ENGINE).SessionStore
        data = store(session_key=key).load() if key else {}
        try:
            self.user.refresh_from_db(fields=["is_active", "is_staff", "password"])
        except ObjectDoesNotExist:
            data = {}  # the account is gone
        session_hash = data.get(HASH_SESSION_KEY, "")
        hash_ok = any(
            constant_time_compare(session_hash, expected)
            for expected in (
                self.user.get_session_auth_hash(),
                *self.user.get_session_auth_fallback_hash(),
            )
        )
        if (
            not self.user.is_active
            or str(data.get(SESSION_KEY)) != str(self.user.pk)
            or not hash_ok
        ):
            raise Disconnect(
                CLOSE_NOT_SIGNED_IN, "signed_out", _("You are signed out. Sign in again.")
            )

    async def user_logout(self, event):
        """A doorbell from the sign-out view: if it is this connection's session, stop."""
        session = self.scope.get("session")
        if event.get("session_key") == getattr(session, "session_key", None):
            with override(self.lang):
                message = _("You are signed out. Sign in again.")
            await self.end(Disconnect(CLOSE_NOT_SIGNED_IN, "signed_out", message))


class ChatConsumer(GuardedConsumer):
    """``/ws/chat/<community_slug>/<room_slug>/``.

    Delivery state of one connection: ``floor`` is the room's last seq when it connected, and
    ``floor < seq <= delivered`` is the contiguous range of messages sent on it since; a
    ``sync`` lowers ``floor`` to what it replays. Doorbells at or below ``delivered`` are
    dropped (duplicates, or older than the connection: ``sync`` reaches those); a doorbell
    beyond ``delivered + 1`` means one was lost or overtaken, and the gap is replayed from the
    database first. So a client that syncs once after connecting sees every message once.

    Room events come from the room's fan-out (forums/fanout.py), not through this consumer's
    own channel. They and the client's frames change the delivery state one at a time: whoever
    holds ``delivery`` may send; an event offered meanwhile waits in ``backlog``.
    """

    room = None
    fanout = None

    async def connect(self):
        self.lang = _language(self.scope)
        self.user = self.scope["user"]
        self.last_typing = 0.0
        self.delivery = asyncio.Lock()
        self.backlog: deque[dict] = deque()
        self.drainer: asyncio.Task | None = None
        try:
            if not self.user.is_authenticated:
                raise Disconnect(CLOSE_NOT_SIGNED_IN, "not_signed_in", "")
            with override(self.lang):
                await database_sync_to_async(self._check_access)()
        except Disconnect as exc:
            # Refused at the handshake (the contract): nothing is accepted, no frame is sent.
            # An ASGI client sees the close code; a browser only a failed connection, so
            # chat.js asks the history endpoint whether it may still take part.
            await self.close(code=exc.close_code)
            return
        self.fanout = room_fanout(self.channel_layer, realtime.room_group(self.room.pk))
        async with self.delivering():
            await self.fanout.join(self)
            await self.channel_layer.group_add(realtime.user_group(self.user.pk), self.channel_name)
            await self.accept()
            # Read after joining the room: a message committed later rings this connection's
            # doorbell, one committed earlier is at or below last_seq (reached with sync).
            first, people = await database_sync_to_async(self._enter)()
            self.floor = self.delivered = self.room.last_seq
            await self.send_json(
                {"type": "presence", "users": people, "last_seq": self.room.last_seq}
            )
        if first:
            await self.announce_presence(
                {
                    "type": "chat.presence",
                    "joined": services.person_frame(self.user),
                    "channel": self.channel_name,
                }
            )

    def _check_access(self) -> None:
        """At connect and before every frame: signed in, member, room still there. Loads the
        room afresh (archived? renamed? last_seq?)."""
        self.check_session()
        kwargs = self.scope["url_route"]["kwargs"]
        permissions.forget_roles(self.user)
        try:
            self.room = selectors.room_get_for_member(
                user=self.user,
                community_slug=kwargs["community_slug"],
                room_slug=kwargs["room_slug"],
            )
        except Http404:
            raise Disconnect(CLOSE_NOT_FOUND, "not_found", _("There is no such room.")) from None
        except Refusal as exc:
            raise Disconnect(CLOSE_FORBIDDEN, exc.code, str(exc.message)) from None

    def _enter(self):
        first = services.presence_enter(
            room=self.room, user=self.user, channel_name=self.channel_name
        )
        self.room.refresh_from_db(fields=["last_seq"])
        return first, services.presence_list(room=self.room)

    async def disconnect(self, code):
        if self.fanout is not None:
            await self.fanout.leave(self)
            if self.drainer is not None:
                self.drainer.cancel()
        if self.room is None or not hasattr(self, "floor"):
            return
        last = await database_sync_to_async(services.presence_leave)(
            room=self.room, user=self.user, channel_name=self.channel_name
        )
        if last:
            await self.announce_presence(
                {"type": "chat.presence", "left": services.person_frame(self.user)}
            )
        try:
            await self.channel_layer.group_discard(
                realtime.user_group(self.user.pk), self.channel_name
            )
        except Exception:
            logger.warning("channel layer: could not leave the groups", exc_info=True)

    async def announce_presence(self, event: dict) -> None:
        """Ring the room about one arrival or departure, or, in a burst, schedule one merged
        list of who is here at the end of the window (see PRESENCE_BURST)."""
        loop = asyncio.get_running_loop()
        key = (id(loop), self.room.pk)
        throttle = _presence.setdefault(key, _PresenceThrottle())
        now = time.monotonic()
        if now - throttle.window_start >= PRESENCE_WINDOW:
            throttle.window_start, throttle.count = now, 0
        if throttle.count < PRESENCE_BURST and not throttle.scheduled:
            throttle.count += 1
            await self.ring({**event, "text": json.dumps(_presence_frame(event))})
            return
        if not throttle.scheduled:
            throttle.scheduled = True
            delay = max(0.0, throttle.window_start + PRESENCE_WINDOW - now)
            loop.call_later(delay, lambda: asyncio.ensure_future(self._flush_presence(key)))

    async def _flush_presence(self, key: tuple[int, int]) -> None:
        throttle = _presence.get(key)
        if throttle is None:
            return
        people = await database_sync_to_async(services.presence_list)(room=self.room)
        throttle.scheduled = False
        throttle.window_start, throttle.count = time.monotonic(), PRESENCE_BURST
        frame = {"type": "presence", "users": people}
        # Encoded once for the whole room: the list can be a few hundred names long.
        await self.ring({"type": "chat.presence", "users": people, "text": json.dumps(frame)})

    async def ring(self, event: dict) -> None:
        """Ring the room with an event whose frame is encoded once (``text``), for everyone.
        Presence and typing doorbells are ephemeral: if the layer is down (Redis restarting),
        they are lost, and the connection carries on."""
        try:
            await self.channel_layer.group_send(realtime.room_group(self.room.pk), event)
        except Exception:
            logger.warning("channel layer: could not announce %s", event["type"], exc_info=True)

    # --- client frames ---------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        async with self.delivering():
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        handler = {
            "send": self.on_send,
            "sync": self.on_sync,
            "typing": self.on_typing,
            "edit": self.on_edit,
            "delete": self.on_delete,
            "read": self.on_read,
            "ping": self.on_ping,
        }.get(kind)
        if handler is None:
            raise FrameError(
                "unknown_type", _("Unknown frame type “%(type)s”.") % {"type": kind[:40]}
            )
        # Removed from the community, signed out elsewhere, room deleted: stop before acting.
        await database_sync_to_async(self._check_access)()
        await handler(content)

    async def on_send(self, content):
        body = content.get("body")
        client_id = content.get("client_id", "")
        if client_id is None:
            client_id = ""
        if not isinstance(body, str) or not isinstance(client_id, str):
            raise FrameError("bad_frame", _("“body” and “client_id” must be strings."))
        if len(client_id) > 64:
            raise FrameError("bad_frame", _("“client_id” can have at most 64 characters."))
        reply_to = content.get("reply_to")
        if reply_to is not None and (isinstance(reply_to, bool) or not isinstance(reply_to, int)):
            raise FrameError("bad_frame", _("“reply_to” must be a message id."))
        message, _created = await self._call(
            services.message_send,
            frame_client_id=client_id,
            room=self.room,
            author=self.user,
            body=body,
            client_id=client_id,
            reply_to_id=reply_to,
        )
        # Acknowledge with the stored message at once, whatever happens to the doorbell (its
        # copy arrives later and is dropped as a duplicate). A retry of a stored client_id is
        # answered the same way, unless this connection has already delivered that message.
        frame = await database_sync_to_async(services.message_frame)(message)
        await self.deliver(frame, requested=True)

    async def on_sync(self, content):
        after = content.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise FrameError("bad_frame", _("“after” must be a message number (0 or more)."))
        await self.replay(after=after)

    async def on_typing(self, content):
        refusal = await database_sync_to_async(permissions.refusal)(
            self.user, Action.CHAT_POST, self.room.community, self.room
        )
        if refusal is not None:
            raise FrameError(refusal.code, str(refusal.message))
        now = time.monotonic()
        if now - self.last_typing < TYPING_EVERY:
            return
        self.last_typing = now
        person = services.person_frame(self.user)
        frame = {"type": "typing", "user": person}
        await self.ring({"type": "chat.typing", "user": person, "text": json.dumps(frame)})

    async def on_edit(self, content):
        message = await self._message_in_room(content)
        body = content.get("body")
        if not isinstance(body, str):
            raise FrameError("bad_frame", _("“body” must be a string."), id=message.pk)
        await self._call(
            services.message_edit, frame_id=message.pk, message=message, actor=self.user, body=body
        )

    async def on_delete(self, content):
        message = await self._message_in_room(content)
        await self._call(
            services.message_delete, frame_id=message.pk, message=message, actor=self.user
        )

    async def on_read(self, content):
        seq = content.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise FrameError("bad_frame", _("“seq” must be a message number."))
        await database_sync_to_async(services.chat_mark_read)(
            room=self.room, user=self.user, seq=seq
        )

    async def on_ping(self, content):
        await database_sync_to_async(services.presence_touch)(channel_name=self.channel_name)
        # The room was just reloaded by _check_access. Messages whose doorbells never came
        # (the channel layer may drop) are caught up here, at the latest one ping later.
        if self.room.last_seq > self.delivered:
            await self.replay(after=self.delivered)
        await self.send_json({"type": "pong", "last_seq": self.room.last_seq})

    async def _message_in_room(self, content) -> ChatMessage:
        message_id = content.get("id")
        if isinstance(message_id, bool) or not isinstance(message_id, int):
            raise FrameError("bad_frame", _("“id” must be a message id."))
        message = await database_sync_to_async(selectors.message_in_room)(
            room=self.room, message_id=message_id
        )
        if message is None:
            raise FrameError(
                "not_found", _("There is no such message in this room."), id=message_id
            )
        return message

    async def _call(self, service, *, frame_client_id: str = "", frame_id=None, **kwargs):
        """Run a service; turn its refusals and validation errors into error frames, naming the
        ``client_id`` of a refused message (so the composer can offer a retry) or the ``id`` of
        the message an edit or delete was refused for."""
        extra = {}
        if frame_client_id:
            extra["client_id"] = frame_client_id
        if frame_id is not None:
            extra["id"] = frame_id
        try:
            return await database_sync_to_async(self._in_language(service))(**kwargs)
        except Refusal as exc:
            raise FrameError(exc.code, str(exc.message), **extra) from None
        except PermissionDenied:
            raise FrameError("forbidden", _("You cannot do this here."), **extra) from None
        except ValidationError as exc:
            raise FrameError(_error_code(exc), " ".join(exc.messages), **extra) from None

    def _in_language(self, func):
        lang = self.lang

        def run(**kwargs):
            with override(lang):
                return func(**kwargs)

        return run

    # --- delivery: each message once per connection, in seq order ---------------------------------

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
        return [services.message_frame(m) for m in messages]

    def _last_seq(self) -> int:
        self.room.refresh_from_db(fields=["last_seq"])
        return self.room.last_seq

    # --- room events (forums/fanout.py) -----------------------------------------------------------

    @asynccontextmanager
    async def delivering(self):
        """Hold the delivery state (room events wait in the backlog), then catch up."""
        async with self.delivery:
            yield
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
        await self.send_json(_presence_frame(event))

    async def user_membership(self, event):
        """Membership changed somewhere (doorbell from cop.services): if it was this room's
        community and the person is no longer a member, stop at once."""
        if event.get("community") != self.room.community_id:
            return
        with override(self.lang):
            try:
                await database_sync_to_async(self._check_access)()
            except Disconnect as exc:
                await self.end(exc)

    async def user_notifications(self, event):
        """The chat page's badge is updated by the live consumer; nothing to do here."""


def _presence_frame(event: dict) -> dict:
    """The ``presence`` frame of a ``chat.presence`` event (an arrival, a departure, a list)."""
    return {"type": "presence", **{k: v for k, v in event.items() if k in PRESENCE_KEYS}}


def _error_code(exc: ValidationError) -> str:
    """The code of the first error the service gave (e.g. "too_long", "empty")."""
    errors = (
        [e for group in exc.error_dict.values() for e in group]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    return next((e.code for e in errors if e.code), "invalid")


class LiveConsumer(GuardedConsumer):
    """``/ws/live/``: new replies on thread pages and the notification badge. Open to anonymous
    readers (thread pages are public); signed-in people also get their badge count."""

    async def connect(self):
        self.lang = _language(self.scope)
        self.user = self.scope["user"]
        self.watching: set[int] = set()
        await self.accept()
        if self.user.is_authenticated:
            await self.channel_layer.group_add(realtime.user_group(self.user.pk), self.channel_name)
            await self.user_notifications({})

    async def disconnect(self, code):
        for thread_id in self.watching:
            await self.channel_layer.group_discard(
                realtime.thread_group(thread_id), self.channel_name
            )
        if self.user.is_authenticated:
            await self.channel_layer.group_discard(
                realtime.user_group(self.user.pk), self.channel_name
            )

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "watch":
            thread_id = content.get("thread")
            if isinstance(thread_id, bool) or not isinstance(thread_id, int):
                raise FrameError("bad_frame", _("“thread” must be a thread id."))
            if thread_id not in self.watching and len(self.watching) >= WATCH_MAX:
                raise FrameError("too_many", _("Too many threads watched at once."))
            last_number = await database_sync_to_async(selectors.thread_last_number)(
                user=self.user, thread_id=thread_id
            )
            if last_number is None:
                raise FrameError("forbidden", _("You cannot read this thread."))
            self.watching.add(thread_id)
            await self.channel_layer.group_add(realtime.thread_group(thread_id), self.channel_name)
            # The current number, so a page that reconnects learns of replies it missed.
            await self.thread_post({"thread": thread_id, "number": last_number})
        else:
            raise FrameError(
                "unknown_type", _("Unknown frame type “%(type)s”.") % {"type": kind[:40]}
            )

    async def thread_post(self, event):
        await self.send_json(
            {"type": "thread.post", "thread": event["thread"], "number": event["number"]}
        )

    async def user_notifications(self, event):
        from accounts.selectors import notification_unread_count

        count = await database_sync_to_async(notification_unread_count)(user=self.user)
        await self.send_json({"type": "notifications", "unread": count})

    async def user_membership(self, event):
        """Thread pages are public; a membership change does not affect this connection."""
