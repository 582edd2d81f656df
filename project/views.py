"""Pages that show every app at once (home, a community's page) and the health check."""

from __future__ import annotations

import asyncio
import hmac
import logging
import uuid
import weakref
import zlib
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from core import metrics as _metrics  # noqa: F401 - registers the metrics before the first scrape
from core import permissions, selectors, versions
from core.avatars import AVATAR_COLOURS
from core.pagecache import part_key, query_cacheable, slot, visitor_page, with_token
from core.permissions import Action
from events.selectors import events_next
from events.times import reader_zone, when_text
from project.activity import activity_for_communities, community_activity, member_home

logger = logging.getLogger(__name__)


# allauth's rate limits (per minute and address) answer through this (project.urls.handler429).
RATE_LIMIT_RETRY_AFTER = 60


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """A translated 429 page that says when to come back."""
    response = render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER)
    return response


def home(request: HttpRequest) -> HttpResponse:
    """A member's own home (what is new in their communities); for a visitor, or someone
    signed in who belongs to no community yet, the four communities to join."""
    communities = selectors.community_list()
    member_of = permissions.member_community_ids(request.user)
    if member_of:
        feed = member_home(user=request.user, communities=communities, member_of=member_of)
        zone = reader_zone(request.user)
        return render(
            request,
            "project/home_member.html",
            {
                "feed": feed,
                "my_events": [(event, when_text(event, zone)) for event in feed.events],
                # Nothing registered for: the next events anyone may join instead.
                "next_events": [] if feed.events else _next_events(request, None),
            },
        )
    activity = activity_for_communities(communities=communities)
    for community in communities:
        community.is_member = community.pk in member_of
        community.activity = activity.get(community.pk, [])
    return render(
        request,
        "project/home.html",
        {"communities": communities, "next_events": _next_events(request, None)},
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page says: send them to the SVG
    icon instead of a 404 on every first visit."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@staff_member_required
def styleguide(request: HttpRequest) -> HttpResponse:
    """Every component of the design system on one page, for developers (staff only)."""
    sample = {
        "now": timezone.now(),
        "earlier": timezone.now() - timedelta(minutes=3),
        "yesterday": timezone.now() - timedelta(days=1, hours=2),
        "people": [
            SimpleNamespace(username=f"person{i}", name=name, avatar=None)
            for i, name in enumerate(
                [
                    "Айгерім Нұрланқызы",
                    "Тимур Алиев",
                    "Nino Beridze",
                    "Ji-woo Park",
                    "Leyla Mammadova",
                ]
            )
        ],
        "colours": range(AVATAR_COLOURS),
        "icons": STYLEGUIDE_ICONS,
    }
    return render(request, "project/styleguide.html", sample)


STYLEGUIDE_ICONS = [
    "bell",
    "thumbs-up",
    "hand-heart",
    "lightbulb",
    "circle-check",
    "smile-plus",
    "menu",
    "x",
    "search",
    "sun",
    "moon",
    "monitor",
    "ellipsis",
    "users",
    "user",
    "book-open",
    "calendar",
    "messages-square",
    "message-square",
    "send",
    "funnel",
    "check",
    "chevron-down",
    "house",
    "shield",
    "log-out",
    "reply",
    "pencil",
    "trash-2",
    "corner-down-right",
    "globe",
    "plus",
    "circle-help",
    "mail",
    "clock",
    "info",
    "triangle-alert",
    "inbox",
    "layout-dashboard",
    "grip-vertical",
    "arrow-up",
    "arrow-down",
]


def _next_events(request: HttpRequest, community) -> list:
    zone = reader_zone(request.user)
    return [(event, when_text(event, zone)) for event in events_next(community=community)]


# A community's home names times ("3 minutes ago", "tomorrow at 10:00"), and its next events
# stop being next once they start: it is cached for a short while, under the versions of all it
# shows (its threads move the community's activity version).
HOME_SECONDS = 30
HOME_VERSIONS = (versions.LIBRARY, versions.EVENTS, versions.PEOPLE, versions.ROOMS)
ACTIONS_SLOT = slot("actions")
PEOPLE_SLOT = slot("people")


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's home: its latest threads, rooms, library, next events and people.

    A visitor's whole page is cached. For someone signed in, the sections are shared by every
    reader, and the people by readers of the same role (who see the same of each), but by
    those listed (each sees all of their own details): their people are rendered for them.
    The join, leave and moderation buttons are each reader's own."""
    community = selectors.community_get(slug=slug)
    role = permissions.role_of(request.user, community)
    actions = {
        "community": community,
        "is_member": community.pk in permissions.member_community_ids(request.user),
        "can_moderate": permissions.can(request.user, Action.MODERATION_READ, community),
    }

    def version() -> str:
        # The activity version is read from the database (it is not cached with the community).
        return ".".join(
            (
                str(community.activity_version),
                str(_community_digest(community)),
                versions.current(*HOME_VERSIONS),
            )
        )

    def page(context: dict) -> HttpResponse:
        return render(request, "project/community_detail.html", {**actions, **context})

    if not request.user.is_authenticated:
        return visitor_page(
            request,
            name="community",
            version=version,
            seconds=HOME_SECONDS,
            render=lambda csrf_token: page(
                {
                    **_home_sections(request, community),
                    **_home_people(community),
                    "csrf_token": csrf_token,
                }
            ),
        )
    # The sections are the same for every reader; the people depend on the reader's role. The
    # home reads nothing from its address: one with a query is rendered for this request alone.
    current = version()
    shared = query_cacheable(request, ())
    main_key = part_key(request, "community", (current,))
    people_key = part_key(request, "community-people", (current, int(role)))
    found = cache.get_many([main_key, people_key]) if shared else {}
    html = found.get(main_key)
    if html is None:
        html = render_to_string(
            "project/_community_main.html",
            {
                **_home_sections(request, community),
                "community": community,
                "actions_html": mark_safe(ACTIONS_SLOT),  # noqa: S308 - our own constants
                "people_html": mark_safe(PEOPLE_SLOT),  # noqa: S308
            },
            request=request,
        )
        if shared:
            cache.set(main_key, html, HOME_SECONDS)
    people = found.get(people_key)
    if people is None or request.user.pk in people["ids"]:
        context = {**_home_people(community, current), "community": community}
        people = {
            "html": render_to_string("project/_community_people.html", context, request=request),
            "ids": {p.pk for p in (*context["moderators"], *context["recent_members"])},
        }
        # One of the people listed sees all of their own details: not for the others.
        if shared and request.user.pk not in people["ids"]:
            cache.set(people_key, people, HOME_SECONDS)
    actions_html = render_to_string("project/_community_actions.html", actions, request=request)
    html = html.replace(ACTIONS_SLOT, actions_html).replace(PEOPLE_SLOT, people["html"])
    return page({"main_html": with_token(request, html)})


def _home_people(community, version: str | None = None) -> dict:
    """How many members the community has, its moderators and who joined last; kept in the
    cache under ``version`` when one is given (for those listed, who get them rendered)."""
    key = f"home-people:{community.pk}:{version}"
    people = cache.get(key) if version else None
    if people is None:
        people = {
            "counts": selectors.community_counts(community=community),
            "moderators": selectors.community_moderators(community=community),
            "recent_members": selectors.community_members_recent(community=community),
        }
        if version:
            cache.set(key, people, HOME_SECONDS)
    return people


def _home_sections(request: HttpRequest, community) -> dict:
    """What a community's home shows that is not the reader's own."""
    return {
        "sections": community_activity(community=community),
        "next_events": _next_events(request, community),
    }


def _community_digest(community) -> int:
    """A digest of what a community's home shows of the community itself (edited in the admin)."""
    return zlib.crc32(
        "\x1f".join(
            getattr(community, f"{field}_{language}")
            for field in ("name", "description")
            for language in ("en", "ru", "kk")
        ).encode()
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics of this process (core/metrics.py). With METRICS_TOKEN set, only for
    "Authorization: Bearer <token>"; without one, only with DEBUG on. Anything else is a 404,
    as if there were nothing here."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    allowed = (
        hmac.compare_digest(given.encode(), f"Bearer {token}".encode()) if token else settings.DEBUG
    )
    if not allowed:
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


@never_cache
@require_GET
async def healthz(request: HttpRequest) -> JsonResponse:
    """Database and channel layer reachable? 200 if both, 503 otherwise (for health checks);
    and the background worker: "ok", "stale" (not seen for two minutes) or "missing".

    Both are probed at once, each within HEALTH_TIMEOUT seconds, so that the answer comes
    before the container runtime's own timeout (5 s in docker-compose.yml)."""
    results = await asyncio.gather(
        asyncio.wait_for(sync_to_async(_ping_database)(), HEALTH_TIMEOUT),
        asyncio.wait_for(_ping_channel_layer(), HEALTH_TIMEOUT),
        return_exceptions=True,
    )
    state = {}
    for name, result in zip(("database", "channel_layer"), results, strict=True):
        if isinstance(result, BaseException):
            # Any failure means "down"; the reason goes to the log, not to the prober.
            logger.warning("healthz: %s unreachable: %r", name, result)
        state[name] = "down" if isinstance(result, BaseException) else "ok"
    ok = all(value == "ok" for value in state.values())
    # The worker (e-mail, digests, alerts) is reported, but the web process stays healthy
    # without it: a proxy must not take every web process out because the worker stopped.
    # ``?require=worker`` (for monitoring) makes a quiet worker a 503 too.
    state["worker"] = await sync_to_async(_worker_state)() if ok else "unknown"
    worker_ok = state["worker"] == "ok"
    status = "ok" if ok and worker_ok else ("degraded" if ok else "down")
    required = request.GET.get("require") == "worker"
    healthy = ok and (worker_ok or not required)
    return JsonResponse(
        {"status": status, **state},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


def _worker_state() -> str:
    from core.worker import worker_state

    return worker_state()


HEALTH_TIMEOUT = 2.0
# The reply channel of the probes, one per event loop and channel layer, reused by every probe:
# channels_redis' pub/sub layer keeps a subscription for each channel it creates (per event
# loop), so a new channel per probe (every 15 s) would grow without end. Daphne runs one loop.
_health_channels: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


class _HealthProbe:
    """The probes' reply channel on one event loop and layer, with its receive kept waiting
    between probes. A receive that a timed-out probe cancelled would make channels_redis
    unsubscribe the channel, which fails while Redis is away and leaves the channel deaf after
    Redis is back; so the receive is never cancelled, only waited for."""

    def __init__(self, layer, channel: str):
        self.layer, self.channel = layer, channel
        self.receiving: asyncio.Future | None = None

    async def ping(self) -> None:
        token = uuid.uuid4().hex
        await self.layer.send(self.channel, {"type": "healthz.ping", "token": token})
        while True:
            if self.receiving is None:
                self.receiving = asyncio.ensure_future(self.layer.receive(self.channel))
            waiting = self.receiving
            done = await asyncio.shield(waiting)
            if self.receiving is waiting:  # another probe may have started the next receive
                self.receiving = None
            # A ping from an earlier probe that timed out may arrive first: skip it.
            if done.get("token") == token:
                return


async def _health_probe(layer) -> _HealthProbe:
    known = _health_channels.setdefault(asyncio.get_running_loop(), {})
    # The layer itself is kept (not only its id) so that a new layer never inherits the
    # channel of an old one whose id it happens to reuse.
    probe = known.get(id(layer))
    if probe is None or probe.layer is not layer:
        probe = known[id(layer)] = _HealthProbe(layer, await layer.new_channel("healthz."))
    return probe


async def _ping_channel_layer() -> None:
    """Send a message to ourselves through the channel layer and wait for it."""
    probe = await _health_probe(get_channel_layer())
    await probe.ping()
