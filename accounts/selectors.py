"""Reads for people: the directory, the expert roster, profiles, the inbox."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.lookups import Contains
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import privacy
from accounts.models import ExpertiseArea, Notification, User
from core.db import UnicodeLower
from core.models import Community, Membership


def user_list(
    *,
    viewer=None,
    q: str = "",
    country: str = "",
    community: Community | None = None,
    expertise: ExpertiseArea | None = None,
    experts_only: bool = False,
) -> QuerySet[User]:
    """Active people whom ``viewer`` may see (their privacy choices), matching the filters,
    with expertise and memberships prefetched. Filters on a part of a profile (organisation,
    country) only find people who show that part to ``viewer``."""
    qs = User.objects.filter(is_active=True, deletion_requested__isnull=True).filter(
        privacy.audience_q("profile_audience", viewer=viewer)
    )
    if experts_only:
        qs = qs.filter(is_expert=True)
    if q:
        # Case-insensitive in every alphabet on both databases (icontains is ASCII-only on
        # SQLite): compare lower-cased text.
        folded = q.lower()
        qs = qs.filter(
            Q(Contains(UnicodeLower("display_name"), folded))
            | Q(Contains(UnicodeLower("username"), folded))
            | (
                Q(Contains(UnicodeLower("organisation"), folded))
                & privacy.audience_q("organisation_audience", viewer=viewer)
            )
        )
    if country:
        qs = qs.filter(country=country).filter(
            privacy.audience_q("country_audience", viewer=viewer)
        )
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


def user_get_profile(*, username: str, viewer=None) -> User:
    """An active person with their expertise and memberships, if ``viewer`` may see their
    profile; Http404 if there is none or they hide it from ``viewer`` (a hidden profile is
    not told apart from a missing one)."""
    person = get_object_or_404(
        User.objects.prefetch_related(
            "expertise",
            Prefetch("memberships", queryset=Membership.objects.select_related("community")),
        ),
        username=username,
        is_active=True,
        deletion_requested__isnull=True,  # leaving: gone from view during the grace period
    )
    if not privacy.profile_visible(viewer=viewer, person=person):
        raise Http404
    return person


def users_by_username(*, names: set[str]) -> dict[str, User]:
    """Existing active users for ``@name`` mentions, keyed by the name as written (any case)."""
    if not names:
        return {}
    # Usernames may be Cyrillic; iexact would fold ASCII letters only on SQLite.
    people = User.objects.annotate(lower_username=UnicodeLower("username")).filter(
        lower_username__in={name.lower() for name in names}, is_active=True
    )
    found = {u.username.lower(): u for u in people}
    return {name: found[name.lower()] for name in names if name.lower() in found}


def user_get(*, user_id: int) -> User:
    """The person with this id (active or not); Http404 if there is none."""
    return get_object_or_404(User, pk=user_id)


def user_get_by_username(*, username: str) -> User | None:
    """The person with exactly this username, or None."""
    return User.objects.filter(username=username).first()


# The bell's number is on every signed-in page; it is cached per person and dropped by every
# change to their inbox (accounts.services.announce_inbox_change, the one place inboxes change
# through), at once and again at commit. The expiry bounds what a lost drop could leave.
UNREAD_COUNT_SECONDS = 300


def unread_count_key(user_id: int) -> str:
    return f"inbox-unread:{user_id}"


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread (the bell's number)."""
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count


def notification_list(
    *, user: User, before_id: int | None = None, limit: int = 30
) -> list[Notification]:
    """A page of the user's inbox, newest first (keyset on id: ``before_id``)."""
    qs = Notification.objects.filter(recipient=user).select_related("actor", "community")
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])
