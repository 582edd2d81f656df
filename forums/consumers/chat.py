"""``/ws/chat/<community_slug>/<room_slug>/``: a chat room's live connection.

It only carries messages: access is checked at connect and again before every frame, each
client frame goes to the same service a page's form would call, and what the room hears is
delivered by RoomDelivery (forums/consumers/delivery.py).
"""

from __future__ import annotations

import logging
import time

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import permissions
from core.permissions import Action, Refusal
from core.realtime import asend_event, encoded, user_group
from forums import selectors, services
from forums.consumers.base import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_SIGNED_IN,
    Disconnect,
    FrameError,
    GuardedConsumer,
    scope_language,
    unknown_type,
)
from forums.consumers.delivery import RoomDelivery
from forums.consumers.presence import presence_announce
from forums.fanout import room_fanout
from forums.frames import person_frame
from forums.models import ChatMessage
from forums.realtime import room_group

logger = logging.getLogger(__name__)

TYPING_EVERY = 3.0  # seconds between typing frames one connection may trigger


class ChatConsumer(RoomDelivery, GuardedConsumer):
    """One person's connection to one room (see the module and RoomDelivery)."""

    metrics_kind = "chat"

    room = None
    fanout = None  # set once this connection has joined the room's fan-out
    in_user_group = False
    present = False  # a presence row exists for this connection

    async def connect(self):
        self.lang = scope_language(self.scope)
        self.user = self.scope["user"]
        self.last_typing = 0.0
        self.delivery_start()
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
        async with self.delivering():
            self.fanout = room_fanout(self.channel_layer, room_group(self.room.pk))
            await self.fanout.join(self)
            await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
            self.in_user_group = True
            await self.accept()
            # Read after joining the room: a message committed later rings this connection's
            # doorbell, one committed earlier is at or below last_seq (reached with sync).
            first, people = await database_sync_to_async(self._enter)()
            self.floor = self.delivered = self.room.last_seq
            await self.send_json(
                {"type": "presence", "users": people, "last_seq": self.room.last_seq}
            )
        if first:
            await presence_announce(
                self.room,
                {
                    "type": "chat.presence",
                    "joined": person_frame(self.user),
                    "channel": self.channel_name,
                },
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
        self.present = True
        self.room.refresh_from_db(fields=["last_seq"])
        return first, services.presence_list(room=self.room)

    async def disconnect(self, code):
        """Undo what ``connect`` did, as far as it got (it may have failed half-way): leave the
        fan-out and the person's group, forget the presence and tell the room."""
        if self.fanout is not None:
            await self.fanout.leave(self)
            self.delivery_stop()
        if self.in_user_group:
            try:
                await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
            except Exception:
                logger.warning("channel layer: could not leave the groups", exc_info=True)
        if self.present:
            last = await database_sync_to_async(services.presence_leave)(
                room=self.room, user=self.user, channel_name=self.channel_name
            )
            if last:
                await presence_announce(
                    self.room, {"type": "chat.presence", "left": person_frame(self.user)}
                )

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
            raise unknown_type(kind)
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
        sent = await self._call(
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
        await self.deliver(sent.frame, requested=True)

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
        person = person_frame(self.user)
        event = {"type": "chat.typing", "user": person}
        await asend_event(
            room_group(self.room.pk), encoded(event, {"type": "typing", "user": person})
        )

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

    # --- doorbells on the person's own group ---------------------------------------------------

    async def user_membership(self, event):
        """Membership changed somewhere (doorbell from core.services): if it was this room's
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

    async def user_moderation(self, event):
        """So is the moderation badge."""


def _error_code(exc: ValidationError) -> str:
    """The code of the first error the service gave (e.g. "too_long", "empty")."""
    errors = (
        [e for group in exc.error_dict.values() for e in group]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    return next((e.code for e in errors if e.code), "invalid")
