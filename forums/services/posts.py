"""Posts: replying, editing (with revisions), deleting, hiding, accepting an answer.

Each function checks permission through core.permissions, runs in one transaction with the
thread's row locked, keeps the thread's denormalised counters right in that transaction, and
rings the thread's live page after commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notification_create, notifications_withdraw
from core import markup, permissions
from core.permissions import Action, Refusal
from core.services import audit_record
from forums import realtime
from forums.models import Post, PostRevision, Thread, ThreadFollow
from forums.services.derived import post_changed, posts_changed, thread_lock
from forums.services.read_markers import thread_read_advance
from forums.services.text import (
    body_clean,
    own_mentions,
    readers_of,
    render_with_mentions,
    title_clean,
)

__all__ = [
    "post_accept",
    "post_delete",
    "post_edit",
    "post_reply",
    "post_set_hidden",
]


def post_add(
    *, thread: Thread, author: User, body: str, language: str, quoted: Post | None = None
) -> tuple[Post, set[int]]:
    """Append a post to ``thread`` and notify the people its author mentioned; update the
    thread's counters, the author's read marker and follow. Returns the post and the ids of the
    people notified of a mention. Precondition: the caller holds the thread's row lock
    (``thread_lock``) and has checked permission and cleaned ``body``."""
    html, mentioned = render_with_mentions(body)
    number = thread.last_post_number + 1
    post = Post.objects.create(
        thread=thread,
        number=number,
        author=author,
        body=body,
        html=html,
        language=language,
        quoted=quoted,
    )
    thread.last_post_number = number
    thread.last_post = post
    thread.last_poster = author
    thread.last_activity = post.created
    fields = ["last_post_number", "last_post", "last_poster", "last_activity"]
    if number > 1:
        thread.reply_count += 1
        fields.append("reply_count")
    thread.save(update_fields=fields)
    thread_read_advance(user=author, thread=thread, number=number)
    ThreadFollow.objects.get_or_create(user=author, thread=thread)
    post_changed(post)
    return post, _notify_mentions(post=post, mentioned=mentioned)


@transaction.atomic
def post_reply(*, thread: Thread, author: User, body: str, quoted: Post | None = None) -> Post:
    """Add a reply; notify followers and mentioned people; ring the thread's live page.

    Raises Refusal (deleted or locked thread, not a member) or ValidationError (``body``).
    A ``quoted`` post that readers of this thread cannot see is not linked."""
    thread = thread_lock(thread)
    if thread.is_deleted:
        raise Refusal(_("This thread has been deleted."), "deleted")
    permissions.check(author, Action.POST_REPLY, thread.community, obj=thread)
    body = body_clean(body)
    if quoted is not None and (quoted.thread_id != thread.pk or not quoted.is_visible):
        quoted = None
    post, mentioned_ids = post_add(
        thread=thread, author=author, body=body, language=thread.language, quoted=quoted
    )
    # The quoted post's author hears of it once: as quoted, not also as a follower.
    quoted_author = None
    if quoted is not None and quoted.author_id not in (None, author.pk, *mentioned_ids):
        quoted_author = quoted.author
    followers = User.objects.filter(
        pk__in=ThreadFollow.objects.filter(thread=thread).values("user_id"), is_active=True
    ).exclude(pk__in=mentioned_ids | {author.pk, getattr(quoted_author, "pk", None)})
    about = {
        "actor": author,
        "url": post.get_absolute_url(),
        "title": thread.title,
        "excerpt": markup.excerpt(post.html),
        "community": thread.community,
        "data": {"thread": thread.pk, "post": post.pk, "number": post.number},
    }
    notification_create(recipients=followers, kind=Notification.Kind.REPLY, **about)
    if quoted_author is not None and readers_of(users=[quoted_author], community=thread.community):
        notification_create(recipients=[quoted_author], kind=Notification.Kind.QUOTE, **about)
    realtime.announce_thread_post(thread_id=thread.pk, number=post.number)
    return post


def _notify_mentions(
    *, post: Post, mentioned: list[User], already: set[str] | None = None
) -> set[int]:
    """Notify the people the post's author mentioned in their own words who can read the thread,
    except those in ``already`` (lower-cased names notified before); return their ids."""
    community = post.thread.community
    own = own_mentions(post.body) - (already or set())
    recipients = [
        u for u in readers_of(users=mentioned, community=community) if u.username.lower() in own
    ]
    notification_create(
        recipients=recipients,
        kind=Notification.Kind.MENTION,
        actor=post.author,
        url=post.get_absolute_url(),
        title=post.thread.title,
        excerpt=markup.excerpt(post.html),
        community=community,
        data={"thread": post.thread_id, "post": post.pk, "number": post.number},
    )
    return {u.pk for u in recipients}


def _post_lock(post: Post) -> Post:
    """The post's and its thread's rows locked, in that order of need (thread first)."""
    thread = thread_lock(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.thread = thread
    return post


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str, title: str | None = None) -> Post:
    """Edit a post (and, for the opening post, the thread title), keeping a revision; people
    newly mentioned are notified. Raises Refusal (not the author, locked, deleted) or
    ValidationError (``body``, ``title``). An edit that changes nothing writes nothing."""
    post = _post_lock(post)
    thread = post.thread
    permissions.check(editor, Action.POST_EDIT, thread.community, obj=post)
    body = body_clean(body)
    new_title = title_clean(title) if (title is not None and post.number == 1) else None
    if body == post.body and (new_title is None or new_title == thread.title):
        return post
    PostRevision.objects.create(
        post=post,
        body=post.body,
        html=post.html,
        title=thread.title if post.number == 1 else "",
        editor=editor,
    )
    before_mentions = own_mentions(post.body)
    post.body = body
    post.html, mentioned = render_with_mentions(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "html", "edited_at"])
    if new_title is not None and new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title"])
    _notify_mentions(post=post, mentioned=mentioned, already=before_mentions)
    post_changed(post)
    return post


def _recount(thread: Thread) -> None:
    """Recompute the thread's counters from its visible posts (thread row locked by caller)."""
    visible = Post.objects.filter(thread=thread, is_deleted=False, is_hidden=False)
    last = visible.order_by("-number").select_related("author").first()
    thread.reply_count = visible.filter(number__gt=1).count()
    thread.last_post = last
    thread.last_poster = last.author if last else None
    thread.last_activity = last.created if last else thread.created
    thread.save(update_fields=["reply_count", "last_post", "last_poster", "last_activity"])


