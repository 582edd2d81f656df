"""Thread lists and thread pages. Thin: parse, call one service or selector, render.

Every form works without JavaScript; htmx requests get a partial instead of the whole page.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import markup, permissions, versions
from core.context_processors import mark_draft_sent
from core.forms import add_service_errors
from core.pagecache import visitor_page
from core.params import query_int
from core.permissions import Action, Refusal
from core.selectors import community_get
from forums import selectors, services
from forums.forms import ReplyForm, ThreadForm
from forums.fragments import render_thread_rows
from forums.views.context import (
    THREAD_PAGE_PARAMS,
    member_thread_context,
    post_url,
    posts_html,
    thread_context,
)
from forums.visitor_cache import (
    VISITOR_LIST_SECONDS,
    VISITOR_PAGE_SECONDS,
    community_shown,
    visitor_posts_page,
)

# What the list reads from its address (core.pagecache.query_cacheable).
THREAD_LIST_PARAMS = ("after", "tag", "filter")


def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.THREAD_READ, community)
    return visitor_page(
        request,
        name="threads",
        # Read only for a visitor's page (the field is not cached with the community).
        version=lambda: f"{community.pk}.{community.activity_version}.{community_shown(community)}",
        seconds=VISITOR_LIST_SECONDS,
        render=lambda csrf_token: _thread_list(request, community, csrf_token),
        params=THREAD_LIST_PARAMS,
    )


def _thread_list(request: HttpRequest, community, csrf_token: str) -> HttpResponse:
    page = selectors.thread_list(
        community=community,
        user=request.user,
        cursor=request.GET.get("after", ""),
        tag_slug=request.GET.get("tag", ""),
        filter=request.GET.get("filter", ""),
    )
    context = {
        "csrf_token": csrf_token,
        "community": community,
        "page": page,
        "rows_html": render_thread_rows(threads=[*page.pinned, *page.threads]),
        "tags": selectors.tag_list(community=community),
        "can_create": permissions.can(request.user, Action.THREAD_CREATE, community),
        "can_moderate": permissions.can(request.user, Action.THREAD_PIN, community),
        "filters": [
            ("", _("All")),
            ("unanswered", _("Unanswered")),
            ("solved", _("Solved")),
            *([("following", _("Following"))] if request.user.is_authenticated else []),
        ],
    }
    if request.htmx and request.GET.get("after"):
        return render(request, "forums/_thread_rows.html", context)
    return render(request, "forums/thread_list.html", context)


@login_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    refusal = permissions.refusal(request.user, Action.THREAD_CREATE, community)
    form = ThreadForm(request.POST or None, community=community, draft_key=f"new-thread-{slug}")
    preview = None
    status = HTTPStatus.OK
    if refusal is not None:
        messages.error(request, refusal.message)
        status = HTTPStatus.FORBIDDEN
    elif request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = markup.render(form.cleaned_data["body"])
        else:
            try:
                thread = services.thread_create(
                    community=community,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    tags=form.cleaned_data["tags"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Refusal as exc:
                messages.error(request, exc.message)
                status = HTTPStatus.FORBIDDEN
            else:
                mark_draft_sent(request, f"new-thread-{slug}")
                return redirect(thread.get_absolute_url())
    if status == HTTPStatus.OK and request.method == "POST" and form.errors:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "forums/thread_form.html",
        {"community": community, "form": form, "preview": preview, "refused": refusal},
        status=status,
    )


def thread_detail(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    page_number = query_int(request.GET, "page", default=1)
    if not request.user.is_authenticated:
        permissions.check(request.user, Action.THREAD_READ, community)
        # Keyed by the thread's content version, which moves with its Thread.version and when
        # it is deleted: a visitor's page is served without asking the database anything.
        return visitor_page(
            request,
            name="thread",
            version=lambda: ".".join(
                (
                    str(thread_id),
                    versions.current(versions.thread(thread_id), seconds=versions.THREAD_SECONDS),
                    str(community_shown(community)),
                )
            ),
            seconds=VISITOR_PAGE_SECONDS,
            render=lambda csrf_token: _thread_detail_for_visitor(
                request, community, thread_id, page_number, csrf_token
            ),
            params=THREAD_PAGE_PARAMS,
        )
    thread = _thread_or_moved(request, community, thread_id)
    if isinstance(thread, HttpResponse):
        return thread
    quote_id = query_int(request.GET, "quote", default=None)
    if quote_id is None:
        context = member_thread_context(request, thread, page_number)
        if context is not None:
            if context["last_number"]:
                services.thread_mark_read(
                    thread=thread,
                    user=request.user,
                    number=context["last_number"],
                    state=context["page"].read_state,
                )
            return render(request, "forums/thread_detail.html", context)
    # A page with a post of the reader's own, or a reply that quotes one: all of it theirs.
    thread.tag_list = selectors.thread_tags(thread=thread)
    page = selectors.thread_posts_page(thread=thread, user=request.user, page=page_number)
    reply_form = ReplyForm(draft_key=f"reply-{thread.pk}")
    quoted = selectors.post_get_visible(thread=thread, post_id=quote_id) if quote_id else None
    if quoted is not None:
        reply_form = ReplyForm(
            initial={"body": services.post_quote_body(post=quoted), "quoted": quoted.pk},
            draft_key=f"reply-{thread.pk}",
        )
    if page.posts:
        services.thread_mark_read(
            thread=thread, user=request.user, number=page.posts[-1].number, state=page.read_state
        )
    return render(
        request, "forums/thread_detail.html", thread_context(request, thread, page, reply_form)
    )


def _thread_or_moved(request: HttpRequest, community, thread_id: int):
    """The thread (without its tags: they come with the page, cached whole or read later), or
    a redirect to where it moved since the link was shared (a missing or deleted thread is
    still a 404, from thread_find)."""
    try:
        return selectors.thread_get(
            community=community, thread_id=thread_id, user=request.user, with_tags=False
        )
    except Http404:
        moved = selectors.thread_find(thread_id=thread_id)
        query = request.GET.urlencode()
        return redirect(moved.get_absolute_url() + (f"?{query}" if query else ""))


def _thread_detail_for_visitor(
    request, community, thread_id: int, page_number: int, csrf_token
) -> HttpResponse:
    thread = _thread_or_moved(request, community, thread_id)
    if isinstance(thread, HttpResponse):
        return thread
    thread.tag_list = selectors.thread_tags(thread=thread)
    pages = selectors.page_of_number(max(thread.last_post_number, 1))
    page_number = min(max(page_number, 1), pages)

    def render_page() -> dict:
        page = selectors.thread_posts_page(thread=thread, user=request.user, page=page_number)
        html = posts_html(request, thread, page.posts)
        return {"html": str(html), "last_number": page.posts[-1].number if page.posts else 0}

    cached = visitor_posts_page(thread=thread, page=page_number, render=render_page)
    page = selectors.PostPage(posts=[], page=page_number, pages=pages)
    context = thread_context(request, thread, page, ReplyForm(draft_key=f"reply-{thread.pk}"))
    context.update(
        posts_html=mark_safe(cached["html"]),  # noqa: S308 - our own rendered template
        last_number=cached["last_number"],
        csrf_token=csrf_token,
    )
    return render(request, "forums/thread_detail.html", context)


def thread_unread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Jump to the first post this person has not read yet."""
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    number = (
        selectors.thread_first_unread(thread=thread, user=request.user) or thread.last_post_number
    )
    return redirect(post_url(thread, number))


def posts_new(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Posts after ``?after=N`` as HTML rows, for the live thread page."""
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    after = query_int(request.GET, "after", default=0, minimum=0)
    posts = selectors.posts_after(thread=thread, user=request.user, after=after)
    if posts:
        services.thread_mark_read(
            thread=thread,
            user=request.user,
            number=posts[-1].number,
            state=selectors.thread_read_state(thread=thread, user=request.user),
        )
    return HttpResponse(posts_html(request, thread, posts))


@login_required
@require_POST
def thread_follow(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    follow = request.POST.get("follow", "1") == "1"
    services.thread_follow(thread=thread, user=request.user, follow=follow)
    messages.success(
        request,
        _("You will be notified of replies.") if follow else _("You no longer follow this thread."),
    )
    return redirect(thread.get_absolute_url())


@login_required
def bookmark_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "forums/bookmarks.html", {"bookmarks": selectors.bookmark_list(user=request.user)}
    )
