"""What thread pages' templates need to know about the reader: the one place their permission
flags are computed (the thread page, its visitor version and the live page's new posts)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from core import permissions
from core.pagecache import path_digest, query_cacheable
from core.permissions import Action
from forums import selectors
from forums.forms import ReplyForm
from forums.fragments import (
    CSRF_SLOT,
    MAIN_SECONDS,
    POSTS_SLOT,
    ReaderView,
    marks_keys,
    member_posts_entry,
    member_posts_html,
    reader_marks,
    render_posts,
)
from forums.models import Thread
from forums.visitor_cache import community_shown


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


# What a thread page reads from its address (core.pagecache.query_cacheable); ``quote`` makes
# the page the reader's own anyway.
THREAD_PAGE_PARAMS = ("page",)


def member_thread_context(request: HttpRequest, thread: Thread, page_number: int) -> dict | None:
    """The thread page's context for a signed-in reader, its main part (``main_html``) from the
    one cached for every reader who sees the page as they do; None when theirs cannot be
    shared: they wrote one of its posts (which shows them "Edit" and all of their details), or
    the address holds more than THREAD_PAGE_PARAMS.

    Shared by readers of the same role in the community, the same permission flags (react,
    reply and why not, moderate, accept), following the thread or not, with unread posts or
    not, the same path, language and zone; kept under the thread's version, so every change
    to what it shows makes a new one. Their own part is applied per request: reactions
    pressed, bookmarks, the CSRF token (forums/fragments.py)."""
    if not query_cacheable(request, THREAD_PAGE_PARAMS):
        return None
    user = request.user
    community = thread.community
    flags = thread_flags(user, thread)
    page = selectors.thread_page_shape(thread=thread, user=user, page=page_number)
    refusal = flags["reply_refusal"]
    path = path_digest(request)
    key = ":".join(
        str(part)
        for part in (
            "tmain",
            thread.pk,
            thread.version,
            page.page,
            path,
            get_language(),
            get_current_timezone_name(),
            int(permissions.role_of(user, community)),
            "".join(str(int(flags[name])) for name in _VIEW_FLAGS),
            refusal.code if refusal else "",
            int(bool(getattr(thread, "is_following", False))),
            int(page.first_unread is not None),
            community_shown(community),
        )
    )
    reply_form = ReplyForm(draft_key=f"reply-{thread.pk}")
    context = {
        "community": community,
        "thread": thread,
        "page": page,
        "reply_form": reply_form,
        **flags,
    }
    mark_keys = marks_keys(user.pk, thread.pk, page.page)
    found = cache.get_many([key, *mark_keys])  # one round trip for the page and the marks
    entry = found.get(key)
    if entry is None:
        posts = selectors.thread_page_posts(thread=thread, page=page.page)
        if any(post.author_id == user.pk for post in posts):
            return None
        entry = member_posts_entry(
            request=request, thread=thread, posts=posts, view=reader_view(user, flags)
        )
        thread.tag_list = selectors.thread_tags(thread=thread)
        html = render_to_string(
            "forums/_thread_main.html",
            {
                **context,
                "page_window": selectors.page_window(page=page.page, pages=page.pages),
                "is_following": getattr(thread, "is_following", False),
                "last_number": entry["last_number"],
                "posts_html": mark_safe(POSTS_SLOT),  # noqa: S308 - our own constant
                "csrf_token": CSRF_SLOT,
            },
            request=request,
        )
        entry["prefix"], entry["suffix"] = html.split(POSTS_SLOT)
        cache.set(key, entry, MAIN_SECONDS)
    elif user.pk in entry["authors"]:
        return None
    marks = reader_marks(user=user, post_ids=entry["ids"], keys=mark_keys, found=found)
    html = entry["prefix"] + member_posts_html(entry=entry, marks=marks) + entry["suffix"]
    context["main_html"] = mark_safe(  # noqa: S308 - our templates, the token escaped
        html.replace(CSRF_SLOT, escape(get_token(request)))
    )
    context["last_number"] = entry["last_number"]
    return context


_VIEW_FLAGS = ("can_react", "can_reply", "can_moderate", "can_accept")


def post_url(thread: Thread, number: int) -> str:
    """The address of post ``number`` on its page of the thread."""
    page = selectors.page_of_number(number)
    return f"{thread.get_absolute_url()}?page={page}#p{number}"
