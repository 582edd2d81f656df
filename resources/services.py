"""Every write of the library: submission, curation, files, collections, citations, import.

Each function checks permission through cop.permissions, keeps a revision of what it changes,
writes the audit log for moderators' decisions and keeps the search index current, all in the
transaction of the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create
from cop import markup, permissions
from cop.models import Community, Membership
from cop.permissions import Action, Refusal
from cop.services import audit_record
from resources.models import (
    Citation,
    Collection,
    CollectionItem,
    LibraryTag,
    Resource,
    ResourceFile,
    ResourceRevision,
)
from resources.search import index_resource
from resources.uploads import check_upload

# Fields a form or an import line may set on a resource.
EDITABLE = (
    "title",
    "summary",
    "body",
    "kind",
    "language",
    "year",
    "countries",
    "url",
    "source",
    "authors",
    "licence",
)
S = Resource.Status


def _snapshot_fields(resource: Resource) -> dict:
    data = {field: getattr(resource, field) for field in EDITABLE}
    data["countries"] = sorted(str(c) for c in resource.countries)
    data["status"] = resource.status
    return data


def _snapshot(resource: Resource) -> dict:
    data = _snapshot_fields(resource)
    if resource.pk:
        data["communities"] = sorted(resource.communities.values_list("slug", flat=True))
        data["tags"] = sorted(resource.tags.values_list("slug", flat=True))
    return data


def _revise(resource: Resource, editor: User | None, note: str) -> None:
    ResourceRevision.objects.create(
        resource=resource, data=_snapshot(resource), editor=editor, note=note[:300]
    )


def tags_from_names(names: Iterable[str]) -> list[LibraryTag]:
    """Library tags for the given names, created when new (tags are a shared vocabulary)."""
    tags = []
    for name in names:
        name = " ".join(str(name).split())[:60]
        slug = slugify(name, allow_unicode=True)[:60]
        if not slug:
            continue
        tag, _created = LibraryTag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return list({t.pk: t for t in tags}.values())


def _validate(data: dict, communities: list[Community]) -> None:
    errors = {}
    if not communities:
        errors["communities"] = _("Choose at least one community.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("A resource needs a title.")
    if not (data.get("summary") or "").strip():
        errors["summary"] = _("A resource needs a short summary.")
    if data.get("kind") not in Resource.Kind.values:
        errors["kind"] = _("Unknown kind of resource.")
    year = data.get("year")
    if year is not None and not 1900 <= int(year) <= timezone.now().year + 1:
        errors["year"] = _("The year must be between 1900 and next year.")
    if errors:
        raise ValidationError(errors)


def _apply(resource: Resource, data: dict) -> None:
    for field in EDITABLE:
        if field in data:
            setattr(resource, field, data[field] if data[field] is not None else _blank(field))
    resource.html = markup.render(resource.body or "")


def _blank(field: str):
    return None if field == "year" else ([] if field == "countries" else "")


@transaction.atomic
def resource_submit(
    *,
    actor: User,
    data: dict,
    communities: list[Community],
    tags: Iterable[str] = (),
    files=(),
    related: Iterable[int] = (),
    publish: bool = False,
) -> Resource:
    """A member submits a resource for review; a moderator of every chosen community may
    publish it at once (``publish=True``). ``related``: ids of other resources to show as
    related on its page."""
    communities = list(communities)
    for community in communities:
        permissions.check(actor, Action.RESOURCE_SUBMIT, community)
    _validate(data, communities)
    if publish:
        for community in communities:
            permissions.check(actor, Action.RESOURCE_REVIEW, community)
    resource = Resource(submitted_by=actor, status=S.PUBLISHED if publish else S.SUBMITTED)
    _apply(resource, data)
    if publish:
        resource.published_at = timezone.now()
    resource.save()
    resource.communities.set(communities)
    resource.tags.set(tags_from_names(tags))
    _set_related(resource, related)
    for upload in files:
        file_attach(resource=resource, actor=actor, upload=upload, check_permission=False)
    if publish:
        for community in communities:
            audit_record(
                actor=actor, action="resource.create", target=resource, community=community
            )
    else:
        _notify_reviewers(resource, communities, actor)
    index_resource(resource)
    return resource


def _set_related(resource: Resource, ids: Iterable[int]) -> None:
    ids = [i for i in dict.fromkeys(ids) if i != resource.pk]
    known = set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in known]
    if missing:
        raise ValidationError(
            {"related": _("Unknown resources: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    resource.related.set(ids)


def _notify_reviewers(resource: Resource, communities: list[Community], actor: User) -> None:
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


def file_attach(*, resource: Resource, actor: User, upload, check_permission: bool = True):
    """Check an upload (size, type from content) and store it under a random name."""
    if check_permission and not permissions.can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    return ResourceFile.objects.create(
        resource=resource,
        file=upload,
        original_name=(upload.name or "file")[-255:],
        content_type=checked.content_type,
        size=checked.size,
    )


@transaction.atomic
def file_remove(*, resource_file: ResourceFile, actor: User) -> None:
    resource = resource_file.resource
    if not permissions.can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    _revise(resource, actor, f"file removed: {resource_file.original_name}")
    storage, name = resource_file.file.storage, resource_file.file.name
    resource_file.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    actor: User,
    data: dict,
    communities: list[Community] | None = None,
    tags: Iterable[str] | None = None,
    files=(),
    related: Iterable[int] | None = None,
) -> Resource:
    """Edit metadata and text, keeping a revision of the previous state.

    A community can be added only by someone who may submit there (a member, a moderator of
    it, staff): moderating one community does not open the others' libraries."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not permissions.can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    current = list(resource.communities.all())
    is_moderator = permissions.can_any(actor, Action.RESOURCE_REVIEW, current)
    if communities is not None:
        communities = list(communities)
        for community in communities:
            if community not in current:
                permissions.check(actor, Action.RESOURCE_SUBMIT, community)
        _validate({**_snapshot(resource), **data}, communities)
    else:
        _validate({**_snapshot(resource), **data}, current)
    _revise(resource, actor, "edit")
    _apply(resource, data)
    if resource.status == S.CHANGES_REQUESTED and not is_moderator:
        resource.status = S.SUBMITTED  # the submitter has answered the request
    resource.save()
    if communities is not None:
        resource.communities.set(communities)
    if tags is not None:
        resource.tags.set(tags_from_names(tags))
    if related is not None:
        _set_related(resource, related)
    for upload in files:
        file_attach(resource=resource, actor=actor, upload=upload, check_permission=False)
    if is_moderator:
        for community in resource.communities.all():
            audit_record(actor=actor, action="resource.edit", target=resource, community=community)
    index_resource(resource)
    return resource


