"""What the forum keeps about a person: exported on request, erased with the account
(accounts/personal_data.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification
from accounts.personal_data import register_exclusion, register_personal_data, rows
from accounts.services import announce_inbox_change
from core import versions
from core.models import AuditEntry
from core.permissions import Refusal
from forums.models import (
    Bookmark,
    ChatMessage,
    ChatPresence,
    ChatReadState,
    MessageReport,
    Post,
    PostRevision,
    Question,
    QuestionMessage,
    Reaction,
    Report,
    Thread,
    ThreadFollow,
    ThreadReadState,
)


def _posts(user):
    return {
        "threads": rows(
            Thread.objects.filter(author=user),
            "id", "community__slug", "title", "language", "created", "is_deleted",
        ),
        "posts": rows(
            Post.objects.filter(author=user),
            "id", "thread_id", "thread__title", "number", "body", "language", "created",
            "edited_at", "is_deleted", "is_hidden",
        ),
        "revisions": rows(
            PostRevision.objects.filter(editor=user), "post_id", "title", "body", "created"
        ),
    }  # fmt: skip


def _chat(user):
    return rows(
        ChatMessage.objects.filter(author=user),
        "id", "room__community__slug", "room__slug", "seq", "body", "created", "edited_at",
        "is_deleted",
    )  # fmt: skip


def _reactions(user):
    return rows(Reaction.objects.filter(user=user), "post_id", "kind", "created")


def _bookmarks(user):
    return rows(Bookmark.objects.filter(user=user), "post_id", "post__thread__title", "created")


def _follows(user):
    return rows(ThreadFollow.objects.filter(user=user), "thread_id", "thread__title", "created")


def _reports(user):
    return rows(
        Report.objects.filter(reporter=user), "post_id", "reason", "comment", "status", "created"
    )


def _questions(user):
    """Every private conversation the person is one of the two people of, with both sides'
    messages: what they see of it on the site."""
    questions = list(
        Question.objects.filter(Q(asker=user) | Q(expert=user))
        .select_related("asker", "expert", "community")
        .order_by("pk")
    )
    messages: dict[int, list[dict]] = {}
    for message in QuestionMessage.objects.filter(question__in=questions).order_by(
        "question_id", "number"
    ):
        messages.setdefault(message.question_id, []).append(
            {
                "number": message.number,
                "from_you": message.author_id == user.pk,
                "body": message.body,
                "removed": message.is_deleted,
                "created": message.created,
            }
        )
    return [
        {
            "id": question.pk,
            "subject": question.subject,
            "language": question.language,
            "community": question.community.slug if question.community else None,
            "you_asked": question.asker_id == user.pk,
            "with": question.other_side(user).name,
            "created": question.created,
            "messages": messages.get(question.pk, []),
        }
        for question in questions
    ]


def _erase_questions(user, remove_content: bool) -> None:
    """A conversation whose other person is gone as well has nobody left to read it: it goes.
    Otherwise the other person keeps it, with the person's messages signed "former member",
    or, when they chose to remove their content, with those messages (and a subject they
    wrote) emptied and the other person's inbox entries quoting them withdrawn."""
    mine = Question.objects.filter(Q(asker=user) | Q(expert=user))
    mine.filter(Q(asker__deleted__isnull=False) | Q(expert__deleted__isnull=False)).delete()
    if not remove_content:
        return
    QuestionMessage.objects.filter(author=user).update(body="", html="", is_deleted=True)
    Question.objects.filter(asker=user).update(subject="")
    quoting = Notification.objects.filter(actor=user, kind=Notification.Kind.QUESTION)
    recipients = list(quoting.values_list("recipient_id", flat=True).distinct())
    quoting.delete()
    announce_inbox_change(user_ids=recipients)


def _chat_reports(user):
    return rows(
        MessageReport.objects.filter(reporter=user),
        "message_id", "message__room__slug", "reason", "comment", "status", "created",
    )  # fmt: skip


def _erase_posts(user, remove_content: bool) -> None:
    """Remove the person's posts, threads' first posts included, where the rules let the author
    delete them; what they may not delete stays, signed "former member". Posts already deleted
    or hidden are shown to nobody: their words go in any case."""
    from forums.services.posts import post_delete

    hidden = Post.objects.filter(author=user).filter(Q(is_deleted=True) | Q(is_hidden=True))
    PostRevision.objects.filter(post__in=hidden).update(body="", html="")
    hidden.update(body="", html="", hidden_reason="")
    if not remove_content:
        return

    for post in Post.objects.filter(author=user, is_deleted=False).select_related("thread"):
        try:
            post_delete(post=post, actor=user)
        except Refusal:
            continue
        Post.objects.filter(pk=post.pk).update(body="", html="")
        PostRevision.objects.filter(post=post).update(body="", html="")


