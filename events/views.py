"""Event pages: lists (hub-wide and per community), the event, its forms, registration,
registrants (CSV), calendars (.ics), and the follow-up after the event."""

from __future__ import annotations

import csv
import secrets
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.forms import add_service_errors
from core.params import MAX_ID, query_int
from core.permissions import Action, Refusal
from core.selectors import community_get
from events import calendar, selectors, services
from events.forms import DuplicateForm, EventFilterForm, EventForm
from events.models import CalendarToken, Registration
from events.times import reader_zone, relative, when_text
from forums.services.threads import thread_create
from resources.models import Resource

PER_PAGE = 20


def _list(request: HttpRequest, community=None) -> HttpResponse:
    filters = EventFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    past = request.GET.get("when") == "past"
    events = selectors.event_list(
        community=community,
        past=past,
        kind=chosen.get("kind") or "",
        language=chosen.get("language") or "",
        month=chosen.get("month"),
    )
    page = Paginator(events, PER_PAGE).get_page(query_int(request.GET, "page", default=1))
    zone = reader_zone(request.user)
    rows = [(event, when_text(event, zone), relative(event)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/list.html",
        {
            "community": community,
            "filters": filters,
            "past": past,
            "page": page,
            "query_string": query.urlencode(),
            "rows": rows,
            "can_create": permissions.can(request.user, Action.EVENT_MANAGE, community),
        },
    )


def event_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


def community_events(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, community_get(slug=slug))


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    user = request.user
    registration = selectors.registration_of(user=user, event=event)
    zone = reader_zone(user)
    join_refusal = permissions.refusal(user, Action.EVENT_JOIN, event.community, event)
    context = {
        "event": event,
        "community": event.community,
        "when": when_text(event, zone),
        "relative": relative(event),
        "state": event.state(),
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration)
        if registration and registration.status == Registration.Status.WAITING
        else None,
        "register_refusal": permissions.refusal(
            user, Action.EVENT_REGISTER, event.community, event
        ),
        "can_join": join_refusal is None and bool(event.join_url),
        "join_refusal": join_refusal,
        "can_manage": permissions.can(user, Action.EVENT_MANAGE, event.community),
        "can_registrants": permissions.can(user, Action.EVENT_REGISTRANTS, event.community),
        "speakers": list(event.speakers.select_related("user")),
        "materials": list(event.resources.filter(status=Resource.Status.PUBLISHED)),
        "full": event.capacity is not None and event.registered >= event.capacity,
    }
    if context["can_manage"] and event.community_id:
        context["library_choices"] = Resource.objects.filter(
            status=Resource.Status.PUBLISHED, communities=event.community
        ).order_by("-published_at")[:200]
    return render(request, "events/detail.html", context)


def _form_page(request, *, community, event=None) -> HttpResponse:
    refusal = permissions.refusal(request.user, Action.EVENT_MANAGE, community)
    if refusal is not None:
        raise refusal
    initial = EventForm.initial_for(event) if event else {"time_zone": _default_zone(request)}
    form = EventForm(request.POST or None, initial=initial)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                if event is None:
                    event = services.event_create(
                        actor=request.user, community=community, data=form.event_data()
                    )
                    messages.success(request, _("The event is published."))
                else:
                    event = services.event_update(
                        actor=request.user, event=event, data=form.event_data()
                    )
                    messages.success(request, _("The event is saved."))
                return redirect(event.get_absolute_url())
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "events/form.html",
        {"form": form, "community": community, "event": event},
        status=status,
    )


def _default_zone(request) -> str:
    zone = reader_zone(request.user)
    name = getattr(zone, "key", "UTC")
    return name


@login_required
def event_create(request: HttpRequest, slug: str = "") -> HttpResponse:
    community = community_get(slug=slug) if slug else None
    return _form_page(request, community=community)


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    return _form_page(request, community=event.community, event=event)


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    services.event_cancel(actor=request.user, event=event, reason=request.POST.get("reason", ""))
    messages.success(request, _("The event is cancelled; registered people are told."))
    return redirect(event.get_absolute_url())