def _decide(
    *, resource: Resource, actor: User, status: str, action: str, comment: str, decision: str
) -> Resource:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    communities = list(resource.communities.all())
    permissions.check_any(actor, Action.RESOURCE_REVIEW, communities)
    before = {"status": resource.status}
    _revise(resource, actor, action)
    resource.status = status
    resource.review_comment = comment
    fields = ["status", "review_comment", "updated"]
    if status == S.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        fields.append("published_at")
    resource.save(update_fields=fields)
    for community in communities:
        permitted = permissions.can(actor, Action.RESOURCE_REVIEW, community)
        if permitted:
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
    index_resource(resource)
    return resource


@transaction.atomic
def resource_publish(*, resource: Resource, actor: User, comment: str = "") -> Resource:
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
    communities = list(resource.communities.all())
    permissions.check_any(actor, Action.RESOURCE_FEATURE, communities)
    if resource.status != S.PUBLISHED and featured:
        raise ValidationError(_("Only a published resource can be featured."))
    Resource.objects.filter(pk=resource.pk).update(is_featured=featured)
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


# --- Bulk import ---------------------------------------------------------------------------


@transaction.atomic
def resource_import(*, data: dict) -> str:
    """Create or update the resource with ``data["external_id"]`` from a validated import line
    (resources/importer.py). Returns "created", "updated" or "unchanged".

    Imports run from the command line with no actor: permission is the shell's. An update that
    changes anything keeps a revision, as every edit does; an unchanged line writes nothing
    but the search entry, so running a file twice is harmless.
    """
    resource = Resource.objects.select_for_update().filter(external_id=data["external_id"]).first()
    created = resource is None
    if resource is None:
        resource = Resource(external_id=data["external_id"])
        before = None
    else:
        before = _snapshot(resource)
    _apply(resource, {field: data[field] for field in EDITABLE})
    resource.status = S.PUBLISHED if data["status"] == "published" else S.DRAFT
    if resource.status == S.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
    tags = tags_from_names(data["tags"])
    after = {
        **_snapshot_fields(resource),
        "communities": sorted(c.slug for c in data["communities"]),
        "tags": sorted(t.slug for t in tags),
    }
    if before is not None and before == after:
        index_resource(resource)
        _import_collection(resource, data)
        return "unchanged"
    if before is not None:
        ResourceRevision.objects.create(resource=resource, data=before, editor=None, note="import")
    resource.save()
    resource.communities.set(data["communities"])
    resource.tags.set(tags)
    _import_collection(resource, data)
    index_resource(resource)
    return "created" if created else "updated"


