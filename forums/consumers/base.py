"""What every websocket consumer shares: frame parsing, error frames in the reader's language,
checking that the connection's session still signs its person in."""

from __future__ import annotations

import asyncio
import logging
from importlib import import_module

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ObjectDoesNotExist
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_supported_language_variant, override
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from core import metrics, safejson
from core.logs import REQUEST_ID, request_id_from

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
# Our frames are flat objects; a little room for clients that send a nested extra.
FRAME_MAX_DEPTH = 4

# Close codes (4000-4999 are ours). A client shows why and does not reconnect on these.
CLOSE_NOT_SIGNED_IN = 4401  # never signed in, signed out, or the session expired
CLOSE_FORBIDDEN = 4403  # not (or no longer) a member of the room's community
CLOSE_NOT_FOUND = 4404  # no such room
CLOSE_INTERNAL_ERROR = 1011  # the server failed; the client reconnects and syncs

# Doorbells rung for every reader of a thread. Channels' dispatch runs close_old_connections
# in a worker thread before every handler; for these, which reach the database only through
# database_sync_to_async (which does that itself), that thread hop per connection per event
# would be most of the work. (Chat rooms' events do not pass here at all: forums/fanout.py.)
HOT_EVENTS = frozenset({"thread.post"})


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


def scope_language(scope) -> str:
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


def frame_parse(text_data: str | None) -> dict:
    """A client's frame as a dict with a string ``type``; FrameError otherwise (too large,
    nested too deeply, not JSON, not an object with a type)."""
    if text_data is None:
        raise FrameError("bad_frame", _("Frames must be JSON text."))
    try:
        content = safejson.loads(text_data, max_bytes=FRAME_MAX_BYTES, max_depth=FRAME_MAX_DEPTH)
    except safejson.JSONRefused as exc:
        if exc.reason == "too_large":
            raise FrameError(
                "too_large",
                _("This frame is too large: at most %(max)d bytes.") % {"max": FRAME_MAX_BYTES},
            ) from None
        if exc.reason == "too_deep":
            raise FrameError("too_deep", _("This frame is nested too deeply.")) from None
        raise FrameError("bad_json", _("This frame is not valid JSON.")) from None
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        raise FrameError("bad_frame", _("A frame must be an object with a “type”."))
    return content


def unknown_type(kind: str) -> FrameError:
    return FrameError("unknown_type", _("Unknown frame type “%(type)s”.") % {"type": kind[:40]})


class GuardedConsumer(AsyncJsonWebsocketConsumer):
    """Common parts: frame parsing, error frames in the reader's language, session checks, and
    an edge that nothing escapes.

    Channels calls ``disconnect()`` only when the client closes: a handler that raised used to
    end the connection with 1011, a traceback, and the person left in the room's presence and
    fan-out for good. Here every message is handled inside a guard (a failed frame is answered
    with an error frame, the connection stays), and the cleanup in ``disconnect()`` runs once
    whatever way the consumer ends: closed by the client, by us, by a crash or by the server.
    """

    lang = settings.LANGUAGE_CODE
    metrics_kind = "other"  # the label of this kind of connection in core/metrics.py
    _cleaned_up = False
    _counted = False

    async def __call__(self, scope, receive, send):
        # Every log line of this connection carries the proxy's request id of its handshake.
        REQUEST_ID.set(request_id_from(dict(scope.get("headers", [])).get(b"x-request-id")))
        try:
            await super().__call__(scope, receive, send)
        except Exception:
            logger.exception("websocket: the consumer of %s failed", scope.get("path"))
            await self._close_quietly(CLOSE_INTERNAL_ERROR)
        finally:
            # Shielded: a server shutting the application down cancels it, and the cleanup
            # (presence rows, fan-out listener, groups) must still finish.
            await asyncio.shield(self._cleanup(CLOSE_INTERNAL_ERROR))

    async def websocket_disconnect(self, message):
        await self._cleanup(message.get("code", 1000))
        raise StopConsumer()

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        if not self._counted:
            self._counted = True
            metrics.WEBSOCKETS.labels(self.metrics_kind).inc()

    async def _cleanup(self, code: int) -> None:
        """Run ``disconnect(code)`` once; a failure there is logged, never raised."""
        if self._cleaned_up:
            return
        self._cleaned_up = True
        if self._counted:
            metrics.WEBSOCKETS.labels(self.metrics_kind).dec()
        try:
            await self.disconnect(code)
        except Exception:
            logger.exception("websocket: cleanup after %s failed", self.scope.get("path"))

    async def _close_quietly(self, code: int) -> None:
        try:
            await self.close(code=code)
        except Exception:
            logger.debug("websocket: could not close after a failure", exc_info=True)

    async def dispatch(self, message):
        try:
            if message["type"] in HOT_EVENTS:
                await getattr(self, get_handler_name(message))(message)
            else:
                await super().dispatch(message)
        except (StopConsumer, asyncio.CancelledError):
            raise
        except Exception:
            # A bug, not bad input (that is a FrameError): log it, keep the connection.
            logger.exception("websocket: %s failed on %s", message["type"], self.scope["path"])
            if message["type"] == "websocket.connect":
                await self._close_quietly(CLOSE_INTERNAL_ERROR)
            elif message["type"] == "websocket.receive":
                with override(self.lang):
                    await self.send_error(
                        "internal_error",
                        _("Something went wrong with this frame. Please try again."),
                    )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with override(self.lang):
            try:
                content = frame_parse(text_data)
                await self.receive_json(content)
            except FrameError as exc:
                await self.send_error(exc.code, exc.message, **exc.extra)
            except Disconnect as exc:
                await self.end(exc)

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
        """A doorbell from the sign-out view: if it is this connection's session, stop (every
        connection of the person, when their account is being deleted: ``everywhere``)."""
        session = self.scope.get("session")
        if event.get("everywhere") or event.get("session_key") == getattr(
            session, "session_key", None
        ):
            with override(self.lang):
                message = _("You are signed out. Sign in again.")
            await self.end(Disconnect(CLOSE_NOT_SIGNED_IN, "signed_out", message))
