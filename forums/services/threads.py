"""Every write of threads and posts. Views call these and nothing else.

Each function checks permission through cop.permissions, runs in one transaction, keeps the
denormalised counters right in that transaction, and rings the channel layer after commit.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.selectors import users_by_username
from accounts.services import notification_create
from cop import markup, permissions
from cop.models import CONTENT_LANGUAGES, Community
from cop.permissions import Action, Refusal
from cop.services import audit_record
from forums import realtime
from forums.models import (
    BODY_MAX,
    TAG_MAX_PER_THREAD,
    TITLE_MAX,
    TITLE_MIN,
    Bookmark,
    ChatMessage,
    Post,
    PostRevision,
    Reaction,
    Report,
    Tag,
    Thread,
    ThreadFollow,
    ThreadReadState,
)

__all__ = [
    "post_accept",
    "post_bookmark",
    "post_delete",
    "post_edit",
    "post_quote_body",
    "post_react",
    "post_reply",
    "post_set_hidden",
    "render_with_mentions",
    "report_create",
    "report_resolve",
    "tag_create",
    "tag_delete",
    "thread_create",
    "thread_delete",
    "thread_follow",
    "thread_mark_read",
    "thread_move",
    "thread_set_locked",
    "thread_set_pinned",
]

# --- Text ---------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {"title": _("A title needs at least %(min)d characters.") % {"min": TITLE_MIN}}
        )
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("A title can have at most %(max)d characters.") % {"max": TITLE_MAX}}
        )
    return title


def _clean_body(body: str, *, limit: int = BODY_MAX) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(
            {"body": ValidationError(_("Please write something first."), code="empty")}
        )
    if len(body) > limit:
        message = _("The text is too long: %(count)d characters, at most %(max)d.") % {
            "count": len(body),
            "max": limit,
        }
        raise ValidationError({"body": ValidationError(message, code="too_long")})
    return body


def render_with_mentions(body: str) -> tuple[str, list[User]]:
    """Render Markdown with links for ``@name`` of existing users; return them too."""
    found = users_by_username(names=markup.extract_mentions(body))
    html = markup.render(body, mentions={name: u.get_absolute_url() for name, u in found.items()})
    return html, list({u.pk: u for u in found.values()}.values())


# A line of a Markdown block quote (up to three spaces of indent, then ">").
_QUOTE_LINE_RE = re.compile(r"^ {0,3}>.*$", re.MULTILINE)


def _own_mentions(body: str) -> set[str]:
    """Lower-cased names mentioned in the author's own words, outside quoted lines: quoting a
    post must not ping again everyone that post mentioned (the quoted author, who follows the
    thread since they posted in it, hears of the reply anyway)."""
    return {name.lower() for name in markup.extract_mentions(_QUOTE_LINE_RE.sub("", body))}


def _readers(users: list[User], community: Community, action: Action = Action.THREAD_READ):
    return [u for u in users if permissions.can(u, action, community)]


# --- Threads and posts --------------------------------------------------------------------------


def _check_tags(community: Community, tags) -> list[Tag]:
    tags = list(tags or [])
    if any(tag.community_id != community.pk for tag in tags):
        raise ValidationError({"tags": _("Choose tags from this community's list.")})
    if len(tags) > TAG_MAX_PER_THREAD:
        raise ValidationError(
            {"tags": _("At most %(max)d tags per thread.") % {"max": TAG_MAX_PER_THREAD}}
        )
    return tags


def _add_post(*, thread: Thread, author: User, body: str, language: str, quoted=None):
    """Append a post to a thread whose row the caller has locked; update its counters."""
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
    now = post.created
    thread.last_post_number = number
    thread.last_post = post
    thread.last_poster = author
    thread.last_activity = now
    fields = ["last_post_number", "last_post", "last_poster", "last_activity"]
    if number > 1:
        thread.reply_count += 1
        fields.append("reply_count")
    thread.save(update_fields=fields)
    _read_up_to(user=author, thread=thread, number=number)
    ThreadFollow.objects.get_or_create(user=author, thread=thread)
    _post_changed(post)
    return post, mentioned


def _post_changed(post: Post) -> None:
    """Keep the search index, the library's "discussed in" links and the cached visitor pages
    in step with a post."""
    from resources.search import index_post
    from resources.services import citations_update

    index_post(post)
    citations_update(post=post)
    _posts_changed(post.thread_id)


def _posts_changed(thread_id: int) -> None:
    """What the thread's posts show has changed: visitors' cached pages of it are stale."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)


