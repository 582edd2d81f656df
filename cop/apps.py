from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CopConfig(AppConfig):
    name = "cop"
    verbose_name = _("Communities")

    def ready(self):
        from cop.db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="cop_sqlite_functions")
