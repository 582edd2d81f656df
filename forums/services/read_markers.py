"""How far people have read: threads (by post number) and chat rooms (by seq).

Both markers move forward only, through one upsert that needs no lock: a concurrent request of
the same person (another tab) can never move a marker back or fail on the unique constraint."""

from __future__ import annotations

from django.db import models

from accounts.models import User
from forums.models import ChatReadState, ChatRoom, Thread, ThreadReadState


def _advance(model: type[models.Model], field: str, value: int, **key) -> None:
    """Set ``model.<field>`` of the row ``key`` to ``value`` unless it is there already or
    further; create the row when there is none (one statement each, no savepoint: a row
    created meanwhile by another request wins, and is moved on by the next call)."""
    updated = model.objects.filter(**key, **{f"{field}__lt": value}).update(**{field: value})
    if not updated:
        model.objects.bulk_create([model(**key, **{field: value})], ignore_conflicts=True)


def thread_read_advance(*, user: User, thread: Thread, number: int) -> None:
    """Move ``user``'s marker in ``thread`` to ``number`` (posted or read); never back."""
    _advance(ThreadReadState, "last_read_number", number, user=user, thread=thread)


def thread_mark_read(
    *, thread: Thread, user: User, number: int, state: ThreadReadState | None = None
) -> None:
    """Remember that ``user`` has seen posts up to ``number`` (never moves backwards, never past
    the thread's last post; nothing for visitors).

    ``state``: the reader's marker if the caller has just loaded it; then nothing is written
    when it is already far enough, so re-reading a page costs no write."""
    if not user.is_authenticated or number <= 0:
        return
    number = min(number, thread.last_post_number)
    if state is not None and state.last_read_number >= number:
        return
    thread_read_advance(user=user, thread=thread, number=number)


def chat_read_advance(*, user: User, room: ChatRoom, seq: int) -> None:
    """Move ``user``'s marker in ``room`` to ``seq`` (sent or read); never back."""
    _advance(ChatReadState, "last_seq", seq, user=user, room=room)


def chat_mark_read(*, room: ChatRoom, user: User, seq: int) -> None:
    """Move the person's unread marker forward to ``seq`` (never back, never past the room's
    last message as the caller loaded it; nothing for visitors)."""
    if user.is_authenticated and seq > 0:
        chat_read_advance(user=user, room=room, seq=min(seq, room.last_seq))
