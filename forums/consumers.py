"""Websocket consumers: they only carry messages (the contract is in docs/realtime.md).

They authenticate and check membership in ``connect``, check again on every frame, dispatch on
``"type"`` to the same services an HTTP request would call, and answer bad frames with an
``error`` frame while keeping the connection open.
"""

from __future__ import annotations

import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import override

from cop import permissions
from cop.permissions import Action, Refusal
from forums import realtime, selectors, services
from forums.models import ChatMessage, Thread

logger = logging.getLogger(__name__)

FRAME_MAX_BYTES = 16 * 1024  # daphne closes above its own, larger limit (see manage.py serve)
TYPING_EVERY = 3.0  # seconds between typing frames one connection may trigger
WATCH_MAX = 10

# Close codes (4000-4999 are ours): the client shows why and does not retry on these.
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_FORBIDDEN = 4403


class FrameError(Exception):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _language(scope) -> str:
    """The language of the person's pages, for the messages in error frames."""
    cookies = scope.get("cookies") or {}
    lang = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    if lang in dict(settings.LANGUAGES):
        return lang
    for header, value in scope.get("headers", []):
        if header == b"accept-language":
            for part in value.decode("latin-1").split(","):
                code = part.split(";")[0].strip().split("-")[0].lower()
                if code in dict(settings.LANGUAGES):
                    return code
    return settings.LANGUAGE_CODE


