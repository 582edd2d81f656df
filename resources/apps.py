from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Library")

    def ready(self):
        # Imported here, not at the top: models may be imported only once apps are ready.
        from core import audit
        from resources import mailing, moderation
        from resources.indexing import DOCUMENT_TYPE
        from search import documents

        documents.register(DOCUMENT_TYPE)
        audit.register_labels(AUDIT_LABELS)
        audit.register_field_labels(AUDIT_FIELDS)
        mailing.register()
        moderation.register()
        from resources import personal

        personal.register()
        _watch_library()


def _watch_library() -> None:
    """Every save and deletion of what the library's pages show moves ``core.versions.LIBRARY``
    (the services move it themselves where they write in bulk)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from core import versions
    from resources.models import Collection, CollectionItem, LibraryTag, Resource, ResourceFile

    library = versions.bumper(versions.LIBRARY)
    for model in (Resource, ResourceFile, LibraryTag, Collection, CollectionItem):
        for signal in (post_save, post_delete):
            signal.connect(
                library, sender=model, weak=False, dispatch_uid=f"library_{signal}_{model}"
            )
    for through in (
        Resource.communities.through,
        Resource.tags.through,
        Resource.related.through,
        Collection.communities.through,
    ):
        m2m_changed.connect(library, sender=through, weak=False, dispatch_uid=f"library_{through}")


AUDIT_LABELS = {
    "resource.create": _("added a resource"),
    "resource.edit": _("edited a resource"),
    "resource.publish": _("published a resource"),
    "resource.request_changes": _("asked for changes to a resource"),
    "resource.reject": _("rejected a resource"),
    "resource.archive": _("archived a resource"),
    "resource.feature": _("featured a resource"),
    "resource.unfeature": _("stopped featuring a resource"),
    "collection.create": _("created a collection"),
    "collection.update": _("changed a collection"),
    "collection.add": _("added a resource to a collection"),
    "collection.remove": _("removed a resource from a collection"),
    "collection.move": _("moved a resource within a collection"),
}

# Words for what a collection's audit entries record: "position: 2 → 4".
AUDIT_FIELDS = {
    "resource": _("resource"),
    "position": pgettext_lazy("sort order", "position"),
}
