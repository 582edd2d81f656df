"""What moderators do to threads (pin, lock, delete, move), the report queues (posts and chat
messages) and tags."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.forms import add_service_errors
from core.permissions import Action, Refusal
from core.selectors import community_get, community_list_except
from forums import selectors, services
from forums.forms import MoveForm, TagDeleteForm, TagForm
from forums.models import Thread


def _thread_for(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    community = community_get(slug=slug)
    return selectors.thread_get(community=community, thread_id=thread_id, user=request.user)


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
    form = MoveForm(request.POST or None, choices=community_list_except(community=thread.community))
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
        {"community": community, "reports": selectors.report_list_open(community=community)},
    )


@login_required
@require_POST
def report_resolve(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    report = selectors.report_get(community=community, report_id=report_id)
    hide = request.POST.get("decision") == "hide"
    services.report_resolve(report=report, actor=request.user, hide=hide)
    messages.success(request, _("Post hidden.") if hide else _("Report dismissed."))
    return redirect("report_queue", slug=slug)


@login_required
def message_report_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Reported chat messages of the community, newest first (moderators)."""
    community = community_get(slug=slug)
    permissions.check(request.user, Action.CHAT_MODERATE, community)
    return render(
        request,
        "forums/message_report_queue.html",
        {
            "community": community,
            "reports": selectors.message_report_list_open(community=community),
        },
    )


@login_required
@require_POST
def message_report_resolve(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    community = community_get(slug=slug)
    report = selectors.message_report_get(community=community, report_id=report_id)
    remove = request.POST.get("decision") == "remove"
    try:
        services.message_report_resolve(report=report, actor=request.user, remove=remove)
    except Refusal as exc:
        if not permissions.can(request.user, Action.CHAT_MODERATE, community):
            raise
        messages.error(request, exc.message)  # e.g. the room was archived meanwhile
    else:
        messages.success(request, _("Message removed.") if remove else _("Report dismissed."))
    return redirect("message_report_queue", slug=slug)


@login_required
def tag_manage(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.TAG_MANAGE, community)
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            chosen = TagDeleteForm(request.POST)
            if not chosen.is_valid():
                raise BadRequest(chosen.errors.as_text())
            tag = selectors.tag_get(community=community, tag_id=chosen.cleaned_data["delete"])
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
        {"community": community, "form": form, "tags": selectors.tag_list(community=community)},
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )
