"""What the moderators' dashboard shows of the library (core/moderation.py): the review
queue, counted and listed from the same selectors as the review page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Community
from core.moderation import Queue, QueueItem, register_queue
from resources import selectors


def _latest(*, community: Community, limit: int) -> list[QueueItem]:
    """The submissions that have waited longest for a decision."""
    return [
        QueueItem(
            title=resource.title,
            url=resource.get_absolute_url(),
            language=resource.language,
            detail=_("%(kind)s, submitted by %(name)s")
            % {
                "kind": resource.get_kind_display(),
                "name": resource.submitted_by.name if resource.submitted_by else "—",
            },
            when=resource.created,
        )
        for resource in selectors.resource_list_awaiting_review(community=community, limit=limit)
    ]


def register() -> None:
    register_queue(
        Queue(
            key="review",
            label=gettext_lazy("Library submissions to review"),
            url_name="review_queue",
            pending=selectors.resources_awaiting_review,
            community_path="communities",
            latest=_latest,
            position=10,
        )
    )