class GuardedConsumer(AsyncJsonWebsocketConsumer):
    """Common parts: session still valid, JSON parsing, error frames in the reader's language."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with override(self.lang):
            if text_data is None:
                await self.send_error("bad_frame", _("Frames must be JSON text."))
                return
            if len(text_data.encode()) > FRAME_MAX_BYTES:
                await self.send_error("too_large", _("This frame is too large."))
                return
            try:
                content = json.loads(text_data)
            except ValueError:
                await self.send_error("bad_json", _("This frame is not valid JSON."))
                return
            if not isinstance(content, dict) or not isinstance(content.get("type"), str):
                await self.send_error("bad_frame", _("A frame must be an object with a “type”."))
                return
            try:
                await self.receive_json(content)
            except FrameError as exc:
                await self.send_error(exc.code, exc.message, **exc.extra)

    async def send_error(self, code: str, message: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "message": str(message), **extra})

    def session_is_valid(self) -> bool:
        """Logged out elsewhere (session gone) means this connection must stop too."""
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        return bool(key) and session.exists(key)

    async def user_logout(self, event):
        session = self.scope.get("session")
        if event.get("session_key") == getattr(session, "session_key", None):
            await self.close(code=CLOSE_NOT_SIGNED_IN)


class ChatConsumer(GuardedConsumer):
    """``/ws/chat/<community_slug>/<room_slug>/`` (see docs/realtime.md)."""

    room = None

    async def connect(self):
        self.lang = _language(self.scope)
        self.user = self.scope["user"]
        self.last_typing = 0.0
        kwargs = self.scope["url_route"]["kwargs"]
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        try:
            self.room = await database_sync_to_async(self._room_for_connection)(
                kwargs["community_slug"], kwargs["room_slug"]
            )
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(realtime.room_group(self.room.pk), self.channel_name)
        await self.channel_layer.group_add(realtime.user_group(self.user.pk), self.channel_name)
        await self.accept()
        first, people = await database_sync_to_async(self._enter)()
        await self.send_json({"type": "presence", "users": people, "last_seq": self.room.last_seq})
        if first:
            await self.channel_layer.group_send(
                realtime.room_group(self.room.pk),
                {"type": "chat.presence", "joined": services.person_frame(self.user)},
            )

    def _room_for_connection(self, community_slug: str, room_slug: str):
        room = selectors.room_get(community_slug=community_slug, room_slug=room_slug)
        # Members only; a muted member may still connect and read (sending is refused).
        permissions.check(self.user, Action.CHAT_POST, room.community)
        if not self.session_is_valid():
            raise PermissionDenied
        return room

    def _enter(self):
        first = services.presence_enter(
            room=self.room, user=self.user, channel_name=self.channel_name
        )
        return first, services.presence_list(room=self.room)

    async def disconnect(self, code):
        if self.room is None:
            return
        await self.channel_layer.group_discard(realtime.room_group(self.room.pk), self.channel_name)
        await self.channel_layer.group_discard(realtime.user_group(self.user.pk), self.channel_name)
        last = await database_sync_to_async(services.presence_leave)(
            room=self.room, user=self.user, channel_name=self.channel_name
        )
        if last:
            await self.channel_layer.group_send(
                realtime.room_group(self.room.pk),
                {"type": "chat.presence", "left": services.person_frame(self.user)},
            )

    # --- client frames ---------------------------------------------------------------------------

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
        if not await database_sync_to_async(self._still_allowed)():
            await self.send_error("not_member", _("You are no longer a member of this community."))
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await handler(content)

    def _still_allowed(self) -> bool:
        permissions.forget_roles(self.user)
        self.user.refresh_from_db(fields=["is_active", "is_staff"])
        return self.session_is_valid() and permissions.can(
            self.user, Action.CHAT_POST, self.room.community
        )

    async def on_send(self, content):
        body = content.get("body")
        client_id = content.get("client_id") or ""
        if not isinstance(body, str) or not isinstance(client_id, str):
            raise FrameError("bad_frame", _("“body” and “client_id” must be strings."))
        if len(client_id) > 64:
            raise FrameError("bad_frame", _("“client_id” can have at most 64 characters."))
        reply_to = content.get("reply_to")
        if reply_to is not None and not isinstance(reply_to, int):
            raise FrameError("bad_frame", _("“reply_to” must be a message id."))
        message, created = await self._call(
            services.message_send,
            frame_client_id=client_id,
            room=self.room,
            author=self.user,
            body=body,
            client_id=client_id,
            reply_to_id=reply_to,
        )
        if not created:
            # A retry of a message we already have: tell this client, nobody else.
            frame = await database_sync_to_async(services.message_frame)(message)
            await self.send_json(frame)

    async def on_sync(self, content):
        after = content.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise FrameError("bad_frame", _("“after” must be a message number (0 or more)."))
        limit = settings.CHAT_SYNC_LIMIT
        frames = await database_sync_to_async(self._frames_after)(after, limit + 1)
        if len(frames) > limit:
            await self.send_json({"type": "resync", "last_seq": frames[-1]["seq"]})
            return
        for frame in frames:
            await self.send_json(frame)

    def _frames_after(self, after: int, limit: int) -> list[dict]:
        messages = selectors.messages_after(room=self.room, after=after, limit=limit)
        return [services.message_frame(m) for m in messages]

    async def on_typing(self, content):
        now = time.monotonic()
        if now - self.last_typing < TYPING_EVERY:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            realtime.room_group(self.room.pk),
            {"type": "chat.typing", "user": services.person_frame(self.user)},
        )

    async def on_edit(self, content):
        message = await self._own_message(content)
        body = content.get("body")
        if not isinstance(body, str):
            raise FrameError("bad_frame", _("“body” must be a string."))
        await self._call(services.message_edit, message=message, actor=self.user, body=body)

    async def on_delete(self, content):
        message = await self._own_message(content)
        await self._call(services.message_delete, message=message, actor=self.user)

    async def on_read(self, content):
        seq = content.get("seq")
        if isinstance(seq, int) and not isinstance(seq, bool):
            await database_sync_to_async(self._mark_read)(seq)

    def _mark_read(self, seq: int) -> None:
        self.room.refresh_from_db(fields=["last_seq"])
        services.chat_mark_read(room=self.room, user=self.user, seq=seq)

    async def on_ping(self, content):
        await database_sync_to_async(services.presence_touch)(channel_name=self.channel_name)
        await self.send_json({"type": "pong"})

    async def _own_message(self, content) -> ChatMessage:
        message_id = content.get("id")
        if isinstance(message_id, bool) or not isinstance(message_id, int):
            raise FrameError("bad_frame", _("“id” must be a message id."))
        message = await database_sync_to_async(
            lambda: ChatMessage.objects.filter(room=self.room, pk=message_id).first()
        )()
        if message is None:
            raise FrameError("not_found", _("There is no such message in this room."))
        return message

    async def _call(self, service, *, frame_client_id: str = "", **kwargs):
        """Run a service; turn its refusals and validation errors into error frames (which
        name the ``client_id`` of the refused message, so the composer can offer a retry)."""
        extra = {"client_id": frame_client_id} if frame_client_id else {}
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

    # --- channel layer events --------------------------------------------------------------------

    async def chat_frame(self, event):
        await self.send_json(event["frame"])

    async def chat_typing(self, event):
        if event["user"]["id"] != self.user.pk:
            await self.send_json({"type": "typing", "user": event["user"]})

    async def chat_presence(self, event):
        frame = {"type": "presence"}
        for key in ("joined", "left"):
            if key in event:
                frame[key] = event[key]
        await self.send_json(frame)

    async def user_membership(self, event):
        if (
            event.get("community") == self.room.community_id
            and not await database_sync_to_async(self._still_allowed)()
        ):
            with override(self.lang):
                await self.send_error(
                    "not_member", _("You are no longer a member of this community.")
                )
            await self.close(code=CLOSE_FORBIDDEN)

    async def user_notifications(self, event):
        """The chat page's badge is updated by the live consumer; nothing to do here."""


def _error_code(exc: ValidationError) -> str:
    """The code of the first error the service gave (e.g. "too_long", "empty")."""
    errors = (
        [e for group in exc.error_dict.values() for e in group]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    return next((e.code for e in errors if e.code), "invalid")


class LiveConsumer(GuardedConsumer):
    """``/ws/live/``: new replies on thread pages and the notification badge."""

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
            if len(self.watching) >= WATCH_MAX:
                raise FrameError("too_many", _("Too many threads watched at once."))
            if not await database_sync_to_async(self._may_read)(thread_id):
                raise FrameError("forbidden", _("You cannot read this thread."))
            self.watching.add(thread_id)
            await self.channel_layer.group_add(realtime.thread_group(thread_id), self.channel_name)
        else:
            raise FrameError(
                "unknown_type", _("Unknown frame type “%(type)s”.") % {"type": kind[:40]}
            )

    def _may_read(self, thread_id: int) -> bool:
        thread = Thread.objects.select_related("community").filter(pk=thread_id).first()
        return bool(thread and not thread.is_deleted) and permissions.can(
            self.user, Action.THREAD_READ, thread.community
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
