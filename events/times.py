"""Event times for readers in 40 countries: stored in UTC, shown in the reader's zone with the
organiser's alongside, and "starts in 2 hours" / "live now"."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def reader_zone(user=None) -> tzinfo:
    """The zone a person reads in: the one on their profile, else the current one (the
    request's, set by the middleware from the browser), else the site's."""
    chosen = zone_named(getattr(user, "timezone", "") or "")
    return chosen or timezone.get_current_timezone() or zoneinfo.ZoneInfo(settings.TIME_ZONE)


def zone_label(zone: tzinfo) -> str:
    return getattr(zone, "key", str(zone))


def _span(start: datetime, end: datetime, zone: tzinfo) -> str:
    start, end = start.astimezone(zone), end.astimezone(zone)
    day = formats.date_format(start, "DATE_FORMAT")
    begins = formats.time_format(start, "H:i")
    if start.date() == end.date():
        return f"{day}, {begins}–{formats.time_format(end, 'H:i')}"
    ends = f"{formats.date_format(end, 'DATE_FORMAT')}, {formats.time_format(end, 'H:i')}"
    return f"{day}, {begins} – {ends}"


def when_text(event, zone: tzinfo) -> str:
    """ "1 December 2026, 15:00–16:30 (Asia/Almaty)", and the organiser's time after it when
    their zone tells another clock."""
    text = f"{_span(event.starts_at, event.ends_at, zone)} ({zone_label(zone)})"
    theirs = event.zone
    if (
        event.starts_at.astimezone(theirs).utcoffset()
        != event.starts_at.astimezone(zone).utcoffset()
    ):
        text += " · " + _("%(time)s organiser's time (%(zone)s)") % {
            "time": _span(event.starts_at, event.ends_at, theirs),
            "zone": zone_label(theirs),
        }
    return text


def relative(event, now: datetime | None = None) -> str:
    """ "starts in 2 hours", "live now", "ended", "cancelled"."""
    now = now or timezone.now()
    state = event.state(now)
    if state == "cancelled":
        return _("cancelled")
    if state == "live":
        return _("live now")
    if state == "past":
        return _("ended")
    minutes = max(1, int((event.starts_at - now).total_seconds() // 60))
    if minutes < 60:
        return ngettext("starts in %(n)d minute", "starts in %(n)d minutes", minutes) % {
            "n": minutes
        }
    hours = minutes // 60
    if hours < 48:
        return ngettext("starts in %(n)d hour", "starts in %(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("starts in %(n)d day", "starts in %(n)d days", days) % {"n": days}
