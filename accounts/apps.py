from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Imported here: models may not be imported before the app registry is ready.
        from accounts import deletion, export, personal
        from core import audit
        from core.worker import register_periodic

        personal.register()
        audit.register_labels(AUDIT_LABELS)
        _watch_people()
        register_periodic(
            "accounts.exports_expire", every=timedelta(hours=1), task=export.exports_expire_task
        )
        register_periodic(
            "accounts.deletions_due", every=timedelta(hours=1), task=deletion.deletions_due_task
        )


def _watch_people() -> None:
    """What a person shows of themselves (name, country, organisation, who may see them) is on
    their communities' homes: a save moves ``core.versions.PEOPLE`` (but a sign-in's)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from core import versions

    people = versions.bumper(versions.PEOPLE, ignore=frozenset({"last_login"}))
    post_save.connect(people, sender=get_user_model(), weak=False, dispatch_uid="people_saved")
    post_delete.connect(people, sender=get_user_model(), weak=False, dispatch_uid="people_gone")


AUDIT_LABELS = {
    "account.export": _("exported a person's data on their request"),
    "account.delete_request": _("scheduled an account for deletion on request"),
    "account.erase": _("erased an account on request"),
}
