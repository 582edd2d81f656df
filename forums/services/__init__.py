"""Writes of the forums app, one module per subject. Import from here:
``from forums import services; services.thread_create(...)``.

- ``threads``: starting, following, pinning, locking, deleting, moving threads;
- ``posts``: replies, edits, deletions, hiding, accepted answers;
- ``reactions``, ``reports``, ``tags``, ``read_markers``;
- ``chat`` (messages), ``rooms`` (rooms and mutes), ``presence``, ``chat_to_thread``;
- ``questions``: private questions to experts and their conversations;
- helpers the others share: ``text`` (titles, bodies, mentions, quotes), ``derived`` (search
  index, citations and cached pages kept current), ``citations``, ``flood``.
"""

from forums.services.chat import MessageSent, message_delete, message_edit, message_send
from forums.services.chat_to_thread import thread_from_chat
from forums.services.posts import (
    post_accept,
    post_delete,
    post_edit,
    post_reply,
    post_set_hidden,
)
from forums.services.presence import presence_enter, presence_leave, presence_list, presence_touch
from forums.services.questions import question_ask, question_mark_read, question_reply
from forums.services.reactions import post_bookmark, post_react
from forums.services.read_markers import chat_mark_read, thread_mark_read
from forums.services.reports import (
    message_report_create,
    message_report_resolve,
    report_create,
    report_resolve,
)
from forums.services.rooms import member_mute, member_unmute, room_create, room_update
from forums.services.tags import tag_create, tag_delete
from forums.services.text import post_quote_body, render_with_mentions
from forums.services.threads import (
    thread_create,
    thread_delete,
    thread_follow,
    thread_move,
    thread_set_locked,
    thread_set_pinned,
)

__all__ = [
    "MessageSent",
    "chat_mark_read",
    "member_mute",
    "member_unmute",
    "message_delete",
    "message_edit",
    "message_report_create",
    "message_report_resolve",
    "message_send",
    "post_accept",
    "post_bookmark",
    "post_delete",
    "post_edit",
    "post_quote_body",
    "post_react",
    "post_reply",
    "post_set_hidden",
    "presence_enter",
    "presence_leave",
    "presence_list",
    "presence_touch",
    "question_ask",
    "question_mark_read",
    "question_reply",
    "render_with_mentions",
    "report_create",
    "report_resolve",
    "room_create",
    "room_update",
    "tag_create",
    "tag_delete",
    "thread_create",
    "thread_delete",
    "thread_follow",
    "thread_from_chat",
    "thread_mark_read",
    "thread_move",
    "thread_set_locked",
    "thread_set_pinned",
]
