"""The forum's part in e-mail (registered with mail/ in ForumsConfig.ready()): what a
notification about a post, a chat message or a private question quotes, re-checked when it is
sent, and the digest's sections about threads."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Notification
from core import permissions
from core.permissions import Action
from forums.models import ChatMessage, Post, Question, QuestionMessage, Thread, ThreadReadState
from mail.registry import Content, Item, Section, register_content, register_section

ITEMS = 10


def _post_content(user, data: dict) -> Content | None:
    """The post a notification is about, if ``user`` may still read it (not hidden, not
    deleted, its thread live); reports go only to those who still moderate there."""
    post = (
        Post.objects.select_related("thread__community", "author")
        .filter(pk=data.get("post"))
        .first()
    )
    if post is None or not post.is_visible or post.thread.is_deleted:
        return None
    community = post.thread.community
    action = Action.REPORT_RESOLVE if "report" in data else Action.THREAD_READ
    if not permissions.can(user, action, community):
        return None
    return Content(
        html=post.html,
        url=post.get_absolute_url(),
        language=post.language or post.thread.language,
        title=post.thread.title,
        author=post.author.name if post.author else "",
    )


def _message_content(user, data: dict) -> Content | None:
    """The chat message a notification is about, if ``user`` may still read it (not deleted);
    reports go only to those who still moderate there."""
    message = (
        ChatMessage.objects.select_related("room__community", "author")
        .filter(room_id=data.get("room"), seq=data.get("seq"))
        .first()
    )
    if message is None or message.is_deleted:
        return None
    action = Action.CHAT_MODERATE if "report" in data else Action.CHAT_READ
    if not permissions.can(user, action, message.room.community):
        return None
    return Content(
        html=message.html,
        url=message.get_absolute_url(),
        title=message.room.name,
        author=message.author.name if message.author else "",
    )


def _thread_content(user, data: dict) -> Content | None:
    """A new thread (its opening post), for "every new thread" e-mails."""
    thread = Thread.objects.select_related("community", "author").filter(pk=data["thread"]).first()
    if thread is None or thread.is_deleted:
        return None
    if not permissions.can(user, Action.THREAD_READ, thread.community):
        return None
    opening = Post.objects.filter(thread=thread, number=1).first()
    return Content(
        html=opening.html if opening and opening.is_visible else "",
        url=thread.get_absolute_url(),
        language=thread.language,
        title=thread.title,
        author=thread.author.name if thread.author else "",
    )


def _question_content(user, data: dict) -> Content | None:
    """The message of a private question a notification is about, if ``user`` is still one
    of its two people and the message is still there."""
    question = (
        Question.objects.select_related("asker", "expert").filter(pk=data.get("question")).first()
    )
    if question is None or not permissions.can(user, Action.QUESTION_READ, None, obj=question):
        return None
    message = (
        QuestionMessage.objects.select_related("author")
        .filter(question=question, number=data.get("number"))
        .first()
    )
    if message is None or message.is_deleted:
        return None
    message.question = question
    return Content(
        html=message.html,
        url=message.get_absolute_url(),
        language=question.language,
        title=question.subject,
        author=message.author.name,
    )


def _active_threads(user, communities, since: datetime, until: datetime) -> list[Item]:
    """The threads of these communities with the most new posts between ``since`` and
    ``until``, leaving out those the person has read to the end."""
    read_to_end = ThreadReadState.objects.filter(
        user=user, thread=OuterRef("pk"), last_read_number__gte=OuterRef("last_post_number")
    )
    threads = (
        Thread.objects.filter(community__in=communities, is_deleted=False)
        .filter(last_activity__gte=since)
        .annotate(
            fresh=Count(
                "posts",
                filter=Q(
                    posts__created__gte=since,
                    posts__created__lt=until,
                    posts__is_hidden=False,
                    posts__is_deleted=False,
                ),
            )
        )
        .filter(fresh__gt=0)
        .exclude(Exists(read_to_end))
        .select_related("community")
        .order_by("-fresh", "-last_activity")[:ITEMS]
    )
    return [
        Item(
            title=thread.title,
            url=thread.get_absolute_url(),
            meta=ngettext("%(n)d new post", "%(n)d new posts", thread.fresh) % {"n": thread.fresh}
            + f" · {thread.community.name}",
            language=thread.language,
        )
        for thread in threads
    ]


def _accepted_answers(user, communities, since: datetime, until: datetime) -> list[Item]:
    accepted = {
        int(thread_id)
        for thread_id in Notification.objects.filter(
            kind=Notification.Kind.ACCEPTED,
            created__gte=since,
            created__lt=until,
            community__in=communities,
        ).values_list("data__thread", flat=True)
        if thread_id
    }
    threads = (
        Thread.objects.filter(pk__in=accepted, is_deleted=False, accepted_post__isnull=False)
        .select_related("community")
        .order_by("-last_activity")[:ITEMS]
    )
    return [
        Item(
            title=thread.title,
            url=thread.get_absolute_url(),
            meta=thread.community.name,
            language=thread.language,
        )
        for thread in threads
    ]


def register() -> None:
    # "post" before "thread": a reply's notification carries both.
    register_content("post", _post_content)
    register_content("room", _message_content)
    register_content("thread", _thread_content)
    register_content("question", _question_content)
    register_section(Section("threads", _("Most active threads"), _active_threads, position=1))
    register_section(Section("answers", _("Questions answered"), _accepted_answers, position=3))