def _lock_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)


@transaction.atomic
def thread_create(
    *,
    community: Community,
    author: User,
    title: str,
    body: str,
    language: str,
    tags=(),
    source_message: ChatMessage | None = None,
) -> Thread:
    """Start a thread with its opening post (number 1); the author follows it."""
    permissions.check(author, Action.THREAD_CREATE, community)
    errors = {}
    for clean, value in ((_clean_title, title), (_clean_body, body)):
        try:
            clean(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        tags = _check_tags(community, tags)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if language not in dict(CONTENT_LANGUAGES):
        errors["language"] = [_("Choose the language of the text from the list.")]
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.create(
        community=community,
        author=author,
        title=_clean_title(title),
        language=language,
        last_activity=timezone.now(),
        source_message=source_message,
    )
    if tags:
        thread.tags.set(tags)
    post, mentioned = _add_post(
        thread=thread, author=author, body=_clean_body(body), language=language
    )
    _notify_mentions(post=post, mentioned=mentioned)
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author: User, body: str, quoted: Post | None = None) -> Post:
    """Add a reply; notify followers and mentioned people; ring the thread's live page."""
    thread = _lock_thread(thread)
    if thread.is_deleted:
        raise Refusal(_("This thread has been deleted."), "deleted")
    permissions.check(author, Action.POST_REPLY, thread.community, obj=thread)
    body = _clean_body(body)
    if quoted is not None and (quoted.thread_id != thread.pk or not quoted.is_visible):
        quoted = None  # a quote links only to a post readers of this thread can see
    post, mentioned = _add_post(
        thread=thread, author=author, body=body, language=thread.language, quoted=quoted
    )
    mentioned_ids = _notify_mentions(post=post, mentioned=mentioned)
    followers = User.objects.filter(
        pk__in=ThreadFollow.objects.filter(thread=thread).values("user_id"), is_active=True
    ).exclude(pk__in=mentioned_ids | {author.pk})
    notification_create(
        recipients=followers,
        kind=Notification.Kind.REPLY,
        actor=author,
        url=post.get_absolute_url(),
        title=thread.title,
        excerpt=markup.excerpt(post.html),
        community=thread.community,
        data={"thread": thread.pk, "post": post.pk, "number": post.number},
    )
    transaction.on_commit(
        lambda: realtime.announce_thread_post(thread_id=thread.pk, number=post.number)
    )
    return post


def _notify_mentions(
    *, post: Post, mentioned: list[User], already: set[str] | None = None
) -> set[int]:
    """Notify the people the post's author mentioned in their own words who can read the thread,
    except those in ``already`` (lower-cased names notified before); return their ids."""
    community = post.thread.community
    own = _own_mentions(post.body) - (already or set())
    recipients = [u for u in _readers(mentioned, community) if u.username.lower() in own]
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


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str, title: str | None = None) -> Post:
    """Edit a post (and, for the opening post, the thread title), keeping a revision."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.thread = thread
    permissions.check(editor, Action.POST_EDIT, thread.community, obj=post)
    body = _clean_body(body)
    new_title = _clean_title(title) if (title is not None and post.number == 1) else None
    if body == post.body and (new_title is None or new_title == thread.title):
        return post
    PostRevision.objects.create(
        post=post,
        body=post.body,
        html=post.html,
        title=thread.title if post.number == 1 else "",
        editor=editor,
    )
    before_mentions = _own_mentions(post.body)
    post.body = body
    post.html, mentioned = render_with_mentions(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "html", "edited_at"])
    if new_title is not None and new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title"])
    _notify_mentions(post=post, mentioned=mentioned, already=before_mentions)
    _post_changed(post)
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
    """Soft-delete: the post keeps its number and shows a placeholder; replies keep context."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.thread = thread
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
    _post_changed(post)
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, actor: User, hidden: bool, reason: str = "") -> Post:
    thread = _lock_thread(post.thread)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.thread = thread
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
    _post_changed(post)
    return post