@transaction.atomic
def post_delete(*, post: Post, actor: User) -> Post:
    """Soft-delete: the post keeps its number and shows a placeholder; replies keep context.
    A moderator deleting someone else's post is audited. Raises Refusal."""
    post = _post_lock(post)
    thread = post.thread
    permissions.check(actor, Action.POST_DELETE, thread.community, obj=post)
    if post.is_deleted:
        return post
    post.is_deleted = True
    post.save(update_fields=["is_deleted"])
    if actor.pk != post.author_id:
        audit_record(
            actor=actor,
            action="post.delete",
            target=post,
            community=thread.community,
            before={"body": post.body},
            after={"deleted": True},
        )
    if thread.accepted_post_id == post.pk:
        thread.accepted_post = None
        thread.save(update_fields=["accepted_post"])
    _recount(thread)
    post_changed(post)
    notifications_withdraw(post=post.pk)
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, actor: User, hidden: bool, reason: str = "") -> Post:
    """Hide a post from readers (or show it again), with a reason; audited. Raises Refusal
    unless ``actor`` moderates the thread's community."""
    post = _post_lock(post)
    thread = post.thread
    permissions.check(actor, Action.POST_HIDE, thread.community)
    if post.is_hidden == hidden:
        return post
    before = {"hidden": post.is_hidden}
    post.is_hidden = hidden
    post.hidden_reason = reason[:300] if hidden else ""
    post.save(update_fields=["is_hidden", "hidden_reason"])
    audit_record(
        actor=actor,
        action="post.hide" if hidden else "post.unhide",
        target=post,
        community=thread.community,
        before=before,
        after={"hidden": hidden},
        reason=reason,
    )
    _recount(thread)
    post_changed(post)
    if hidden:
        notifications_withdraw(post=post.pk)
    return post


@transaction.atomic
def post_accept(*, post: Post, actor: User, accept: bool = True) -> Thread:
    """Mark (or unmark) a reply as the thread's accepted answer and tell its author; returns
    the thread. Raises Refusal (not the thread's author or a moderator, locked) or
    ValidationError (the opening post, or a post readers cannot see)."""
    thread = thread_lock(post.thread)
    post.thread = thread
    permissions.check(actor, Action.POST_ACCEPT, thread.community, obj=post)
    if post.number == 1 or not post.is_visible:
        raise ValidationError(_("Only a visible reply can be the accepted answer."))
    before = {"accepted_post": thread.accepted_post_id}
    thread.accepted_post = post if accept else None
    thread.save(update_fields=["accepted_post"])
    posts_changed(thread_id=thread.pk)
    if actor.pk != thread.author_id:
        audit_record(
            actor=actor,
            action="post.accept" if accept else "post.unaccept",
            target=post,
            community=thread.community,
            before=before,
            after={"accepted_post": thread.accepted_post_id},
        )
    if accept and post.author_id:
        notification_create(
            recipients=[post.author],
            kind=Notification.Kind.ACCEPTED,
            actor=actor,
            url=post.get_absolute_url(),
            title=thread.title,
            excerpt=markup.excerpt(post.html),
            community=thread.community,
            data={"thread": thread.pk, "post": post.pk},
        )
    return thread
