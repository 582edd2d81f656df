from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Imported here: models may not be imported before the app registry is ready.
        from core import audit
        from core.worker import register_periodic
        from events import indexing, mailing, rules, tasks
        from events.selectors import resource_origins
        from resources.selectors import register_origins
        from search import documents

        rules.register()
        documents.register(indexing.DOCUMENT_TYPE)
        mailing.register()
        from events import personal

        personal.register()
        register_origins(resource_origins)
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core import versions
        from events.models import Event

        events = versions.bumper(versions.EVENTS)  # the next events, on homes
        post_save.connect(events, sender=Event, weak=False, dispatch_uid="events_saved")
        post_delete.connect(events, sender=Event, weak=False, dispatch_uid="events_gone")
        # An event's materials: the resources' pages name the events they come from.
        m2m_changed.connect(
            events, sender=Event.resources.through, weak=False, dispatch_uid="events_materials"
        )
        audit.register_labels(AUDIT_LABELS)
        register_periodic("events.reminders", every=timedelta(minutes=5), task=tasks.reminders_run)


AUDIT_LABELS = {
    "event.create": _("created an event"),
    "event.edit": _("edited an event"),
    "event.cancel": _("cancelled an event"),
    "event.duplicate": _("duplicated an event"),
    "event.attendance": _("marked attendance"),
    "event.materials": _("linked event materials"),
    "event.follow_up": _("opened an event's follow-up thread"),
}