def _erase_chat(user, remove_content: bool) -> None:
    from forums.services.chat import message_delete

    erased = ChatMessage.objects.filter(author=user, is_deleted=True)
    rooms = set(erased.values_list("room_id", flat=True))
    erased.update(body="", html="")
    # No cached history keeps their words (forums/selectors/chat.messages_recent).
    versions.bump(*(versions.room(room_id) for room_id in rooms), seconds=versions.THREAD_SECONDS)
    if not remove_content:
        return

    for message in ChatMessage.objects.filter(author=user, is_deleted=False):
        try:
            message_delete(message=message, actor=user)
        except Refusal:
            continue
        ChatMessage.objects.filter(pk=message.pk).update(body="", html="")
        versions.bump(versions.room(message.room_id), seconds=versions.THREAD_SECONDS)


def _erase_private(user, remove_content: bool) -> None:
    Bookmark.objects.filter(user=user).delete()
    ThreadFollow.objects.filter(user=user).delete()
    ThreadReadState.objects.filter(user=user).delete()
    ChatReadState.objects.filter(user=user).delete()
    ChatPresence.objects.filter(user=user).delete()
    _erase_report_comments(user)
    Report.objects.filter(reporter=user).update(comment="")
    MessageReport.objects.filter(reporter=user).update(comment="")


# The moderators' log quotes a report's comment in the entry of the decision on it
# ("<reason>: <comment>", forums/services/reports.py): the entry stays, the words go.
REPORT_DECISIONS = (
    (Report, "post_id", ("report.hide", "report.dismiss")),
    (MessageReport, "message_id", ("chat_report.remove", "chat_report.dismiss")),
)


def _erase_report_comments(user) -> None:
    for model, target, actions in REPORT_DECISIONS:
        reported = model.objects.filter(reporter=user).exclude(comment="")
        for target_id, comment in reported.values_list(target, "comment"):
            tail = f": {comment}"
            entries = AuditEntry.objects.filter(
                action__in=actions, target_id=str(target_id), reason__endswith=tail
            )
            for entry in entries:
                entry.reason = entry.reason[: -len(tail)]
                entry.save(update_fields=["reason"])


def register() -> None:
    register_personal_data(
        "posts",
        models=["forums.Thread", "forums.Post", "forums.PostRevision"],
        export=_posts,
        erase=_erase_posts,
        description=_("threads you started, your posts and their earlier versions"),
    )
    register_personal_data(
        "chat_messages",
        models=["forums.ChatMessage"],
        export=_chat,
        erase=_erase_chat,
        description=_("your messages in chat rooms"),
    )
    register_personal_data(
        "reactions",
        models=["forums.Reaction"],
        export=_reactions,
        description=_("your reactions to posts (kept anonymously, so counts stay right)"),
    )
    register_personal_data(
        "bookmarks",
        models=["forums.Bookmark"],
        export=_bookmarks,
        erase=_erase_private,
        description=_("posts you bookmarked"),
    )
    register_personal_data(
        "follows",
        models=["forums.ThreadFollow"],
        export=_follows,
        description=_("threads you follow"),
    )
    register_personal_data(
        "reports",
        models=["forums.Report"],
        export=_reports,
        description=_("posts you reported to moderators"),
    )
    register_personal_data(
        "private_questions",
        models=["forums.Question", "forums.QuestionMessage"],
        export=_questions,
        erase=_erase_questions,
        description=_(
            "your private questions to experts and asked of you, with both sides' messages"
        ),
    )
    register_personal_data(
        "chat_reports",
        models=["forums.MessageReport"],
        export=_chat_reports,
        description=_("chat messages you reported to moderators"),
    )
    register_exclusion(
        "forums.ThreadReadState",
        reason=_("how far you read each thread: a technical marker, deleted with the account"),
    )
    register_exclusion(
        "forums.ChatReadState",
        reason=_("how far you read each chat room: a technical marker, deleted with the account"),
    )
    register_exclusion(
        "forums.ChatPresence",
        reason=_("open chat connections right now: lasts a few minutes, deleted with the account"),
    )
    register_exclusion(
        "forums.ChatMute",
        reason=_("a moderation decision about you (or by you), kept for moderators"),
    )
