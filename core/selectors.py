"""Reads of the community core."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core.models import AuditEntry, Community, Membership


def community_list() -> list[Community]:
    """All communities with ``member_count`` annotated (one query)."""
    # Meta.ordering does not apply to aggregate queries: order explicitly.
    return list(
        Community.objects.annotate(member_count=Count("memberships", distinct=True)).order_by(
            "position", "slug"
        )
    )


def community_get(*, slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise Http404(slug) from None


def community_moderators(*, community: Community) -> list:
    memberships = (
        Membership.objects.filter(community=community, role=Membership.Role.MODERATOR)
        .select_related("user")
        .order_by("user__username")
    )
    return [m.user for m in memberships]


def community_members_recent(*, community: Community, limit: int = 12) -> list:
    memberships = (
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("-created")[:limit]
    )
    return [m.user for m in memberships]


def community_counts(*, community: Community) -> dict[str, int]:
    return Membership.objects.filter(community=community).aggregate(
        members=Count("id"), moderators=Count("id", filter=Q(role=Membership.Role.MODERATOR))
    )


def audit_log(*, community: Community, before_id: int | None = None, limit: int = 50):
    """A page of the community's audit log, newest first (keyset on id)."""
    qs = AuditEntry.objects.filter(community=community).select_related("actor")
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def community_list_except(*, community: Community) -> QuerySet[Community]:
    """Every other community (where a thread could be moved, for instance)."""
    return Community.objects.exclude(pk=community.pk)
