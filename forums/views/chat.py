"""Thread and chat pages. Thin: parse, call one service or selector, render or redirect.

Every form works without JavaScript; htmx requests get a partial instead of the whole page.
"""

from __future__ import annotations

import uuid
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_get, user_get_by_username
from core import markup, permissions
from core.forms import add_service_errors
from core.params import query_int
from core.permissions import Action, Refusal
from core.selectors import community_get
from forums import fragments, selectors, services
from forums.forms import (
    ChatToThreadForm,
    MessageForm,
    MessageReportForm,
    MuteForm,
    RoomForm,
    UnmuteForm,
)
from forums.frames import message_frame
from forums.models import ChatMessage


def _chat_sign_in(request: HttpRequest) -> HttpResponse:
    """Chat rooms are for signed-in members (threads are public): say so on the sign-in page
    instead of sending a visitor there without a word."""
    messages.info(
        request,
        _("Chat rooms are open to members of the community: sign in or join to read and write."),
    )
    return redirect_to_login(request.get_full_path())


def room_list(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _chat_sign_in(request)
    community = community_get(slug=slug)
    permissions.check(request.user, Action.CHAT_READ, community)
    return render(
        request,
        "forums/room_list.html",
        {
            "community": community,
            "rooms": selectors.room_list(community=community),
            "can_manage": permissions.can(request.user, Action.ROOM_MANAGE, community),
        },
    )


# Consecutive messages by one author within this many seconds share one avatar and name.
GROUP_SECONDS = 5 * 60


def _mark_groups(history: list) -> None:
    """Annotate each message with its day in the reader's zone, whether a day separator goes
    before it and whether it continues the previous author's group (chat.js does the same
    for live messages)."""
    previous = None
    for message in history:
        local = timezone.localtime(message.created)
        message.day = local.date().isoformat()
        message.day_break = previous is None or previous.day != message.day
        message.grouped = (
            previous is not None
            and not message.day_break
            and message.author_id is not None
            and previous.author_id == message.author_id
            and not message.reply_to_id
            and (message.created - previous.created).total_seconds() < GROUP_SECONDS
        )
        previous = message


def room_detail(request: HttpRequest, slug: str, room: str) -> HttpResponse:
    """The room's recent history, rendered on the server (works without JavaScript); a form
    posts a message through the same service the websocket uses."""
    if not request.user.is_authenticated:
        return _chat_sign_in(request)
    chat_room = selectors.room_get_for_reader(
        user=request.user, community_slug=slug, room_slug=room, with_state=True
    )
    # A fresh client_id in the form: submitting the same page twice (a double click, a
    # resubmitted POST) stores one message, as a websocket retry does.
    form = MessageForm(request.POST or None, initial={"client_id": uuid.uuid4().hex})
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_send(
                    room=chat_room,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data.get("client_id") or "",
                    reply_to_id=form.cleaned_data.get("reply_to"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Refusal as exc:
                form.add_error(None, exc.message)
                status = (
                    HTTPStatus.TOO_MANY_REQUESTS if exc.code == "flood" else HTTPStatus.FORBIDDEN
                )
            else:
                return redirect(chat_room.get_absolute_url())
        if status == HTTPStatus.OK:
            status = HTTPStatus.UNPROCESSABLE_ENTITY
    at = query_int(request.GET, "at", default=None)
    history = (
        selectors.messages_around(room=chat_room, seq=at)
        if at is not None
        else selectors.messages_recent(room=chat_room)
    )
    _mark_groups(history)
    last_read = selectors.room_last_read(room=chat_room, user=request.user)
    if history and history[-1].seq > last_read:  # reading it again writes nothing
        services.chat_mark_read(room=chat_room, user=request.user, seq=history[-1].seq)
    community = chat_room.community
    can_moderate = permissions.can(request.user, Action.CHAT_MODERATE, community)
    can_make_thread = permissions.can(request.user, Action.CHAT_TO_THREAD, community)
    can_report = permissions.can(request.user, Action.CHAT_REPORT, community)
    fragments.render_messages(
        request=request,
        messages=history,
        can_make_thread=can_make_thread,
        can_moderate=can_moderate,
        can_report=can_report,
    )
    history_html = fragments.history_html(messages=history, last_read=last_read)
    return render(
        request,
        "forums/room_detail.html",
        {
            "community": community,
            "room": chat_room,
            "history": history,
            "history_html": history_html,
            "last_read": last_read,
            "form": form,
            "post_refusal": permissions.refusal(
                request.user, Action.CHAT_POST, community, obj=chat_room
            ),
            "can_moderate": can_moderate,
            "can_manage": permissions.can(request.user, Action.ROOM_MANAGE, community),
            "can_make_thread": can_make_thread,
            "can_report": can_report,
            # Members connect live (a muted member reads live too); others only read the page.
            "live": permissions.can(request.user, Action.CHAT_POST, community),
            "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
            # What chat.js clones for live messages: the same template as the history's.
            "message_template": ChatMessage(seq=0, created=timezone.now(), html=""),
        },
        status=status,
    )


@login_required
def room_history(request: HttpRequest, slug: str, room: str) -> JsonResponse:
    """Older messages as contract frames (``?before=seq``), or newer ones (``?after=seq``).

    ``live`` says whether the reader may connect to the room's websocket: a browser whose
    connection is refused at the handshake learns the reason only here (docs/realtime.md)."""
    chat_room = selectors.room_get_for_reader(
        user=request.user, community_slug=slug, room_slug=room
    )
    before = query_int(request.GET, "before", default=None)
    after = query_int(request.GET, "after", default=None, minimum=0)
    if after is not None:
        items = selectors.messages_after(room=chat_room, after=after, limit=selectors.CHAT_PAGE)
    else:
        items = selectors.messages_before(room=chat_room, before=before)
    return JsonResponse(
        {
            "messages": [message_frame(m) for m in items],
            "last_seq": chat_room.last_seq,
            "live": permissions.can(request.user, Action.CHAT_POST, chat_room.community),
        }
    )


@login_required
def room_edit(request: HttpRequest, slug: str, room: str | None = None) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.ROOM_MANAGE, community)
    chat_room = selectors.room_get(community_slug=slug, room_slug=room) if room else None
    initial = (
        {
            "name": chat_room.name,
            "description": chat_room.description,
            "archived": chat_room.is_archived,
        }
        if chat_room
        else {}
    )
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if chat_room:
                chat_room = services.room_update(
                    room=chat_room,
                    actor=request.user,
                    name=data["name"],
                    description=data["description"],
                    archived=data["archived"],
                )
            else:
                chat_room = services.room_create(
                    community=community,
                    actor=request.user,
                    name=data["name"],
                    description=data["description"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The room has been saved."))
            return redirect(chat_room.get_absolute_url())
    return render(
        request,
        "forums/room_form.html",
        {"community": community, "room": chat_room, "form": form},
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
@require_POST
def message_delete(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_reader(user=request.user, message_id=message_id)
    services.message_delete(message=message, actor=request.user)
    return redirect(message.get_absolute_url())


@login_required
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    """Ask the community's moderators to look at a chat message (works without JavaScript;
    chat.js links here from the message's menu)."""
    message = selectors.message_get_for_reader(user=request.user, message_id=message_id)
    if message.is_deleted:
        raise Http404("message")  # nothing left to report, and its words must not show
    permissions.check(request.user, Action.CHAT_REPORT, message.room.community, obj=message)
    form = MessageReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report_create(
                message=message,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. A moderator will look at this message."))
            return redirect(message.get_absolute_url())
    return render(
        request,
        "forums/message_report.html",
        {
            "community": message.room.community,
            "room": message.room,
            "message": message,
            "form": form,
        },
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
def room_moderation(request: HttpRequest, slug: str, room: str) -> HttpResponse:
    """Mute and unmute people in a room (moderators)."""
    chat_room = selectors.room_get(community_slug=slug, room_slug=room)
    permissions.check(request.user, Action.CHAT_MODERATE, chat_room.community)
    form = MuteForm(request.POST or None)
    if request.method == "POST":
        if "unmute" in request.POST:
            unmute = UnmuteForm(request.POST)
            if not unmute.is_valid():
                raise BadRequest(unmute.errors.as_text())
            person = user_get(user_id=unmute.cleaned_data["unmute"])
            services.member_unmute(room=chat_room, actor=request.user, user=person)
            messages.success(request, _("%(name)s can write again.") % {"name": person.name})
            return redirect("room_moderation", slug=slug, room=room)
        if form.is_valid():
            person = user_get_by_username(username=form.cleaned_data["username"])
            if person is None:
                form.add_error("username", _("No member with this username."))
            else:
                try:
                    services.member_mute(
                        room=chat_room,
                        actor=request.user,
                        user=person,
                        minutes=form.cleaned_data["minutes"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("%(name)s is muted.") % {"name": person.name})
                    return redirect("room_moderation", slug=slug, room=room)
    return render(
        request,
        "forums/room_moderation.html",
        {
            "community": chat_room.community,
            "room": chat_room,
            "form": form,
            "mutes": selectors.mute_list_active(room=chat_room),
        },
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
def thread_from_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_reader(user=request.user, message_id=message_id)
    if message.is_deleted:
        # Its words are gone: nothing of it may reach the page (not even the title field).
        raise Http404("message")
    community = message.room.community
    permissions.check(request.user, Action.CHAT_TO_THREAD, community)
    following = selectors.messages_after(room=message.room, after=message.seq, limit=49)
    initial = {"title": markup.excerpt(message.html, 100)}
    form = ChatToThreadForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_from_chat(
                message=message,
                actor=request.user,
                title=form.cleaned_data["title"],
                through_seq=form.cleaned_data.get("through_seq"),
                language=form.cleaned_data["language"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The thread has been started."))
            return redirect(thread.get_absolute_url())
    return render(
        request,
        "forums/thread_from_chat.html",
        {
            "community": community,
            "room": message.room,
            "message": message,
            "following": following,
            "form": form,
        },
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )
