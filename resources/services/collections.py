"""Collections: curated, ordered sets of resources, possibly from several communities.

A resource's collections are a filter of search (its documents carry them as a facet), so
every change to a collection's items reindexes the resources that joined or left it."""

from __future__ import annotations

from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions
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
    resources_index(resource_ids=before.symmetric_difference(ids))


@transaction.atomic
def collection_add(*, collection: Collection, actor: User, resource: Resource) -> None:
    """Add a resource at the end of the collection (nothing if it is in it). Raises Refusal."""
    permissions.check_any(actor, Action.COLLECTION_MANAGE, collection.communities.all())
    last = collection.items.order_by("-position").values_list("position", flat=True).first()
    _item, created = CollectionItem.objects.get_or_create(
        collection=collection, resource=resource, defaults={"position": (last or 0) + 1}
    )
    if created:
        resources_index(resource_ids=[resource.pk])
