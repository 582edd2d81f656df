"""Thread and chat pages. Thin: parse, call one service or selector, render or redirect.

Every form works without JavaScript; htmx requests get a partial instead of the whole page.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cop import markup, permissions
from cop.context_processors import mark_draft_sent
from cop.forms import add_service_errors
from cop.models import Community
from cop.permissions import Action, Refusal
from cop.selectors import community_get
from forums import selectors, services
from forums.forms import (
    HideForm,
    MoveForm,
    PostEditForm,
    ReplyForm,
    ReportForm,
    TagForm,
    ThreadForm,
)
from forums.models import Reaction, Report, Tag

# --- Threads -----------------------------------------------------------------------------------


def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.THREAD_READ, community)
    page = selectors.thread_list(
        community=community,
        user=request.user,
        cursor=request.GET.get("after", ""),
        tag_slug=request.GET.get("tag", ""),
        filter=request.GET.get("filter", ""),
    )
    context = {
        "community": community,
        "page": page,
        "tags": selectors.community_tags(community=community),
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


def markdown_preview(request: HttpRequest) -> HttpResponse:
    """Live preview of Markdown as it will be shown (htmx)."""
    if request.method != "POST":
        return HttpResponse(status=HTTPStatus.METHOD_NOT_ALLOWED)
    source = request.POST.get("body", "")[:20000]
    return render(request, "forums/_preview.html", {"html": markup.render(source)})


def thread_detail(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    try:
        thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    except Http404:
        # Moved to another community since the link was shared: send the reader there (a
        # missing or deleted thread is still a 404, from thread_find).
        moved = selectors.thread_find(thread_id=thread_id)
        query = request.GET.urlencode()
        return redirect(moved.get_absolute_url() + (f"?{query}" if query else ""))
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    if not request.user.is_authenticated:
        return _thread_detail_for_visitor(request, thread, page_number)
    page = selectors.thread_posts_page(thread=thread, user=request.user, page=page_number)
    reply_form = ReplyForm(draft_key=f"reply-{thread.pk}")
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        quoted = thread.posts.filter(pk=int(quote_id)).select_related("author").first()
        if quoted and quoted.is_visible:
            reply_form = ReplyForm(
                initial={"body": services.post_quote_body(post=quoted), "quoted": quoted.pk},
                draft_key=f"reply-{thread.pk}",
            )
    if page.posts:
        services.thread_mark_read(
            thread=thread, user=request.user, number=page.posts[-1].number, state=page.read_state
        )
    return render(
        request, "forums/thread_detail.html", _thread_context(request, thread, page, reply_form)
    )


VISITOR_PAGE_SECONDS = 600


def _thread_detail_for_visitor(request, thread, page_number: int) -> HttpResponse:
    """Most readers are not signed in, and for them a page of posts is the same for everyone:
    it is rendered once per thread version (bumped by every change to its posts) and language,
    and cached. The rest of the page (header, forms with their CSRF token) is rendered per
    request. Author details shown in posts may lag up to VISITOR_PAGE_SECONDS."""
    pages = selectors.page_of_number(max(thread.last_post_number, 1))
    page_number = min(max(page_number, 1), pages)
    key = f"thread-posts:{thread.pk}:{thread.version}:{page_number}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        page = selectors.thread_posts_page(thread=thread, user=request.user, page=page_number)
        context = _thread_context(request, thread, page, None)
        cached = {
            "html": render_to_string(
                "forums/_posts.html", {**context, "posts": page.posts}, request=request
            ),
            "last_number": context["last_number"],
        }
        cache.set(key, cached, VISITOR_PAGE_SECONDS)
    page = selectors.PostPage(posts=[], page=page_number, pages=pages)
    context = _thread_context(request, thread, page, ReplyForm(draft_key=f"reply-{thread.pk}"))
    context.update(posts_html=mark_safe(cached["html"]), last_number=cached["last_number"])  # noqa: S308 - our own rendered template
    return render(request, "forums/thread_detail.html", context)


def _thread_context(request, thread, page, reply_form) -> dict:
    community = thread.community
    user = request.user
    reply_refusal = permissions.refusal(user, Action.POST_REPLY, community, obj=thread)
    return {
        "community": community,
        "thread": thread,
        "page": page,
        "page_window": selectors.page_window(page=page.page, pages=page.pages),
        "reply_form": reply_form,
        "reply_refusal": reply_refusal,
        "can_reply": reply_refusal is None,
        "can_react": permissions.can(user, Action.POST_REACT, community, obj=thread),
        "can_moderate": permissions.can(user, Action.THREAD_PIN, community),
        "can_accept": permissions.can(user, Action.POST_ACCEPT, community, obj=thread),
        "is_following": getattr(thread, "is_following", False),
        "last_number": page.posts[-1].number if page.posts else 0,
        "reaction_kinds": page.reaction_kinds,
    }


def thread_unread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Jump to the first post this person has not read yet."""
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    number = (
        selectors.thread_first_unread(thread=thread, user=request.user) or thread.last_post_number
    )
    return redirect(_post_url(thread, number))


