"""What the moderators' dashboard shows of the forum (core/moderation.py): reported posts and
reported chat messages, counted and listed from the same selectors as their queue pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import markup
from core.models import Community
from core.moderation import Queue, QueueItem, register_queue
from forums import selectors


def _reported_by(report) -> str:
    return _("%(reason)s, reported by %(name)s") % {
        "reason": report.get_reason_display(),
        "name": report.reporter.name,
    }


def _reported_posts(*, community: Community, limit: int) -> list[QueueItem]:
    return [
        QueueItem(
            title=f"{report.post.thread.title} · #{report.post.number}",
            url=report.post.get_absolute_url(),
            language=report.post.language,
            detail=_reported_by(report),
            when=report.created,
        )
        for report in selectors.report_list_open(community=community, limit=limit)
    ]


def _reported_messages(*, community: Community, limit: int) -> list[QueueItem]:
    return [
        QueueItem(
            title=f"#{report.message.room.name}: {markup.excerpt(report.message.html, 80)}",
            url=report.message.get_absolute_url(),
            detail=_reported_by(report),
            when=report.created,
        )
        for report in selectors.message_report_list_open(community=community, limit=limit)
    ]


def register() -> None:
    register_queue(
        Queue(
            key="reports",
            label=gettext_lazy("Reported posts"),
            url_name="report_queue",
            pending=selectors.reports_open,
            community_path="post__thread__community",
            latest=_reported_posts,
            position=20,
        )
    )
    register_queue(
        Queue(
            key="chat_reports",
            label=gettext_lazy("Reported chat messages"),
            url_name="message_report_queue",
            pending=selectors.message_reports_open,
            community_path="message__room__community",
            latest=_reported_messages,
            position=30,
        )
    )
