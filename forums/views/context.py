"""What thread pages' templates need to know about the reader: the one place their permission
flags are computed (the thread page, its visitor version and the live page's new posts)."""

from __future__ import annotations

from django.http import HttpRequest

from core import permissions
from core.permissions import Action
from forums import selectors
from forums.fragments import ReaderView, render_posts
from forums.models import Thread


def thread_flags(user, thread: Thread) -> dict:
    """``can_reply``/``reply_refusal``, ``can_react``, ``can_moderate``, ``can_accept``."""
    community = thread.community
    reply_refusal = permissions.refusal(user, Action.POST_REPLY, community, obj=thread)
    return {
        "reply_refusal": reply_refusal,
        "can_reply": reply_refusal is None,
        "can_react": permissions.can(user, Action.POST_REACT, community, obj=thread),
        "can_moderate": permissions.can(user, Action.THREAD_PIN, community),
        "can_accept": permissions.can(user, Action.POST_ACCEPT, community, obj=thread),
    }


def reader_view(user, flags: dict) -> ReaderView:
    """What the post fragments need to know of the reader (forums/fragments.py)."""
    return ReaderView(
        user=user,
        can_react=flags["can_react"],
        can_reply=flags["can_reply"],
        can_moderate=flags["can_moderate"],
        can_accept=flags["can_accept"],
    )


def posts_html(request: HttpRequest, thread: Thread, posts: list, flags: dict | None = None):
    """The rendered articles of ``posts`` for this reader."""
    flags = flags if flags is not None else thread_flags(request.user, thread)
    return render_posts(
        request=request, thread=thread, posts=posts, view=reader_view(request.user, flags)
    )


def thread_context(request: HttpRequest, thread: Thread, page, reply_form) -> dict:
    """The thread page's context for one page of posts (``selectors.PostPage``), with the
    posts rendered (``posts_html``)."""
    flags = thread_flags(request.user, thread)
    return {
        "community": thread.community,
        "thread": thread,
        "page": page,
        "page_window": selectors.page_window(page=page.page, pages=page.pages),
        "reply_form": reply_form,
        "is_following": getattr(thread, "is_following", False),
        "last_number": page.posts[-1].number if page.posts else 0,
        "posts_html": posts_html(request, thread, page.posts, flags),
        **flags,
    }


def post_url(thread: Thread, number: int) -> str:
    """The address of post ``number`` on its page of the thread."""
    page = selectors.page_of_number(number)
    return f"{thread.get_absolute_url()}?page={page}#p{number}"
