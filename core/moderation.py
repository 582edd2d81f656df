"""What waits for a community's moderators: the queues the apps register, their pending
counts in one query, and the header's badge.

The core knows no queue of its own: each app registers its queues in ``ready()``
(:func:`register_queue`: the library's review queue, the forum's reported posts and chat
messages), so the dashboard (core/views.py) and the badge never import an app.

Cost, per request: nothing for visitors; for a signed-in person who moderates nothing, nothing
once their moderated communities are cached (:func:`moderated_ids`, dropped by every change of
role in core/services.py); for a moderator, one query that counts every queue of every
community they moderate (:func:`summary`, kept on the request so that a page showing a count
and the header showing the total pay for it once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core import permissions
from core.models import Community, Membership
from core.permissions import Role, Viewer
from core.realtime import send_event_on_commit, user_group


@dataclass(frozen=True)
class QueueItem:
    """One pending thing as the dashboard lists it, with a direct link to where it is decided."""

    title: str
    url: str
    language: str = ""
    detail: str = ""
    when: datetime | None = None


@dataclass(frozen=True)
class Queue:
    """A kind of pending work that an app registers.

    ``pending()`` is every pending item of every community (a queryset: it becomes a counting
    subquery); ``community_path`` the lookup from an item to its community
    (``"post__thread__community"``); ``latest(community=, limit=)`` the items the dashboard
    shows, in the order of the queue page that ``url_name`` (with the community's slug) names.
    Counts and the queue page must agree: build both from the same filter."""

    key: str
    label: Any
    url_name: str
    pending: Callable[[], QuerySet]
    community_path: str
    latest: Callable[..., list[QueueItem]]
    position: int = 0


_QUEUES: dict[str, Queue] = {}


def register_queue(queue: Queue) -> None:
    """Add a queue to every moderators' dashboard and to the badge's count. Call from ready()."""
    _QUEUES[queue.key] = queue


def queues() -> list[Queue]:
    """The registered queues in the order the dashboard shows them."""
    return sorted(_QUEUES.values(), key=lambda queue: (queue.position, queue.key))


class _Count(Func):
    """COUNT(*) of a subquery's rows, as a column of the outer query. Not an aggregate to
    Django (so the subquery has no GROUP BY); it is one to the database."""

    template = "COUNT(*)"
    output_field = IntegerField()


def _count(queue: Queue) -> Coalesce:
    items = (
        queue.pending()
        .filter(**{queue.community_path: OuterRef("pk")})
        .order_by()
        .annotate(n=_Count())
        .values("n")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), 0)


@dataclass
class Pending:
    """A community and how many items wait in each of its queues."""

    community: Community
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def url(self) -> str:
        return reverse("moderation_dashboard", kwargs={"slug": self.community.slug})


def pending_counts(*, community_ids: Iterable[int] | None) -> list[Pending]:
    """Per community (all of them if ``community_ids`` is None), the pending count of every
    registered queue, in the communities' order. One query, whatever the number of queues."""
    qs = Community.objects.all()
    if community_ids is not None:
        qs = qs.filter(pk__in=list(community_ids))
    registered = queues()
    annotations = {f"pending_{queue.key}": _count(queue) for queue in registered}
    result = []
    for community in qs.annotate(**annotations).order_by("position", "slug"):
        counts = {queue.key: getattr(community, f"pending_{queue.key}") for queue in registered}
        result.append(Pending(community=community, counts=counts))
    return result


# --- Whom to show a badge ------------------------------------------------------------------------

MODERATES_SECONDS = 3600


def _moderates_key(user_id: int) -> str:
    return f"moderates:{user_id}"


def moderated_ids(user: Viewer) -> set[int] | None:
    """The ids of the communities ``user`` moderates; None for staff (every community).

    From the roles already loaded on the user object if the page asked about them, else from
    the cache, else from the database (which also loads the roles for the rest of the
    request). Only for showing links: permission checks read the memberships through
    core.permissions (whose cache is checked against every change)."""
    role = permissions.role_of(user, None)
    if role == Role.STAFF:
        return None
    if role == Role.ANONYMOUS:
        return set()
    if permissions.roles_loaded(user):
        return permissions.moderated_community_ids(user)
    key = _moderates_key(user.pk)
    ids = cache.get(key)
    if ids is None:
        ids = sorted(permissions.moderated_community_ids(user))
        cache.set(key, ids, MODERATES_SECONDS)
    return set(ids)


def forget_moderated(user_id: int) -> None:
    """Drop the cached list of what ``user_id`` moderates, once the current transaction
    commits (call it with every change of their memberships)."""
    transaction.on_commit(lambda: cache.delete(_moderates_key(user_id)))


# --- What the header and the community page show -------------------------------------------------


@dataclass
class Summary:
    """What waits for one moderator: per community they moderate, and in all."""

    communities: list[Pending]

    @property
    def total(self) -> int:
        return sum(pending.total for pending in self.communities)

    @property
    def url(self) -> str:
        """Their one community's dashboard, or the list of their communities."""
        if len(self.communities) == 1:
            return self.communities[0].url
        return reverse("moderation_overview")

    def for_community(self, community: Community) -> Pending | None:
        return next((p for p in self.communities if p.community.pk == community.pk), None)


_REQUEST_ATTR = "_cop_moderation"


def summary(request) -> Summary | None:
    """What waits for the person making ``request``; None if they moderate nothing. Computed
    once per request (the header and the page share it)."""
    if hasattr(request, _REQUEST_ATTR):
        return getattr(request, _REQUEST_ATTR)
    user = getattr(request, "user", None)
    result = None
    ids = moderated_ids(user) if user is not None else set()
    if ids is None or ids:
        result = Summary(communities=pending_counts(community_ids=ids))
    setattr(request, _REQUEST_ATTR, result)
    return result


# --- The live badge ------------------------------------------------------------------------------


def pending_total(user: Viewer) -> int | None:
    """How many items wait for ``user`` in all (the header's badge), or None if they moderate
    nothing. For long-lived connections: the roles are read afresh."""
    permissions.forget_roles(user)
    ids = moderated_ids(user)
    if ids is not None and not ids:
        return None
    return sum(pending.total for pending in pending_counts(community_ids=ids))


def announce_queue_change(*, community_ids: Iterable[int]) -> None:
    """An item was added to or decided in a queue of these communities: the live badges of
    their moderators and of staff fetch the new total (after commit; forums/consumers/live.py).
    Call it from the services that add and decide items."""
    from django.contrib.auth import get_user_model  # the user model lives above core

    moderators = Membership.objects.filter(
        community_id__in=list(community_ids), role=Membership.Role.MODERATOR
    ).values_list("user_id", flat=True)
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).values_list("pk")
    for user_id in {*moderators, *(pk for (pk,) in staff)}:
        send_event_on_commit(user_group(user_id), {"type": "user.moderation"})
