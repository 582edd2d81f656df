from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The community core: communities, memberships, permissions, markup, audit, doorbells.

    Its label stays ``cop``, the label its tables and migrations were created under (the app
    was called that when it also held the project's settings): renaming a label would rewrite
    every migration and content type for nothing."""

    name = "core"
    label = "cop"
    verbose_name = _("Communities")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready.
        from django.urls import register_converter

        from core.db import register_sqlite_functions
        from core.params import IdConverter

        connection_created.connect(register_sqlite_functions, dispatch_uid="cop_sqlite_functions")
        # ``<id:...>`` in every URLconf: ids the database can hold, else a 404.
        register_converter(IdConverter, "id")

        from django.db.models.signals import post_delete, post_save, pre_save

        from core.models import Community, Membership
        from core.permissions import memberships_changed
        from core.selectors import community_changed, community_renaming

        pre_save.connect(community_renaming, sender=Community, dispatch_uid="cop_community_slug")
        post_save.connect(community_changed, sender=Community, dispatch_uid="cop_community_saved")
        post_delete.connect(
            community_changed, sender=Community, dispatch_uid="cop_community_deleted"
        )
        post_save.connect(memberships_changed, sender=Membership, dispatch_uid="cop_roles_saved")
        post_delete.connect(
            memberships_changed, sender=Membership, dispatch_uid="cop_roles_deleted"
        )
        from core import versions

        for signal in (post_save, post_delete):
            # Who belongs where, and in which role, is on every community's home.
            signal.connect(
                versions.bumper(versions.PEOPLE),
                sender=Membership,
                weak=False,
                dispatch_uid=f"cop_people_{signal is post_save}",
            )
