"""The forum's doorbells (chat rooms, live thread pages), rung through core.realtime.

Call these inside the transaction of the write they announce: they ring after it commits.
"""

from __future__ import annotations

from core.realtime import encoded, send_event_on_commit


def room_group(room_id: int) -> str:
    return f"chat.{room_id}"


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def announce_chat(*, room_id: int, frame: dict) -> None:
    """A chat frame (message, update) for everyone in the room, encoded once."""
    send_event_on_commit(
        room_group(room_id), encoded({"type": "chat.frame", "frame": frame}, frame)
    )


def announce_thread_post(*, thread_id: int, number: int) -> None:
    """A new post in a thread: live thread pages show "N new replies"."""
    send_event_on_commit(
        thread_group(thread_id), {"type": "thread.post", "thread": thread_id, "number": number}
    )
