"""Writes of the library, one module per subject. Import from here:
``from resources import services; services.resource_submit(...)``.

- ``curation``: submitting, editing, moderators' decisions, featuring;
- ``files``: attaching and removing files;
- ``collections``: curated sets of resources;
- ``importing``: bulk import lines;
- ``records``: the editable fields, their checks and the revision snapshot (shared).
"""

from resources.services.collections import (
    CollectionData,
    collection_add,
    collection_move,
    collection_remove,
    collection_save,
    collection_set_items,
)
from resources.services.curation import (
    resource_archive,
    resource_publish,
    resource_reject,
    resource_request_changes,
    resource_set_featured,
    resource_submit,
    resource_update,
)
from resources.services.files import file_attach, file_remove
from resources.services.importing import resource_import
from resources.services.records import EDITABLE, ResourceData, tags_from_names

__all__ = [
    "EDITABLE",
    "CollectionData",
    "ResourceData",
    "collection_add",
    "collection_move",
    "collection_remove",
    "collection_save",
    "collection_set_items",
    "file_attach",
    "file_remove",
    "resource_archive",
    "resource_import",
    "resource_publish",
    "resource_reject",
    "resource_request_changes",
    "resource_set_featured",
    "resource_submit",
    "resource_update",
    "tags_from_names",
]
