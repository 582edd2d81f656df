"""Writes of the community core: memberships, roles and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from core import moderation, permissions
from core.models import AuditEntry, Community, Membership
from core.permissions import Action
from core.realtime import announce_membership_change


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: Any,
    community: Community | None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit log entry. Call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        community=community,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        before=before or {},
        after=after or {},
        reason=reason,
    )


@transaction.atomic
def membership_join(*, user: AbstractBaseUser, community: Community) -> Membership:
    """Make ``user`` a member of ``community``; joining twice keeps the existing membership."""
    permissions.check(user, Action.COMMUNITY_JOIN, community)
    membership, created = Membership.objects.get_or_create(user=user, community=community)
    if created:
        permissions.forget_roles(user)
    return membership


@transaction.atomic
def membership_leave(*, user: AbstractBaseUser, community: Community) -> None:
    """Leave a community. Moderators leave their role with it."""
    Membership.objects.filter(user=user, community=community).delete()
    permissions.forget_roles(user)
    moderation.forget_moderated(user.pk)
    announce_membership_change(user_id=user.pk, community_id=community.pk)


@transaction.atomic
def memberships_choose(
    *, user: AbstractBaseUser, communities: Iterable[Community]
) -> tuple[list[Community], list[Community]]:
    """Make ``user`` a member of exactly ``communities`` (the welcome's choice of communities),
    through membership_join and membership_leave. A community the person moderates is kept:
    giving up a moderator's role is done on the community's own page, not by leaving a box
    unticked. Returns (joined, left)."""
    chosen = {community.pk: community for community in communities}
    current = dict(Membership.objects.filter(user=user).values_list("community_id", "role"))
    joined = [c for pk, c in chosen.items() if pk not in current]
    for community in joined:
        membership_join(user=user, community=community)
    leaving = [
        pk for pk, role in current.items() if pk not in chosen and role != Membership.Role.MODERATOR
    ]
    left = list(Community.objects.filter(pk__in=leaving))
    for community in left:
        membership_leave(user=user, community=community)
    return joined, left


@transaction.atomic
def role_grant(
    *, actor: AbstractBaseUser | None, user: AbstractBaseUser, community: Community, role: str
) -> Membership:
    """Give ``user`` the role ``member`` or ``moderator`` in ``community`` (audited).

    ``actor`` is None when the command line grants the role (the operator is trusted).
    """
    if role not in Membership.Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, community=community, defaults={"role": role}
    )
    before = {} if created else {"role": membership.role}
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="role.grant",
        target=membership,
        community=community,
        before=before,
        after={"role": role, "user": user.username},
    )
    permissions.forget_roles(user)
    moderation.forget_moderated(user.pk)
    return membership


@transaction.atomic
def membership_remove(
    *, actor: AbstractBaseUser, user: AbstractBaseUser, community: Community, reason: str = ""
) -> None:
    """A moderator (or staff) removes someone from a community (audited)."""
    permissions.check(actor, Action.AUDIT_READ, community)
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        return
    audit_record(
        actor=actor,
        action="membership.remove",
        target=membership,
        community=community,
        before={"role": membership.role, "user": user.username},
        reason=reason,
    )
    membership.delete()
    permissions.forget_roles(user)
    moderation.forget_moderated(user.pk)
    # Open chat connections of this person in this community must stop at once.
    announce_membership_change(user_id=user.pk, community_id=community.pk)
