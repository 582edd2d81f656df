"""``GET /api/v1/events`` and ``/api/v1/events/<id>``: scheduled and cancelled events, without
their join links (those are for registrants, on the site)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from core.models import Community
from core.params import MAX_ID, QueryParams
from events import selectors
from events.models import Event

router = Router(tags=["events"])

PER_PAGE = 50


class EventQuery(QueryParams):
    community: str = Field("", max_length=50, pattern=r"^[-a-z0-9]*$")
    when: Literal["upcoming", "past"] = "upcoming"
    kind: Literal["", "webinar", "peer-learning", "conference", "workshop", "study-visit"] = ""
    language: Literal["", "kk", "ru", "en"] = ""
    month: str = Field("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")
    page: int = Field(1, ge=1, le=10000)


class SpeakerOut(Schema):
    name: str
    profile: str | None


class EventOut(Schema):
    id: int
    url: str
    title: str
    kind: str
    status: str
    community: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    languages: list[str]
    interpretation: list[str]
    online: bool
    venue: str
    capacity: int | None
    registered: int
    ics: str


class EventDetailOut(EventOut):
    description_html: str
    language: str
    speakers: list[SpeakerOut]
    materials: list[int]
    thread: str | None


class EventListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[EventOut]


class ErrorOut(Schema):
    detail: str


def _out(event: Event) -> dict:
    return {
        "id": event.pk,
        "url": event.get_absolute_url(),
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "community": event.community.slug if event.community_id else None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "languages": event.languages,
        "interpretation": event.interpretation,
        "online": bool(event.join_url),
        "venue": event.venue,
        "capacity": event.capacity,
        "registered": getattr(event, "registered", 0),
        "ics": f"{event.get_absolute_url()}event.ics",
    }


@router.get("/events", response=EventListOut, summary="Events, upcoming or past")
def api_events(request: HttpRequest, query: Query[EventQuery]):
    community = None
    if query.community:
        community = Community.objects.filter(slug=query.community).first()
        if community is None:
            return {"count": 0, "page": 1, "pages": 1, "results": []}
    month = datetime.strptime(query.month, "%Y-%m").date() if query.month else None
    events = selectors.event_list(
        community=community,
        past=query.when == "past",
        kind=query.kind,
        language=query.language,
        month=month,
    )
    count = events.count()
    start = (query.page - 1) * PER_PAGE
    return {
        "count": count,
        "page": query.page,
        "pages": max(1, math.ceil(count / PER_PAGE)),
        "results": [_out(e) for e in events[start : start + PER_PAGE]],
    }


@router.get(
    "/events/{event_id}", response={200: EventDetailOut, 404: ErrorOut}, summary="One event"
)
def api_event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)):
    event = selectors.event_find(event_id=event_id)
    if event is None:
        return Status(404, {"detail": "Not found."})
    speakers = event.speakers.select_related("user")
    return {
        **_out(event),
        "description_html": event.html,
        "language": event.language,
        "speakers": [
            {
                "name": s.display_name,
                "profile": reverse("member_detail", args=[s.user.username]) if s.user_id else None,
            }
            for s in speakers
        ],
        "materials": list(event.resources.filter(status="published").values_list("pk", flat=True)),
        "thread": event.thread.get_absolute_url() if event.thread_id else None,
    }
