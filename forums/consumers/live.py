"""``/ws/live/``: new replies on thread pages, the notification badge and the moderation
badge. Open to anonymous readers (thread pages are public); signed-in people also get their
badge count, and moderators what waits for them."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from accounts.selectors import notification_unread_count
from core.moderation import pending_total
from core.realtime import user_group
from forums import selectors
from forums.consumers.base import FrameError, GuardedConsumer, scope_language, unknown_type
from forums.realtime import thread_group

WATCH_MAX = 10


class LiveConsumer(GuardedConsumer):
    metrics_kind = "live"
    watching: set[int] = frozenset()  # a set of its own once connected
    in_user_group = False

    async def connect(self):
        self.lang = scope_language(self.scope)
        self.user = self.scope["user"]
        self.watching: set[int] = set()
        await self.accept()
        if self.user.is_authenticated:
            await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
            self.in_user_group = True
            await self.user_notifications({})
            await self.user_moderation({})

    async def disconnect(self, code):
        for thread_id in self.watching:
            await self.channel_layer.group_discard(thread_group(thread_id), self.channel_name)
        if self.in_user_group:
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

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
            await self.channel_layer.group_add(thread_group(thread_id), self.channel_name)
            # The current number, so a page that reconnects learns of replies it missed.
            await self.thread_post({"thread": thread_id, "number": last_number})
        else:
            raise unknown_type(kind)

    async def thread_post(self, event):
        await self.send_json(
            {"type": "thread.post", "thread": event["thread"], "number": event["number"]}
        )

    async def user_notifications(self, event):
        count = await database_sync_to_async(notification_unread_count)(user=self.user)
        await self.send_json({"type": "notifications", "unread": count})

    async def user_moderation(self, event):
        """What waits for a moderator (core.moderation.announce_queue_change rings it); nothing
        for someone who moderates nothing."""
        pending = await database_sync_to_async(pending_total)(self.user)
        if pending is not None:
            await self.send_json({"type": "moderation", "pending": pending})

    async def user_membership(self, event):
        """Thread pages are public; a membership change does not affect this connection."""
