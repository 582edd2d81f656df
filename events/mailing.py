"""Events in e-mail (registered with mail/ in EventsConfig.ready()): what a reminder or a change
notice shows — when, in the recipient's time zone and the organiser's, and the join link when the
recipient may see it at sending time — and the digest's section of newly announced events."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import permissions
from core.permissions import Action
from events.models import Event
from events.times import reader_zone, when_text
from mail.registry import Content, Item, Section, register_content, register_section

ITEMS = 10


def _event_content(user, data: dict) -> Content | None:
    event = Event.objects.filter(pk=data.get("event")).select_related("organiser").first()
    if event is None:
        return None
    when = when_text(event, reader_zone(user))
    parts = [format_html("<p><strong>{}</strong></p>", when)]
    lines = [when]
    if event.is_cancelled:
        parts.append(format_html("<p>{}</p>", _("This event was cancelled.")))
        lines.append(_("This event was cancelled."))
    elif permissions.can(user, Action.EVENT_JOIN, event.community, event) and event.join_url:
        parts.append(
            format_html(
                '<p>{} <a href="{}">{}</a></p>', _("Join online:"), event.join_url, event.join_url
            )
        )
        lines.append(f"{_('Join online:')} {event.join_url}")
    if event.venue:
        parts.append(format_html("<p>{} {}</p>", _("Venue:"), event.venue))
        lines.append(f"{_('Venue:')} {event.venue}")
    return Content(
        html="".join(parts) + event.html,
        url=event.get_absolute_url(),
        language=event.language,
        title=event.title,
        text="\n".join(lines),
    )


def _new_events(user, communities, since: datetime, until: datetime) -> list[Item]:
    events = Event.objects.filter(
        Q(community__in=[c.pk for c in communities]) | Q(community__isnull=True),
        status=Event.Status.SCHEDULED,
        created__gte=since,
        created__lt=until,
        starts_at__gt=until,
    ).order_by("starts_at")[:ITEMS]
    zone = reader_zone(user)
    return [
        Item(
            title=event.title,
            url=event.get_absolute_url(),
            meta=f"{event.get_kind_display()} · {when_text(event, zone)}",
            language=event.language,
        )
        for event in events
    ]


def register() -> None:
    register_content("event", _event_content)
    register_section(
        Section(name="events", heading=gettext_lazy("New events"), items=_new_events, position=5)
    )
