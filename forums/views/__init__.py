"""Pages of the forums app: threads and posts (threads.py), chat rooms (chat.py)."""
