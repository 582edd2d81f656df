"""Submitting and curating library resources: submission, edits, moderators' decisions,
featuring. Each function checks permission, keeps a revision of what it changes, writes the
audit log for moderators' actions and keeps the search index current, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create
from core import permissions, versions
from core.models import Community, Membership
from core.moderation import announce_queue_change
from core.permissions import Action, Refusal
from core.services import audit_record
from resources.indexing import resource_index
from resources.models import Resource
from resources.rules import can_edit_resource
from resources.services.files import file_attach
from resources.services.records import (
    ResourceData,
    data_apply,
    data_validate,
    revision_record,
    snapshot,
    tags_from_names,
)

S = Resource.Status


@transaction.atomic
def resource_submit(
    *,
    actor: User,
    data: ResourceData,
    communities: list[Community],
    tags: Iterable[str] = (),
    files: Iterable[UploadedFile] = (),
    related: Iterable[int] = (),
    publish: bool = False,
) -> Resource:
    """A member submits a resource for review (the moderators of its communities are told);
    a moderator of every chosen community may publish it at once (``publish=True``, audited).
    ``related``: ids of other resources to show as related on its page. Raises Refusal (not a
    member, or not a moderator for ``publish``) or ValidationError (fields, files, related)."""
    communities = list(communities)
    for community in communities:
        permissions.check(actor, Action.RESOURCE_SUBMIT, community)
    data = data_validate(data=data, communities=communities)
    if publish:
        for community in communities:
            permissions.check(actor, Action.RESOURCE_REVIEW, community)
    resource = Resource(submitted_by=actor, status=S.PUBLISHED if publish else S.SUBMITTED)
    data_apply(resource=resource, data=data)
    if publish:
        resource.published_at = timezone.now()
    resource.save()
    resource.communities.set(communities)
    resource.tags.set(tags_from_names(tags))
    _related_set(resource, related)
    for upload in files:
        file_attach(resource=resource, actor=actor, upload=upload, check_permission=False)
    if publish:
        for community in communities:
            audit_record(
                actor=actor, action="resource.create", target=resource, community=community
            )
    else:
        _reviewers_notify(resource, communities, actor)
        announce_queue_change(community_ids=[c.pk for c in communities])
    resource_index(resource)
    return resource


def _related_set(resource: Resource, ids: Iterable[int]) -> None:
    ids = [i for i in dict.fromkeys(ids) if i != resource.pk]
    known = set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in known]
    if missing:
        raise ValidationError(
            {"related": _("Unknown resources: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    resource.related.set(ids)


def _reviewers_notify(resource: Resource, communities: list[Community], actor: User) -> None:
    moderators = User.objects.filter(
        memberships__community__in=communities,
        memberships__role=Membership.Role.MODERATOR,
        is_active=True,
    ).distinct()
    notification_create(
        recipients=moderators,
        kind=Notification.Kind.RESOURCE_DECISION,
        actor=actor,
        url=resource.get_absolute_url(),
        title=resource.title,
        community=communities[0] if communities else None,
        data={"resource": resource.pk, "decision": "submitted"},
    )


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    actor: User,
    data: ResourceData,
    communities: list[Community] | None = None,
    tags: Iterable[str] | None = None,
    files: Iterable[UploadedFile] = (),
    related: Iterable[int] | None = None,
) -> Resource:
    """Edit metadata and text, keeping a revision of the previous state (``None`` for
    communities, tags or related: unchanged). A submitter answering a request for changes
    sends the resource back to review.

    A community can be added only by someone who may submit there (a member, a moderator of
    it, staff), and taken away only by a moderator of it (or, while the resource is not
    published, by its submitter if they may still submit there): moderating one community
    does not open the others' libraries. Raises Refusal or ValidationError."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    current = list(resource.communities.all())
    is_moderator = permissions.can_any(actor, Action.RESOURCE_REVIEW, current)
    if communities is not None:
        communities = list(communities)
        for community in communities:
            if community not in current:
                permissions.check(actor, Action.RESOURCE_SUBMIT, community)
        for community in current:
            if community not in communities and not _may_remove(actor, resource, community):
                raise Refusal(
                    _("Only a moderator of %(community)s can take the resource out of it.")
                    % {"community": community.name},
                    "not_moderator",
                )
    checked = data_validate(
        data={**snapshot(resource), **data},
        communities=communities if communities is not None else current,
    )
    data = ResourceData(**{key: checked[key] for key in data})
    revision_record(resource=resource, editor=actor, note="edit")
    data_apply(resource=resource, data=data)
    back_to_review = resource.status == S.CHANGES_REQUESTED and not is_moderator
    if back_to_review:
        resource.status = S.SUBMITTED  # the submitter has answered the request
    resource.save()
    if communities is not None:
        resource.communities.set(communities)
    if tags is not None:
        resource.tags.set(tags_from_names(tags))
    if related is not None:
        _related_set(resource, related)
    for upload in files:
        file_attach(resource=resource, actor=actor, upload=upload, check_permission=False)
    if is_moderator:
        for community in resource.communities.all():
            audit_record(actor=actor, action="resource.edit", target=resource, community=community)
    if back_to_review or (communities is not None and resource.status == S.SUBMITTED):
        announce_queue_change(community_ids={c.pk for c in (*current, *(communities or ()))})
    resource_index(resource)
    return resource