def _import_collection(resource: Resource, data: dict) -> None:
    if not data.get("collection"):
        return
    collection, _new = Collection.objects.get_or_create(
        slug=data["collection"],
        defaults={"title_en": data["collection"].replace("-", " ").capitalize()},
    )
    collection.communities.add(*data["communities"])
    if not CollectionItem.objects.filter(collection=collection, resource=resource).exists():
        last = collection.items.order_by("-position").values_list("position", flat=True).first()
        CollectionItem.objects.create(
            collection=collection,
            resource=resource,
            position=0 if last is None else last + 1,
        )


# --- Collections ---------------------------------------------------------------------------


@transaction.atomic
def collection_save(
    *,
    actor: User,
    data: dict,
    communities: list[Community],
    collection: Collection | None = None,
) -> Collection:
    """Create or change a collection. The actor must be able to manage every community they
    add; communities of a shared collection that they cannot manage stay as they were."""
    communities = list(dict.fromkeys(communities))
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community.")})
    existing: list[Community] = []
    if collection is None:
        slug = slugify(data.get("slug") or data.get("title_en") or "")[:80]
        if not slug:
            raise ValidationError({"slug": _("A collection needs a web address (slug).")})
        if Collection.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("A collection with this address already exists.")})
        collection = Collection(slug=slug, created_by=actor)
        action = "collection.create"
    else:
        existing = list(collection.communities.all())
        permissions.check_any(actor, Action.COLLECTION_MANAGE, existing)
        action = "collection.update"
    for community in communities:
        if community not in existing:
            permissions.check(actor, Action.COLLECTION_MANAGE, community)
    kept = [
        c
        for c in existing
        if c not in communities and not permissions.can(actor, Action.COLLECTION_MANAGE, c)
    ]
    for field in (
        "title_en",
        "title_ru",
        "title_kk",
        "description_en",
        "description_ru",
        "description_kk",
    ):
        if field in data:
            setattr(collection, field, data[field] or "")
    collection.save()
    collection.communities.set(communities + kept)
    for community in communities:
        if permissions.can(actor, Action.COLLECTION_MANAGE, community):
            audit_record(actor=actor, action=action, target=collection, community=community)
    return collection


@transaction.atomic
def collection_set_items(*, collection: Collection, actor: User, resource_ids: list[int]) -> None:
    """Replace the collection's items with ``resource_ids`` in this order."""
    permissions.check_any(actor, Action.COLLECTION_MANAGE, collection.communities.all())
    ids = list(dict.fromkeys(resource_ids))
    existing = set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in existing]
    if missing:
        raise ValidationError(
            {"items": _("Unknown resources: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    CollectionItem.objects.filter(collection=collection).delete()
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, resource_id=rid, position=i)
        for i, rid in enumerate(ids)
    )


def collection_add(*, collection: Collection, actor: User, resource: Resource) -> None:
    permissions.check_any(actor, Action.COLLECTION_MANAGE, collection.communities.all())
    last = collection.items.order_by("-position").values_list("position", flat=True).first()
    CollectionItem.objects.get_or_create(
        collection=collection, resource=resource, defaults={"position": (last or 0) + 1}
    )


# --- Citations ("discussed in") -------------------------------------------------------------------

_RESOURCE_LINK = re.compile(r"/library/(\d+)/")


def citations_update(*, post) -> None:
    """Record which library resources a post links to. Call when a post is saved."""
    ids = {int(m) for m in _RESOURCE_LINK.findall(post.body or "")}
    Citation.objects.filter(post=post).exclude(resource_id__in=ids).delete()
    if not ids or not post.is_visible:
        Citation.objects.filter(post=post).delete()
        return
    known = Resource.objects.filter(pk__in=ids).values_list("pk", flat=True)
    Citation.objects.bulk_create(
        [Citation(resource_id=rid, post=post, thread_id=post.thread_id) for rid in known],
        ignore_conflicts=True,
    )
