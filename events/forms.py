from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.forms import TIME_ZONES
from accounts.models import SPOKEN_LANGUAGES
from events.models import Event
from events.services import EventData

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


class EventForm(forms.Form):
    """An event as its organiser writes it: start and end on the organiser's clock, in the
    time zone chosen beside them (stored in UTC)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"]
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of these times"),
        choices=TIME_ZONES,
        error_messages={
            "invalid_choice": _(
                "Unknown time zone “%(value)s”: choose one from the list, for example Asia/Almaty."
            )
        },
    )
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Markdown: **bold**, lists, links."),
    )
    language = forms.ChoiceField(
        label=_("Language of the description"), choices=settings.LANGUAGES, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation offered into"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    join_url = forms.CharField(
        label=_("Online join link"),
        max_length=500,
        required=False,
        help_text=_("Shown to registered participants from an hour before the start."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        help_text=_("Leave empty for no limit; when full, people join a waiting list."),
    )
    speakers = forms.CharField(
        label=_("Speakers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: @username for a member, or a name as written."),
    )

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        zone = event.zone
        return {
            "title": event.title,
            "kind": event.kind,
            "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
            "time_zone": event.time_zone,
            "body": event.body,
            "language": event.language,
            "languages": event.languages,
            "interpretation": event.interpretation,
            "join_url": event.join_url,
            "venue": event.venue,
            "capacity": event.capacity,
            "speakers": "\n".join(
                f"@{s.user.username}" if s.user_id else s.name
                for s in event.speakers.select_related("user")
            ),
        }

    def _aware(self, value: datetime, zone) -> datetime:
        """The typed wall-clock time on the chosen zone's clock (Django has already labelled it
        with the reader's zone: the label is replaced, the time is not converted)."""
        return value.replace(tzinfo=zone)

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if data.get(name):
                    data[name] = self._aware(data[name], zone)
        return data

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            body=data["body"],
            language=data["language"],
            languages=data["languages"],
            interpretation=data["interpretation"],
            join_url=data["join_url"].strip(),
            venue=data["venue"],
            capacity=data["capacity"],
            speakers=[line for line in data["speakers"].splitlines() if line.strip()],
        )


class DuplicateForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start, in the event's time zone"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
    )


class EventFilterForm(forms.Form):
    """The list's filters (GET); a value that is not valid is ignored, not an error."""

    kind = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[("", _("All kinds")), *Event.Kind.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *settings.LANGUAGES],
        required=False,
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