def _may_remove(actor: User, resource: Resource, community: Community) -> bool:
    """Whether ``actor`` may take ``resource`` out of ``community``'s library."""
    if permissions.can(actor, Action.RESOURCE_REVIEW, community):
        return True
    own_draft = resource.submitted_by_id == actor.pk and resource.status != S.PUBLISHED
    return own_draft and permissions.can(actor, Action.RESOURCE_SUBMIT, community)


def _decide(
    *, resource: Resource, actor: User, status: str, action: str, comment: str, decision: str
) -> Resource:
    """A moderator's decision (call inside a transaction): the new status, a revision, an
    audit entry in each community they moderate, and a notification for the submitter."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    communities = list(resource.communities.all())
    permissions.check_any(actor, Action.RESOURCE_REVIEW, communities)
    before = {"status": resource.status}
    revision_record(resource=resource, editor=actor, note=action)
    resource.status = status
    resource.review_comment = comment
    fields = ["status", "review_comment", "updated"]
    if status == S.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        fields.append("published_at")
    resource.save(update_fields=fields)
    for community in communities:
        if permissions.can(actor, Action.RESOURCE_REVIEW, community):
            audit_record(
                actor=actor,
                action=action,
                target=resource,
                community=community,
                before=before,
                after={"status": status},
                reason=comment,
            )
    if resource.submitted_by_id and decision:
        notification_create(
            recipients=[resource.submitted_by],
            kind=Notification.Kind.RESOURCE_DECISION,
            actor=actor,
            url=resource.get_absolute_url(),
            title=resource.title,
            excerpt=comment[:300],
            community=communities[0] if communities else None,
            data={"resource": resource.pk, "decision": decision},
        )
    announce_queue_change(community_ids=[c.pk for c in communities])
    resource_index(resource)
    return resource


@transaction.atomic
def resource_publish(*, resource: Resource, actor: User, comment: str = "") -> Resource:
    """Publish the resource (moderators of one of its communities). Raises Refusal."""
    return _decide(
        resource=resource,
        actor=actor,
        status=S.PUBLISHED,
        action="resource.publish",
        comment=comment,
        decision="published",
    )


@transaction.atomic
def resource_request_changes(*, resource: Resource, actor: User, comment: str) -> Resource:
    """Send the resource back to its submitter with ``comment`` saying what should change.
    Raises Refusal or ValidationError (no comment)."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change.")})
    return _decide(
        resource=resource,
        actor=actor,
        status=S.CHANGES_REQUESTED,
        action="resource.request_changes",
        comment=comment.strip(),
        decision="changes_requested",
    )


@transaction.atomic
def resource_reject(*, resource: Resource, actor: User, comment: str) -> Resource:
    """Refuse the resource, giving the submitter a reason. Raises Refusal or ValidationError
    (no reason)."""
    if not comment.strip():
        raise ValidationError({"comment": _("Give the submitter a reason.")})
    return _decide(
        resource=resource,
        actor=actor,
        status=S.REJECTED,
        action="resource.reject",
        comment=comment.strip(),
        decision="rejected",
    )


@transaction.atomic
def resource_archive(*, resource: Resource, actor: User, comment: str = "") -> Resource:
    """Take the resource out of the library, keeping it (moderators). Raises Refusal."""
    permissions.check_any(actor, Action.RESOURCE_ARCHIVE, resource.communities.all())
    return _decide(
        resource=resource,
        actor=actor,
        status=S.ARCHIVED,
        action="resource.archive",
        comment=comment,
        decision="",
    )


@transaction.atomic
def resource_set_featured(*, resource: Resource, actor: User, featured: bool) -> Resource:
    """Feature a published resource on its communities' pages, or stop (moderators; audited).
    Raises Refusal or ValidationError (featuring one that is not published)."""
    communities = list(resource.communities.all())
    permissions.check_any(actor, Action.RESOURCE_FEATURE, communities)
    if resource.status != S.PUBLISHED and featured:
        raise ValidationError(_("Only a published resource can be featured."))
    Resource.objects.filter(pk=resource.pk).update(is_featured=featured)
    versions.bump(versions.LIBRARY)  # an update() sends no signals
    resource.is_featured = featured
    for community in communities:
        if permissions.can(actor, Action.RESOURCE_FEATURE, community):
            audit_record(
                actor=actor,
                action="resource.feature" if featured else "resource.unfeature",
                target=resource,
                community=community,
            )
    return resource
