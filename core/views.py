"""Pages of the community core: joining and leaving a community, its audit log, the
moderators' dashboard."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import moderation, permissions, selectors, services
from core.params import query_int
from core.permissions import Action, Refusal


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


# --- The moderators' dashboard ------------------------------------------------------------------

DASHBOARD_ITEMS = 5
JOINED_DAYS = 7


@login_required
def moderation_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """What waits for the community's moderators: each queue's count and its oldest or newest
    items with direct links, recent moderation actions in words, who joined this week."""
    community = selectors.community_get(slug=slug)
    permissions.check(request.user, Action.MODERATION_READ, community)
    mine = moderation.summary(request)
    pending = mine.for_community(community) if mine is not None else None
    if pending is None:  # a role granted a moment ago, not yet in the cached list
        pending = moderation.pending_counts(community_ids=[community.pk])[0]
    sections = []
    for queue in moderation.queues():
        count = pending.counts.get(queue.key, 0)
        sections.append(
            {
                "queue": queue,
                "count": count,
                "url": reverse(queue.url_name, kwargs={"slug": community.slug}),
                # An empty queue costs no query.
                "items": queue.latest(community=community, limit=DASHBOARD_ITEMS) if count else [],
            }
        )
    joined_count, joined = selectors.community_members_joined(
        community=community, since=timezone.now() - timedelta(days=JOINED_DAYS)
    )
    return render(
        request,
        "core/moderation.html",
        {
            "community": community,
            "total": pending.total,
            "sections": sections,
            "entries": selectors.audit_log(community=community, limit=DASHBOARD_ITEMS),
            "joined_count": joined_count,
            "joined": joined,
        },
    )


@login_required
def moderation_overview(request: HttpRequest) -> HttpResponse:
    """Every community the reader moderates, with what waits in each (the header's link for
    someone who moderates more than one)."""
    mine = moderation.summary(request)
    if mine is None:
        raise Refusal(_("Only moderators can see this page."), "not_moderator")
    queues = moderation.queues()
    rows = [
        {
            "pending": pending,
            "queues": [
                {
                    "queue": queue,
                    "count": pending.counts.get(queue.key, 0),
                    "url": reverse(queue.url_name, kwargs={"slug": pending.community.slug}),
                }
                for queue in queues
            ],
        }
        for pending in mine.communities
    ]
    return render(request, "core/moderation_overview.html", {"rows": rows, "total": mine.total})
