"""What the home page and a community page show of the apps' recent activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Community
from events import selectors as event_selectors
from forums import selectors as forum_selectors
from resources import selectors as library_selectors


@dataclass
class ActivityItem:
    title: str
    url: str
    language: str
    label: str
    when: datetime


def activity_for_communities(*, communities: list[Community]) -> dict[int, list[ActivityItem]]:
    """Per community, the latest threads and library additions, newest first (up to 4)."""
    ids = [c.pk for c in communities]
    threads = forum_selectors.thread_list_recent(community_ids=ids, per_community=4)
    resources = library_selectors.resource_list_recent(community_ids=ids, per_community=2)
    result: dict[int, list[ActivityItem]] = {}
    for community_id in ids:
        items = [
            ActivityItem(
                title=t.title,
                url=t.get_absolute_url(),
                language=t.language,
                label=_("thread"),
                when=t.last_activity,
            )
            for t in threads.get(community_id, [])
        ] + [
            ActivityItem(
                title=r.title,
                url=r.get_absolute_url(),
                language=r.language,
                label=r.get_kind_display(),
                when=r.published_at or r.created,
            )
            for r in resources.get(community_id, [])
        ]
        result[community_id] = sorted(items, key=lambda item: item.when, reverse=True)[:4]
    return result


# How far back a member's home looks for new threads and for new library items (the library
# grows more slowly than the discussions).
NEW_THREADS_DAYS = 7
NEW_RESOURCES_DAYS = 30


@dataclass
class MemberHome:
    """What a member's home shows: news from their communities, one query per section."""

    communities: list[Community]
    others: list[Community]
    threads: list
    rooms: list
    resources: list
    events: list
    threads_days: int = NEW_THREADS_DAYS
    resources_days: int = NEW_RESOURCES_DAYS


def member_home(*, user, communities: list[Community], member_of: set[int]) -> MemberHome:
    """The home of a member: new threads in their communities (the last NEW_THREADS_DAYS
    days), chat rooms with unread messages, new library items (NEW_RESOURCES_DAYS), the events
    they registered for. ``communities``: every community, in order; ``member_of``: the ids of
    theirs. A fixed number of queries, whatever the number of communities or items."""
    now = timezone.now()
    theirs = [c for c in communities if c.pk in member_of]
    return MemberHome(
        communities=theirs,
        others=[c for c in communities if c.pk not in member_of],
        threads=forum_selectors.thread_list_new(
            user=user, communities=theirs, since=now - timedelta(days=NEW_THREADS_DAYS)
        ),
        rooms=forum_selectors.room_list_unread(user=user, communities=theirs),
        resources=library_selectors.resource_list_new(
            community_ids=[c.pk for c in theirs], since=now - timedelta(days=NEW_RESOURCES_DAYS)
        ),
        events=event_selectors.events_upcoming_of(user=user),
    )


def community_activity(*, community: Community) -> dict:
    """A community page's sections: latest threads, open chat rooms, featured and new resources."""
    rooms = [
        room for room in forum_selectors.room_list(community=community) if not room.is_archived
    ]
    for room in rooms:
        # A room's URL names its community; we hold it already, so no query per room.
        room.community = community
    return {
        "threads": forum_selectors.thread_list_recent(
            community_ids=[community.pk], per_community=5
        )[community.pk],
        "rooms": rooms,
        "featured": library_selectors.resource_list_featured(community=community),
        "resources": library_selectors.resource_list_recent(
            community_ids=[community.pk], per_community=5
        )[community.pk],
    }
