"""A post's pages and actions: permalink, reply, edit and history, delete, react, bookmark,
accept, report, hide; and the live Markdown preview."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import markup, permissions
from core.context_processors import mark_draft_sent
from core.forms import add_service_errors
from core.permissions import Action, Refusal
from core.selectors import community_get
from forums import selectors, services
from forums.forms import HideForm, PostEditForm, ReplyForm, ReportForm
from forums.fragments import ReaderView, render_reactions
from forums.models import Post
from forums.views.context import post_url, thread_context


def markdown_preview(request: HttpRequest) -> HttpResponse:
    """Live preview of Markdown as it will be shown (htmx)."""
    if request.method != "POST":
        return HttpResponse(status=HTTPStatus.METHOD_NOT_ALLOWED)
    source = request.POST.get("body", "")[:20000]
    return render(request, "forums/_preview.html", {"html": markup.render(source)})


def _post_for(request: HttpRequest, post_id: int) -> Post:
    """The post, if the reader may read its thread (Http404 / Refusal otherwise)."""
    post = selectors.post_get(post_id=post_id)
    permissions.check(request.user, Action.THREAD_READ, post.thread.community)
    return post


def _done(request: HttpRequest, post: Post, message: str | None = None) -> HttpResponse:
    """Back to the post, with ``message`` shown there."""
    if message:
        messages.success(request, message)
    return redirect(post_url(post.thread, post.number))


def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    return redirect(post_url(post.thread, post.number))


@login_required
@require_POST
def post_reply(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    form = ReplyForm(request.POST, draft_key=f"reply-{thread.pk}")
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    if form.is_valid():
        quoted_id = form.cleaned_data.get("quoted")
        quoted = selectors.post_get_visible(thread=thread, post_id=quoted_id) if quoted_id else None
        try:
            post = services.post_reply(
                thread=thread, author=request.user, body=form.cleaned_data["body"], quoted=quoted
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Refusal as exc:
            form.add_error(None, exc.message)
            status = HTTPStatus.FORBIDDEN
        else:
            mark_draft_sent(request, f"reply-{thread.pk}")
            return redirect(post_url(thread, post.number))
    # Refused or invalid: show the thread's last page with the typed reply kept in the form.
    thread.refresh_from_db()
    page = selectors.thread_posts_page(
        thread=thread, user=request.user, page=selectors.page_of_number(thread.last_post_number)
    )
    return render(
        request,
        "forums/thread_detail.html",
        thread_context(request, thread, page, form),
        status=status,
    )


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    thread = post.thread
    community = thread.community
    refusal = permissions.refusal(request.user, Action.POST_EDIT, community, obj=post)
    initial = {"body": post.body, "title": thread.title}
    form = PostEditForm(request.POST or None, initial=initial, with_title=post.number == 1)
    status = HTTPStatus.OK
    if refusal is not None:
        messages.error(request, refusal.message)
        status = HTTPStatus.FORBIDDEN
    elif request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Refusal as exc:
            form.add_error(None, exc.message)
            status = HTTPStatus.FORBIDDEN
        else:
            return redirect(post_url(thread, post.number))
    if request.method == "POST" and form.errors and status == HTTPStatus.OK:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "forums/post_edit.html",
        {"community": community, "thread": thread, "post": post, "form": form, "refused": refusal},
        status=status,
    )


def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    if not post.is_visible and not permissions.can(
        request.user, Action.POST_HIDE, post.thread.community
    ):
        raise Refusal(_("This post is not available."))
    return render(
        request,
        "forums/post_history.html",
        {
            "community": post.thread.community,
            "thread": post.thread,
            "post": post,
            "revisions": selectors.post_revisions(post=post),
        },
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    services.post_delete(post=post, actor=request.user)
    return _done(request, post, _("The post has been deleted."))


@login_required
@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    try:
        services.post_react(post=post, user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=HTTPStatus.BAD_REQUEST)
    if request.htmx:
        view = ReaderView(user=request.user, can_react=True)
        return HttpResponse(render_reactions(request=request, post=post, view=view))
    return _done(request, post)


@login_required
@require_POST
def post_bookmark(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    on = services.post_bookmark(post=post, user=request.user)
    return _done(request, post, _("Bookmarked.") if on else _("Bookmark removed."))


@login_required
@require_POST
def post_accept(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    accept = request.POST.get("accept", "1") == "1"
    try:
        services.post_accept(post=post, actor=request.user, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _done(request, post)
    return _done(
        request,
        post,
        _("Marked as the accepted answer.") if accept else _("Accepted answer removed."),
    )


@login_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    permissions.check(request.user, Action.POST_REPORT, post.thread.community, obj=post)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            post=post,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
        return _done(request, post, _("Thank you. A moderator will look at this post."))
    return render(
        request,
        "forums/post_report.html",
        {"community": post.thread.community, "thread": post.thread, "post": post, "form": form},
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
@require_POST
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    form = HideForm(request.POST)
    form.is_valid()
    hidden = request.POST.get("hidden", "1") == "1"
    services.post_set_hidden(
        post=post, actor=request.user, hidden=hidden, reason=form.cleaned_data.get("reason", "")
    )
    return _done(
        request, post, _("The post is hidden.") if hidden else _("The post is visible again.")
    )
