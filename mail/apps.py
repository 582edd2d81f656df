from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """What reaches people between visits: notification e-mails, digests, saved searches with
    their alerts and feeds, one-click unsubscribe."""

    name = "mail"
    verbose_name = _("E-mail and alerts")

    def ready(self):
        from accounts.services import register_notification_listener
        from core.worker import register_periodic
        from mail import deliveries, tasks

        register_notification_listener(deliveries.notifications_queue)
        from mail import personal

        personal.register()
        register_periodic("mail.digests", every=timedelta(minutes=15), task=tasks.digests_plan)
        register_periodic(
            "mail.alerts",
            every=timedelta(seconds=settings.ALERT_EVERY_SECONDS),
            task=tasks.alerts_run,
        )
        register_periodic(
            "mail.recover", every=timedelta(minutes=10), task=tasks.deliveries_recover
        )
