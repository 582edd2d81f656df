"""Pages of the community core: joining and leaving a community, its audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions, selectors, services
from core.params import query_int
from core.permissions import Action


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
    entries = selectors.audit_log(
        community=community, before_id=query_int(request.GET, "before", default=None)
    )
    return render(
        request,
        "core/audit_log.html",
        {
            "community": community,
            "entries": entries,
            "next_before": entries[-1].pk if len(entries) == 50 else None,
        },
    )
