"""Reports: a reader asks moderators to look at a post or a chat message; a moderator hides
the post (removes the message) or dismisses the report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create
from core import permissions
from core.models import Membership
from core.moderation import announce_queue_change
from core.permissions import Action
from core.services import audit_record
from forums.models import ChatMessage, MessageReport, Post, Report
from forums.services.chat import message_delete
from forums.services.posts import post_set_hidden

__all__ = [
    "message_report_create",
    "message_report_resolve",
    "report_create",
    "report_resolve",
]


def _moderators(community):
    """Who is told of a report: the community's moderators with an account in use."""
    return User.objects.filter(
        memberships__community=community,
        memberships__role=Membership.Role.MODERATOR,
        is_active=True,
    ).distinct()


@transaction.atomic
def report_create(*, post: Post, reporter: User, reason: str, comment: str = "") -> Report:
    """Report a post; reporting it again while the first report is open returns that one.
    Raises Refusal (visitors, its author) or ValidationError (``reason`` not one of
    Report.Reason)."""
    permissions.check(reporter, Action.POST_REPORT, post.thread.community, obj=post)
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    existing = Report.objects.filter(post=post, reporter=reporter, status=Report.Status.OPEN)
    if existing.exists():
        return existing.get()
    report = Report.objects.create(
        post=post, reporter=reporter, reason=reason, comment=(comment or "").strip()[:500]
    )
    community = post.thread.community
    notification_create(
        recipients=_moderators(community),
        kind=Notification.Kind.REPORT,
        actor=reporter,
        url=post.get_absolute_url(),
        title=post.thread.title,
        excerpt=report.get_reason_display(),
        community=community,
        data={"thread": post.thread_id, "post": post.pk, "report": report.pk},
    )
    announce_queue_change(community_ids=[community.pk])
    return report


@transaction.atomic
def report_resolve(*, report: Report, actor: User, hide: bool) -> Report:
    """Resolve every open report on the report's post: hide the post, or dismiss them (audited).

    A report that is no longer open (resolved meanwhile, e.g. from another tab) is returned as
    it is: the first decision stands and nothing more is recorded. Raises Refusal."""
    post = report.post
    community = post.thread.community
    permissions.check(actor, Action.REPORT_RESOLVE, community)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        return report
    status = Report.Status.HIDDEN if hide else Report.Status.DISMISSED
    if hide:
        post_set_hidden(post=post, actor=actor, hidden=True, reason=report.get_reason_display())
    Report.objects.filter(post=post, status=Report.Status.OPEN).update(
        status=status, resolved_by=actor, resolved_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="report.hide" if hide else "report.dismiss",
        target=post,
        community=community,
        before={"report": Report.Status.OPEN.value},
        after={"report": status.value},
        reason=f"{report.get_reason_display()}: {report.comment}".strip(": "),
    )
    announce_queue_change(community_ids=[community.pk])
    report.refresh_from_db()
    return report


@transaction.atomic
def message_report_create(
    *, message: ChatMessage, reporter: User, reason: str, comment: str = ""
) -> MessageReport:
    """Report a chat message to the community's moderators; reporting it again while the first
    report is open returns that one. Raises Refusal (visitors, its author), or ValidationError
    (``reason`` not one of Report.Reason, or the message is deleted already)."""
    permissions.check(reporter, Action.CHAT_REPORT, message.room.community, obj=message)
    if message.is_deleted:
        raise ValidationError(_("This message has been deleted already."))
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    existing = MessageReport.objects.filter(
        message=message, reporter=reporter, status=MessageReport.Status.OPEN
    )
    if existing.exists():
        return existing.get()
    report = MessageReport.objects.create(
        message=message, reporter=reporter, reason=reason, comment=(comment or "").strip()[:500]
    )
    room = message.room
    notification_create(
        recipients=_moderators(room.community),
        kind=Notification.Kind.REPORT,
        actor=reporter,
        url=message.get_absolute_url(),
        title=room.name,
        excerpt=report.get_reason_display(),
        community=room.community,
        data={"room": room.pk, "seq": message.seq, "report": report.pk},
    )
    announce_queue_change(community_ids=[room.community_id])
    return report


@transaction.atomic
def message_report_resolve(*, report: MessageReport, actor: User, remove: bool) -> MessageReport:
    """Resolve every open report on the report's message: remove the message, or dismiss them
    (audited). A report no longer open is returned as it is (the first decision stands).
    Raises Refusal (not a moderator here; removing from an archived room)."""
    message = report.message
    community = message.room.community
    permissions.check(actor, Action.CHAT_MODERATE, community)
    report = MessageReport.objects.select_for_update().get(pk=report.pk)
    if report.status != MessageReport.Status.OPEN:
        return report
    status = MessageReport.Status.REMOVED if remove else MessageReport.Status.DISMISSED
    if remove:
        message_delete(message=message, actor=actor)
    MessageReport.objects.filter(message=message, status=MessageReport.Status.OPEN).update(
        status=status, resolved_by=actor, resolved_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="chat_report.remove" if remove else "chat_report.dismiss",
        target=message,
        community=community,
        before={"report": MessageReport.Status.OPEN.value},
        after={"report": status.value},
        reason=f"{report.get_reason_display()}: {report.comment}".strip(": "),
    )
    announce_queue_change(community_ids=[community.pk])
    report.refresh_from_db()
    return report