def _post_url(thread, number: int) -> str:
    page = selectors.page_of_number(number)
    return f"{thread.get_absolute_url()}?page={page}#p{number}"


def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get(post_id=post_id)
    permissions.check(request.user, Action.THREAD_READ, post.thread.community)
    return redirect(_post_url(post.thread, post.number))


def posts_new(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Posts after ``?after=N`` as HTML rows, for the live thread page."""
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    posts = selectors.posts_after(thread=thread, user=request.user, after=after)
    if posts:
        services.thread_mark_read(
            thread=thread,
            user=request.user,
            number=posts[-1].number,
            state=selectors.thread_read_state(thread=thread, user=request.user),
        )
    context = {
        "community": community,
        "thread": thread,
        "posts": posts,
        "can_reply": permissions.can(request.user, Action.POST_REPLY, community, obj=thread),
        "can_react": permissions.can(request.user, Action.POST_REACT, community, obj=thread),
        "can_moderate": permissions.can(request.user, Action.THREAD_PIN, community),
        "can_accept": permissions.can(request.user, Action.POST_ACCEPT, community, obj=thread),
        "reaction_kinds": list(Reaction.Kind),
    }
    return render(request, "forums/_posts.html", context)


@login_required
@require_POST
def post_reply(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    thread = selectors.thread_get(community=community, thread_id=thread_id, user=request.user)
    form = ReplyForm(request.POST, draft_key=f"reply-{thread.pk}")
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    if form.is_valid():
        quoted = None
        if form.cleaned_data.get("quoted"):
            quoted = thread.posts.filter(pk=form.cleaned_data["quoted"]).first()
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
            return redirect(_post_url(thread, post.number))
    # Refused or invalid: show the thread's last page with the typed reply kept in the form.
    thread.refresh_from_db()
    page = selectors.thread_posts_page(
        thread=thread, user=request.user, page=selectors.page_of_number(thread.last_post_number)
    )
    return render(
        request,
        "forums/thread_detail.html",
        _thread_context(request, thread, page, form),
        status=status,
    )


def _post_for(request, post_id: int):
    post = selectors.post_get(post_id=post_id)
    permissions.check(request.user, Action.THREAD_READ, post.thread.community)
    return post


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    thread = post.thread
    community = thread.community
    with_title = post.number == 1
    refusal = permissions.refusal(request.user, Action.POST_EDIT, community, obj=post)
    initial = {"body": post.body, "title": thread.title}
    form = PostEditForm(request.POST or None, initial=initial, with_title=with_title)
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
            return redirect(_post_url(thread, post.number))
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


def _action_response(request, post, message: str | None = None) -> HttpResponse:
    if message:
        messages.success(request, message)
    return redirect(_post_url(post.thread, post.number))


@login_required
@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    services.post_delete(post=post, actor=request.user)
    return _action_response(request, post, _("The post has been deleted."))


@login_required
@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    try:
        services.post_react(post=post, user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=HTTPStatus.BAD_REQUEST)
    if request.htmx:
        post.refresh_from_db()
        post.reaction_summary = selectors.reaction_summary(post, request.user)
        return render(
            request,
            "forums/_reactions.html",
            {"post": post, "can_react": True, "reaction_kinds": list(Reaction.Kind)},
        )
    return _action_response(request, post)


@login_required
@require_POST
def post_bookmark(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    on = services.post_bookmark(post=post, user=request.user)
    return _action_response(request, post, _("Bookmarked.") if on else _("Bookmark removed."))


@login_required
@require_POST
def post_accept(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    accept = request.POST.get("accept", "1") == "1"
    try:
        services.post_accept(post=post, actor=request.user, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _action_response(request, post)
    return _action_response(
        request,
        post,
        _("Marked as the accepted answer.") if accept else _("Accepted answer removed."),
    )


@login_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for(request, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            post=post,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
        return _action_response(request, post, _("Thank you. A moderator will look at this post."))
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
    return _action_response(
        request, post, _("The post is hidden.") if hidden else _("The post is visible again.")
    )


def _thread_for(request, slug: str, thread_id: int):
    community = community_get(slug=slug)
    return selectors.thread_get(community=community, thread_id=thread_id, user=request.user)


@login_required
@require_POST
def thread_follow(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = _thread_for(request, slug, thread_id)
    follow = request.POST.get("follow", "1") == "1"
    services.thread_follow(thread=thread, user=request.user, follow=follow)
    messages.success(
        request,
        _("You will be notified of replies.") if follow else _("You no longer follow this thread."),
    )
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def thread_moderate(request: HttpRequest, slug: str, thread_id: int, action: str) -> HttpResponse:
    thread = _thread_for(request, slug, thread_id)
    on = request.POST.get("on", "1") == "1"
    if action == "pin":
        services.thread_set_pinned(thread=thread, actor=request.user, pinned=on)
        text = _("The thread is pinned.") if on else _("The thread is unpinned.")
    elif action == "lock":
        services.thread_set_locked(thread=thread, actor=request.user, locked=on)
        text = _("The thread is locked.") if on else _("The thread is open again.")
    elif action == "delete":
        services.thread_delete(thread=thread, actor=request.user)
        messages.success(request, _("The thread has been deleted."))
        return redirect("thread_list", slug=thread.community.slug)
    else:
        return HttpResponse(status=HTTPStatus.NOT_FOUND)
    messages.success(request, text)
    return redirect(thread.get_absolute_url())


@login_required
def thread_move(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = _thread_for(request, slug, thread_id)
    permissions.check(request.user, Action.THREAD_MOVE, thread.community)
    choices = Community.objects.exclude(pk=thread.community_id)
    form = MoveForm(request.POST or None, choices=choices)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_move(
                thread=thread, actor=request.user, to=form.cleaned_data["community"]
            )
        except Refusal as exc:
            form.add_error("community", exc.message)
            status = HTTPStatus.FORBIDDEN
        else:
            messages.success(request, _("The thread has been moved."))
            return redirect(thread.get_absolute_url())
    if status == HTTPStatus.OK and form.errors:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "forums/thread_move.html",
        {"community": thread.community, "thread": thread, "form": form},
        status=status,
    )


@login_required
def report_queue(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.REPORT_RESOLVE, community)
    return render(
        request,
        "forums/report_queue.html",
        {"community": community, "reports": selectors.open_reports(community=community)},
    )


@login_required
@require_POST
def report_resolve(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    report = get_object_or_404(
        Report.objects.select_related("post__thread__community"),
        pk=report_id,
        post__thread__community=community,
    )
    hide = request.POST.get("decision") == "hide"
    services.report_resolve(report=report, actor=request.user, hide=hide)
    messages.success(request, _("Post hidden.") if hide else _("Report dismissed."))
    return redirect("report_queue", slug=slug)


@login_required
def tag_manage(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.TAG_MANAGE, community)
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            tag = get_object_or_404(Tag, community=community, pk=request.POST.get("delete"))
            services.tag_delete(tag=tag, actor=request.user)
            messages.success(request, _("Tag removed."))
            return redirect("tag_manage", slug=slug)
        if form.is_valid():
            try:
                services.tag_create(
                    community=community, actor=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Tag added."))
                return redirect("tag_manage", slug=slug)
    return render(
        request,
        "forums/tag_manage.html",
        {
            "community": community,
            "form": form,
            "tags": selectors.community_tags(community=community),
        },
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
def bookmark_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "forums/bookmarks.html", {"bookmarks": selectors.bookmarks_of(user=request.user)}
    )