@transaction.atomic
def post_react(*, post: Post, user: User, kind: str) -> bool:
    """Toggle a reaction; returns whether it is now on."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."))
    permissions.check(user, Action.POST_REACT, post.thread.community, obj=post)
    if not post.is_visible:
        raise Refusal(_("This post is not available."), "deleted")
    deleted, _rows = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    _posts_changed(post.thread_id)
    if deleted:
        return False
    Reaction.objects.create(post=post, user=user, kind=kind)
    return True


@transaction.atomic
def post_bookmark(*, post: Post, user: User) -> bool:
    """Toggle a bookmark; returns whether the post is now bookmarked."""
    permissions.check(user, Action.POST_BOOKMARK, post.thread.community)
    deleted, _rows = Bookmark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    Bookmark.objects.create(post=post, user=user)
    return True


@transaction.atomic
def thread_follow(*, thread: Thread, user: User, follow: bool) -> None:
    permissions.check(user, Action.THREAD_FOLLOW, thread.community)
    if follow:
        ThreadFollow.objects.get_or_create(thread=thread, user=user)
    else:
        ThreadFollow.objects.filter(thread=thread, user=user).delete()


@transaction.atomic
def post_accept(*, post: Post, actor: User, accept: bool = True) -> Thread:
    """Mark (or unmark) a reply as the thread's accepted answer."""
    thread = _lock_thread(post.thread)
    post.thread = thread
    permissions.check(actor, Action.POST_ACCEPT, thread.community, obj=post)
    if post.number == 1 or not post.is_visible:
        raise ValidationError(_("Only a visible reply can be the accepted answer."))
    before = {"accepted_post": thread.accepted_post_id}
    thread.accepted_post = post if accept else None
    thread.save(update_fields=["accepted_post"])
    _posts_changed(thread.pk)
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


def _moderate_flag(*, thread: Thread, actor: User, action: Action, field: str, value: bool):
    thread = _lock_thread(thread)
    permissions.check(actor, action, thread.community)
    before = getattr(thread, field)
    if before == value:
        return thread
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=f"thread.{field.removeprefix('is_')}" if value else f"thread.un{field[3:]}",
        target=thread,
        community=thread.community,
        before={field: before},
        after={field: value},
    )
    return thread


@transaction.atomic
def thread_set_pinned(*, thread: Thread, actor: User, pinned: bool) -> Thread:
    return _moderate_flag(
        thread=thread, actor=actor, action=Action.THREAD_PIN, field="is_pinned", value=pinned
    )


@transaction.atomic
def thread_set_locked(*, thread: Thread, actor: User, locked: bool) -> Thread:
    return _moderate_flag(
        thread=thread, actor=actor, action=Action.THREAD_LOCK, field="is_locked", value=locked
    )


