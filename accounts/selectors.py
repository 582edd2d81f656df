"""Reads for people: the directory, the expert roster, profiles, the inbox."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import ExpertiseArea, Notification, User
from cop.models import Membership


def member_directory(
    *,
    q: str = "",
    country: str = "",
    community=None,
    expertise: ExpertiseArea | None = None,
    experts_only: bool = False,
) -> QuerySet[User]:
    """Active people matching the filters, with expertise and memberships prefetched."""
    qs = User.objects.filter(is_active=True)
    if experts_only:
        qs = qs.filter(is_expert=True)
    if q:
        qs = qs.filter(
            Q(display_name__icontains=q) | Q(username__icontains=q) | Q(organisation__icontains=q)
        )
    if country:
        qs = qs.filter(country=country)
    if community is not None:
        qs = qs.filter(memberships__community=community)
    if expertise is not None:
        qs = qs.filter(expertise=expertise)
    return (
        qs.distinct()
        .order_by("display_name", "username")
        .prefetch_related(
            "expertise",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("community").order_by(
                    "community__position"
                ),
            ),
        )
    )


def user_get_profile(*, username: str) -> User:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        User.objects.prefetch_related(
            "expertise",
            Prefetch("memberships", queryset=Membership.objects.select_related("community")),
        ),
        username=username,
        is_active=True,
    )


def users_by_username(*, names: set[str]) -> dict[str, User]:
    """Existing active users for ``@name`` mentions, keyed by the name as written (any case)."""
    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    found = {u.username.lower(): u for u in User.objects.filter(query, is_active=True)}
    return {name: found[name.lower()] for name in names if name.lower() in found}


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user, before_id: int | None = None, limit: int = 30):
    qs = Notification.objects.filter(recipient=user).select_related("actor", "community")
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])
