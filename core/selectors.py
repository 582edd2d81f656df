"""Reads of the community core."""

from __future__ import annotations

import zlib

import django
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core import versions
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
    """The community with this slug; Http404 if there is none.

    Every page of a community reads it, and it changes when staff edit it: it is kept in the
    cache, dropped by every save or deletion (``community_changed``). Without its
    ``activity_version``, which moves with every post: reading that field asks the database
    (so a visitors' list is never keyed by a stale one), and saving the instance leaves it
    alone."""
    key = _community_key(slug)
    community = cache.get(key)
    if community is None:
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            raise Http404(slug)
        # Stored without the field (the cache pickles now), returned with it.
        version = community.__dict__.pop("activity_version")
        cache.set(key, community, COMMUNITY_SECONDS)
        community.activity_version = version
    return community


# Short, to bound the one race left: a read that began before an edit's commit and stores the
# old row after the edit dropped it.
COMMUNITY_SECONDS = 60
# Cached communities are pickled model instances: another Django reads its own.
_COMMUNITY_SHAPE = zlib.crc32(
    f"{django.__version__}:{','.join(f.attname for f in Community._meta.concrete_fields)}".encode()
)


def _community_key(slug: str) -> str:
    return f"community:{slug}:{_COMMUNITY_SHAPE}"


def community_renaming(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of a community: a changed slug drops the copy cached under the old one."""
    if raw or instance.pk is None:
        return
    old = Community.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old is not None and old != instance.slug:
        _forget(old)


def community_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of a community: its cached copy goes, now and after the
    commit (a read between the two would have stored the old row)."""
    if not raw:
        _forget(instance.slug)
        # Its name is on library filters, cards and search results.
        versions.bump(versions.LIBRARY, versions.SEARCH)


def _forget(slug: str) -> None:
    key = _community_key(slug)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# What a list of people on a community's home shows of each (their name, link, country and
# organisation) and the choices of who may see them (accounts/privacy.py).
PERSON_FIELDS = (
    "username", "display_name", "deleted", "country", "organisation", "profile_audience",
    "email_audience", "country_audience", "organisation_audience",
)  # fmt: skip


def community_moderators(*, community: Community) -> list[AbstractBaseUser]:
    """The community's moderators, by username."""
    memberships = (
        Membership.objects.filter(community=community, role=Membership.Role.MODERATOR)
        .select_related("user")
        .only("user_id", *(f"user__{name}" for name in PERSON_FIELDS))
        .order_by("user__username")
    )
    return [m.user for m in memberships]


def community_members_recent(*, community: Community, limit: int = 12) -> list[AbstractBaseUser]:
    """The people who joined the community last, newest first."""
    memberships = (
        Membership.objects.filter(community=community)
        .select_related("user")
        .only("user_id", *(f"user__{name}" for name in PERSON_FIELDS))
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
