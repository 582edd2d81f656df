"""Pages of the community core: home, community page, join/leave, audit log, health."""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus

from channels.layers import get_channel_layer
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cop import permissions, selectors, services
from cop.activity import activity_for_communities, community_activity
from cop.permissions import Action

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    communities = selectors.community_list()
    member_of = permissions.member_community_ids(request.user)
    activity = activity_for_communities(communities=communities, user=request.user)
    for community in communities:
        community.is_member = community.pk in member_of
        community.activity = activity.get(community.pk, [])
    return render(request, "cop/home.html", {"communities": communities})


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    role = permissions.role_of(request.user, community)
    context = {
        "community": community,
        "role": role,
        "is_member": community.pk in permissions.member_community_ids(request.user),
        "counts": selectors.community_counts(community=community),
        "moderators": selectors.community_moderators(community=community),
        "recent_members": selectors.community_members_recent(community=community),
        "can_moderate": permissions.can(request.user, Action.AUDIT_READ, community),
        "sections": community_activity(community=community, user=request.user),
    }
    return render(request, "cop/community_detail.html", context)


@login_required
@require_POST
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    services.membership_join(user=request.user, community=community)
    messages.success(request, _("Welcome to %(name)s.") % {"name": community.name})
    return redirect(_next_or(request, community.get_absolute_url()))


@login_required
@require_POST
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    services.membership_leave(user=request.user, community=community)
    messages.info(request, _("You have left %(name)s.") % {"name": community.name})
    return redirect(_next_or(request, community.get_absolute_url()))


def _next_or(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    permissions.check(request.user, Action.AUDIT_READ, community)
    before = request.GET.get("before")
    entries = selectors.audit_log(
        community=community, before_id=int(before) if before and before.isdigit() else None
    )
    return render(
        request,
        "cop/audit_log.html",
        {
            "community": community,
            "entries": entries,
            "next_before": entries[-1].pk if len(entries) == 50 else None,
        },
    )


@never_cache
@require_GET
async def healthz(request: HttpRequest) -> JsonResponse:
    """Database and channel layer reachable? 200 if both, 503 otherwise (for health checks)."""
    from asgiref.sync import sync_to_async

    state = {"database": "ok", "channel_layer": "ok"}
    try:
        await sync_to_async(_ping_database)()
    except Exception as exc:  # any failure means "down"; the reason goes to the log
        logger.warning("healthz: database unreachable: %s", exc)
        state["database"] = "down"
    try:
        layer = get_channel_layer()
        channel = await asyncio.wait_for(layer.new_channel("healthz."), 3)
        await asyncio.wait_for(layer.send(channel, {"type": "healthz.ping"}), 3)
        await asyncio.wait_for(layer.receive(channel), 3)
    except Exception as exc:  # any failure means "down"; the reason goes to the log
        logger.warning("healthz: channel layer unreachable: %s", exc)
        state["channel_layer"] = "down"
    ok = all(value == "ok" for value in state.values())
    return JsonResponse(
        {"status": "ok" if ok else "down", **state},
        status=HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE,
    )


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