@transaction.atomic
def thread_delete(*, thread: Thread, actor: User, reason: str = "") -> Thread:
    thread = _moderate_flag(
        thread=thread, actor=actor, action=Action.THREAD_DELETE, field="is_deleted", value=True
    )
    from resources.search import index_thread

    index_thread(thread, with_replies=True)
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, actor: User, to: Community) -> Thread:
    """Move a thread to another community; the moderator must moderate both."""
    thread = _lock_thread(thread)
    permissions.check(actor, Action.THREAD_MOVE, thread.community)
    if not permissions.can(actor, Action.THREAD_MOVE, to):
        raise Refusal(_("You can only move threads to a community you moderate."), "not_moderator")
    if to.pk == thread.community_id:
        return thread
    source = thread.community
    # Tags belong to a community: keep those whose slug exists in the target, drop the others.
    target_tags = {t.slug: t for t in Tag.objects.filter(community=to)}
    kept = [target_tags[t.slug] for t in thread.tags.all() if t.slug in target_tags]
    thread.community = to
    thread.save(update_fields=["community"])
    thread.tags.set(kept)
    for community in (source, to):
        audit_record(
            actor=actor,
            action="thread.move",
            target=thread,
            community=community,
            before={"community": source.slug},
            after={"community": to.slug},
        )
    from resources.search import index_thread

    index_thread(thread, with_replies=True)
    return thread


@transaction.atomic
def report_create(*, post: Post, reporter: User, reason: str, comment: str = "") -> Report:
    permissions.check(reporter, Action.POST_REPORT, post.thread.community)
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    existing = Report.objects.filter(post=post, reporter=reporter, status=Report.Status.OPEN)
    if existing.exists():
        return existing.get()
    return Report.objects.create(
        post=post, reporter=reporter, reason=reason, comment=(comment or "").strip()[:500]
    )


@transaction.atomic
def report_resolve(*, report: Report, actor: User, hide: bool) -> Report:
    """Resolve every open report on the report's post: hide the post, or dismiss them.

    A report that is no longer open (resolved meanwhile, e.g. from another tab) is returned as
    it is: the first decision stands and nothing more is recorded."""
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
    report.refresh_from_db()
    return report


@transaction.atomic
def tag_create(*, community: Community, actor: User, name: str) -> Tag:
    permissions.check(actor, Action.TAG_MANAGE, community)
    name = " ".join((name or "").split())[:50]
    slug = slugify(name, allow_unicode=True)[:50]
    if not slug:
        raise ValidationError({"name": _("A tag needs a name made of letters or digits.")})
    tag, created = Tag.objects.get_or_create(
        community=community, slug=slug, defaults={"name": name}
    )
    if created:
        audit_record(
            actor=actor, action="tag.create", target=tag, community=community, after={"name": name}
        )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, actor: User) -> None:
    permissions.check(actor, Action.TAG_MANAGE, tag.community)
    audit_record(
        actor=actor,
        action="tag.delete",
        target=tag,
        community=tag.community,
        before={"name": tag.name, "threads": tag.threads.count()},
    )
    tag.delete()


def _read_up_to(*, user: User, thread: Thread, number: int) -> None:
    updated = ThreadReadState.objects.filter(
        user=user, thread=thread, last_read_number__lt=number
    ).update(last_read_number=number)
    if not updated:
        # No row yet, or it is already at or past ``number``: create it unless it exists (one
        # statement, no savepoint; a row created meanwhile by another request wins).
        ThreadReadState.objects.bulk_create(
            [ThreadReadState(user=user, thread=thread, last_read_number=number)],
            ignore_conflicts=True,
        )


def thread_mark_read(
    *, thread: Thread, user: User, number: int, state: ThreadReadState | None = None
) -> None:
    """Remember that ``user`` has seen posts up to ``number`` (never moves backwards).

    ``state``: the reader's marker if the caller has just loaded it; then nothing is written
    when it is already far enough, so re-reading a page costs no write."""
    if not user.is_authenticated or number <= 0:
        return
    number = min(number, thread.last_post_number)
    if state is not None and state.last_read_number >= number:
        return
    _read_up_to(user=user, thread=thread, number=number)


def post_quote_body(*, post: Post) -> str:
    """Markdown that quotes ``post`` with a link to its permalink (for the reply composer)."""
    author = post.author.username if post.author else ""
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    return f"> [@{author}]({post.get_absolute_url()}):\n{quoted}\n\n"
