"""Who may see and change a library resource. A resource belongs to several communities, so
these compose the core's rules (core.permissions.can_any) over its communities."""

from __future__ import annotations

from core import permissions
from core.permissions import Action
from resources.models import Resource

# A submitter may still change their own resource in these states (then a moderator's turn).
SUBMITTER_EDITABLE = (
    Resource.Status.DRAFT,
    Resource.Status.SUBMITTED,
    Resource.Status.CHANGES_REQUESTED,
)


def can_review_resource(user, resource: Resource) -> bool:
    """Whether ``user`` moderates one of the resource's communities (or is staff)."""
    return permissions.can_any(user, Action.RESOURCE_REVIEW, resource.communities.all())


def can_view_resource(user, resource: Resource) -> bool:
    """Published resources are public; others only for their submitter and the moderators of
    one of their communities (and staff)."""
    if resource.status == Resource.Status.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    if resource.submitted_by_id == user.pk:
        return True
    return can_review_resource(user, resource)


def can_edit_resource(user, resource: Resource) -> bool:
    """Moderators edit any resource of their communities; a submitter edits their own until it
    is published (after that, changes go through a moderator)."""
    if can_review_resource(user, resource):
        return True
    return (
        user.is_authenticated
        and resource.submitted_by_id == user.pk
        and resource.status in SUBMITTER_EDITABLE
    )
