"""Collections: curated, ordered sets of resources, possibly from several communities.

A resource's collections are a filter of search (its documents carry them as a facet), so
every change to a collection's items reindexes the resources that joined or left it (a change
of order does not: the index does not know it). Moderators edit the items one at a time (add,
remove, move to a position: the collection page's buttons and its drag-and-drop), each step
audited in words."""

from __future__ import annotations

from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions, versions
from core.models import Community
from core.permissions import Action
from core.services import audit_record
from resources.indexing import resources_index
from resources.models import Collection, CollectionItem, Resource

TEXT_FIELDS = (
    "title_en",
    "title_ru",
    "title_kk",
    "description_en",
    "description_ru",
    "description_kk",
)


class CollectionData(TypedDict, total=False):
    """A collection's own fields; ``slug`` is read when it is created (else from the English
    title)."""

    slug: str
    title_en: str
    title_ru: str
    title_kk: str
    description_en: str
    description_ru: str
    description_kk: str


@transaction.atomic
def _free_slug(data: dict) -> str:
    """A collection's web address, made from its title (moderators are not asked for one):
    the English title, else the Russian or Kazakh one transliterated by slugify's ASCII rule
    (which drops what it cannot spell), else "collection"; "-2", "-3"… when taken. A slug given
    by a caller (the import, the tests) is used as it is, if free."""
    base = ""
    for key in ("slug", "title_en", "title_ru", "title_kk"):
        base = slugify(data.get(key) or "")[:70].strip("-")
        if base:
            break
    base = base or "collection"
    slug, n = base, 1
    while Collection.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def collection_save(
    *,
    actor: User,
    data: CollectionData,
    communities: list[Community],
    collection: Collection | None = None,
) -> Collection:
    """Create or change a collection (audited in each community the actor manages). The actor
    must be able to manage every community they add; communities of a shared collection that
    they cannot manage stay as they were. Raises Refusal or ValidationError (``communities``)."""
    communities = list(dict.fromkeys(communities))
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community.")})
    existing: list[Community] = []
    if collection is None:
        collection = Collection(slug=_free_slug(data), created_by=actor)
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
    for field in TEXT_FIELDS:
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
    """Replace the collection's items with ``resource_ids`` in this order. Raises Refusal or
    ValidationError (on ``items``, naming the ids of resources that do not exist)."""
    permissions.check_any(actor, Action.COLLECTION_MANAGE, collection.communities.all())
    ids = list(dict.fromkeys(resource_ids))
    existing = set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in existing]
    if missing:
        raise ValidationError(
            {"items": _("Unknown resources: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    before = set(collection.items.values_list("resource_id", flat=True))
    CollectionItem.objects.filter(collection=collection).delete()
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, resource_id=rid, position=i)
        for i, rid in enumerate(ids)
    )
    versions.bump(versions.LIBRARY)  # bulk_create sends no signals
    resources_index(resource_ids=before.symmetric_difference(ids))


def _audit_items(
    *, actor: User, action: str, collection: Collection, before: dict, after: dict
) -> None:
    """One audit entry in each of the collection's communities that the actor manages (as
    collection_save does), so every community's log shows the change."""
    for community in collection.communities.all():
        if permissions.can(actor, Action.COLLECTION_MANAGE, community):
            audit_record(
                actor=actor,
                action=action,
                target=collection,
                community=community,
                before=before,
                after=after,
            )


def _lock(collection: Collection, actor: User) -> list[CollectionItem]:
    """Check that ``actor`` may change the collection, lock its row (concurrent edits of one
    collection queue up) and return its items in order. Call inside a transaction."""
    permissions.check_any(actor, Action.COLLECTION_MANAGE, collection.communities.all())
    list(Collection.objects.select_for_update().filter(pk=collection.pk).values_list("pk"))
    return list(
        CollectionItem.objects.filter(collection=collection)
        .select_related("resource")
        .only("id", "position", "resource_id", "resource__title")
        .order_by("position", "id")
    )


def _item_of(items: list[CollectionItem], resource_id: int) -> int:
    """The index of ``resource_id`` among ``items``; ValidationError if it is not there."""
    for index, item in enumerate(items):
        if item.resource_id == resource_id:
            return index
    raise ValidationError(
        _("This resource is not in the collection any more; the page was out of date.")
    )


@transaction.atomic
def collection_add(*, collection: Collection, actor: User, resource: Resource) -> bool:
    """Add a published resource at the end of the collection (audited); False if it was in it
    already. Raises Refusal, or ValidationError (the resource is not published)."""
    items = _lock(collection, actor)
    if any(item.resource_id == resource.pk for item in items):
        return False
    if resource.status != Resource.Status.PUBLISHED:
        raise ValidationError(_("Only published resources can join a collection."))
    last = max((item.position for item in items), default=-1)
    CollectionItem.objects.create(collection=collection, resource=resource, position=last + 1)
    resources_index(resource_ids=[resource.pk])
    _audit_items(
        actor=actor,
        action="collection.add",
        collection=collection,
        before={},
        after={"resource": resource.title, "position": len(items) + 1},
    )
    return True


@transaction.atomic
def collection_remove(*, collection: Collection, actor: User, resource_id: int) -> Resource:
    """Take a resource out of the collection (audited) and return it. Raises Refusal, or
    ValidationError (it is not in the collection)."""
    items = _lock(collection, actor)
    item = items[_item_of(items, resource_id)]
    item.delete()
    resources_index(resource_ids=[resource_id])
    _audit_items(
        actor=actor,
        action="collection.remove",
        collection=collection,
        before={"resource": item.resource.title, "position": items.index(item) + 1},
        after={},
    )
    return item.resource


@transaction.atomic
def collection_move(
    *, collection: Collection, actor: User, resource_id: int, position: int
) -> tuple[int, int]:
    """Put a resource of the collection at ``position`` (1 is the first; beyond the ends means
    the end), shifting the others, and number every item again (audited when it moved).
    Returns (its position, the number of items). Raises Refusal, or ValidationError (it is
    not in the collection)."""
    items = _lock(collection, actor)
    index = _item_of(items, resource_id)
    target = min(max(position, 1), len(items)) - 1
    if target == index:
        return index + 1, len(items)
    item = items.pop(index)
    items.insert(target, item)
    for number, each in enumerate(items):
        each.position = number
    CollectionItem.objects.bulk_update(items, ["position"])
    versions.bump(versions.LIBRARY)
    _audit_items(
        actor=actor,
        action="collection.move",
        collection=collection,
        before={"resource": item.resource.title, "position": index + 1},
        after={"resource": item.resource.title, "position": target + 1},
    )
    return target + 1, len(items)
