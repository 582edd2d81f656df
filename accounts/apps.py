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
        register_periodic(
            "accounts.exports_expire", every=timedelta(hours=1), task=export.exports_expire_task
        )
        register_periodic(
            "accounts.deletions_due", every=timedelta(hours=1), task=deletion.deletions_due_task
        )


AUDIT_LABELS = {
    "account.export": _("exported a person's data on their request"),
    "account.delete_request": _("scheduled an account for deletion on request"),
    "account.erase": _("erased an account on request"),
}
