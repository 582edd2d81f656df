"""Reads of the community core."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
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
    """The community with this slug; Http404 if there is none."""
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise Http404(slug) from None


def community_moderators(*, community: Community) -> list[AbstractBaseUser]:
    """The community's moderators, by username."""
    memberships = (
        Membership.objects.filter(community=community, role=Membership.Role.MODERATOR)
        .select_related("user")
        .order_by("user__username")
    )
    return [m.user for m in memberships]


def community_members_recent(*, community: Community, limit: int = 12) -> list[AbstractBaseUser]:
    """The people who joined the community last, newest first."""
    memberships = (
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("-created")[:limit]
    )
    return [m.user for m in memberships]


def community_members_joined(
    *, community: Community, since, limit: int = 8
) -> tuple[int, list[Membership]]:
    """How many people joined the community since ``since``, and the latest ``limit`` of
    their memberships (with the people), newest first."""
    joined = Membership.objects.filter(community=community, created__gte=since)
    latest = list(joined.select_related("user").order_by("-created")[:limit])
    return joined.count(), latest


def community_counts(*, community: Community) -> dict[str, int]:
    """How many ``members`` (any role) and ``moderators`` the community has."""
    return Membership.objects.filter(community=community).aggregate(
        members=Count("id"), moderators=Count("id", filter=Q(role=Membership.Role.MODERATOR))
    )


def audit_log(
    *, community: Community, before_id: int | None = None, limit: int = 50
) -> list[AuditEntry]:
    """A page of the community's audit log, newest first (keyset on id)."""
    qs = AuditEntry.objects.filter(community=community).select_related("actor")
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def community_list_except(*, community: Community) -> QuerySet[Community]:
    """Every other community (where a thread could be moved, for instance)."""
    return Community.objects.exclude(pk=community.pk)
