"""Writes of the forums app: threads and posts (threads.py), chat (chat.py).

Import from here: ``from forums import services; services.thread_create(...)``.
"""

from forums.services.chat import *  # noqa: F403
from forums.services.chat import __all__ as _chat
from forums.services.threads import *  # noqa: F403
from forums.services.threads import __all__ as _threads

__all__ = [*_threads, *_chat]