@login_required
def event_duplicate(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    permissions.check(request.user, Action.EVENT_MANAGE, event.community)
    form = DuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start = form.cleaned_data["starts_at"].replace(tzinfo=None).replace(tzinfo=event.zone)
        copy = services.event_duplicate(actor=request.user, event=event, starts_at=start)
        messages.success(request, _("A copy was made; check its details."))
        return redirect("event_edit", event_id=copy.pk)
    status = HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK
    return render(request, "events/duplicate.html", {"event": event, "form": form}, status=status)


@require_POST
def event_register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?{urlencode({'next': event.get_absolute_url()})}"
        )
    try:
        registration = services.registration_create(user=request.user, event=event)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect(event.get_absolute_url())
    if registration.status == Registration.Status.REGISTERED:
        messages.success(
            request, _("You are registered. A reminder comes a day and an hour before.")
        )
    else:
        messages.info(request, _("The event is full: you are on the waiting list, and will be "
                                 "told if a place opens up."))  # fmt: skip
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_unregister(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    services.registration_cancel(user=request.user, event=event)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_absolute_url())


@login_required
def event_registrants(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    permissions.check(request.user, Action.EVENT_REGISTRANTS, event.community)
    rows = list(selectors.registrants(event=event))
    if request.method == "POST":
        attended = _ids(request.POST.getlist("attended"))
        try:
            count = services.attendance_set(actor=request.user, event=event, attended_ids=attended)
        except Refusal as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attendance saved: %(count)d attended.") % {"count": count})
        return redirect("event_registrants", event_id=event.pk)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-registrants.csv"'
        response.write("\ufeff")  # spreadsheets read UTF-8 (Kazakh, Russian) with the BOM
        writer = csv.writer(response)
        writer.writerow([_("Name"), _("Username"), _("E-mail"), _("Organisation"), _("Country"),
                         _("Status"), _("Registered at (UTC)"), _("Attended")])  # fmt: skip
        for row in rows:
            writer.writerow([
                _csv_cell(row.user.name), row.user.username, row.user.email,
                _csv_cell(row.user.organisation), str(row.user.country or ""),
                row.get_status_display(), row.requested.strftime("%Y-%m-%d %H:%M"),
                "" if row.attended is None else (_("yes") if row.attended else _("no")),
            ])  # fmt: skip
        return response
    return render(
        request,
        "events/registrants.html",
        {
            "event": event,
            "community": event.community,
            "rows": rows,
            "started": event.starts_at <= timezone.now(),
        },
    )


def _ids(values: list[str]) -> set[int]:
    """The well-formed ids among posted values (others are ignored, not a 500)."""
    return {int(v) for v in values if v.isascii() and v.isdigit() and 0 < int(v) <= MAX_ID}


def _csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
@require_POST
def event_follow_up(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    services.follow_up_open(actor=request.user, event=event, thread_create=thread_create)
    return redirect(event.thread.get_absolute_url() if event.thread else event.get_absolute_url())


@login_required
@require_POST
def event_materials(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    chosen = Resource.objects.filter(
        pk__in=_ids(request.POST.getlist("resources")),
        status=Resource.Status.PUBLISHED,
        communities=event.community,
    )
    services.materials_set(actor=request.user, event=event, resources=list(chosen))
    messages.success(request, _("The recording and materials are saved."))
    return redirect(event.get_absolute_url())


# --- Calendars -------------------------------------------------------------------------------


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    return _ics(calendar.event_calendar(event), f"event-{event.pk}.ics")


def community_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    events = selectors.calendar_events(community=community)
    return _ics(calendar.calendar_of(events, name=community.name), f"{community.slug}.ics")


def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    owner = CalendarToken.objects.filter(token=token).select_related("user").first()
    if owner is None or not owner.user.is_active:
        raise Http404
    events = selectors.registrations_of(user=owner.user)
    return _ics(calendar.calendar_of(events, name=_("My events")), "my-events.ics")


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # a new private address; the old one stops working
        CalendarToken.objects.update_or_create(
            user=request.user, defaults={"token": secrets.token_urlsafe(24)}
        )
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("my_events")
    token, _created = CalendarToken.objects.get_or_create(
        user=request.user, defaults={"token": secrets.token_urlsafe(24)}
    )
    zone = reader_zone(request.user)
    events = selectors.registrations_of(user=request.user).filter(
        ends_at__gt=timezone.now() - timedelta(days=30)
    )
    statuses = dict(
        Registration.objects.filter(user=request.user).values_list("event_id", "status")
    )
    rows = [(e, when_text(e, zone), relative(e), statuses.get(e.pk)) for e in events]
    return render(
        request,
        "events/mine.html",
        {
            "rows": rows,
            "feed": request.build_absolute_uri(
                reverse("personal_calendar", kwargs={"token": token.token})
            ),
        },
    )
