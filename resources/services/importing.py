"""Bulk import of library resources from a validated import line (resources/importer.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from resources.indexing import resource_index
from resources.models import Collection, CollectionItem, Resource, ResourceRevision
from resources.services.records import (
    EDITABLE,
    data_apply,
    snapshot,
    snapshot_fields,
    tags_from_names,
)

S = Resource.Status


@transaction.atomic
def resource_import(*, data: dict) -> str:
    """Create or update the resource with ``data["external_id"]`` from a line that
    ``resources.importer.validate`` checked (its keys: the editable fields, ``external_id``,
    ``status``, ``communities``, ``tags``, ``collection``). Returns "created", "updated" or
    "unchanged".

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
        before = snapshot(resource)
    data_apply(resource=resource, data={field: data[field] for field in EDITABLE})
    resource.status = S.PUBLISHED if data["status"] == "published" else S.DRAFT
    if resource.status == S.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
    tags = tags_from_names(data["tags"])
    after = {
        **snapshot_fields(resource),
        "communities": sorted(c.slug for c in data["communities"]),
        "tags": sorted(t.slug for t in tags),
    }
    if before is not None and before == after:
        _collection_join(resource, data)
        resource_index(resource)
        return "unchanged"
    if before is not None:
        ResourceRevision.objects.create(resource=resource, data=before, editor=None, note="import")
    resource.save()
    resource.communities.set(data["communities"])
    resource.tags.set(tags)
    _collection_join(resource, data)
    resource_index(resource)
    return "created" if created else "updated"


def _collection_join(resource: Resource, data: dict) -> None:
    """Put the resource at the end of the line's collection (created when new)."""
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
