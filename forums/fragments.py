"""Posts rendered once, read by everyone: the thread page's post fragments and the thin layer
of what is the reader's own.

A post's article (author, head, text, reactions with their counts) is the same for every
reader who sees it the same way, so it is rendered once per post version and language and
cached. The key holds everything the fragment shows that can change:

- the post's ``version``, bumped with every edit, hide, delete and reaction
  (forums/services/derived.py);
- a signature of its author's and its quoted post's author's shown details (name, avatar,
  country, organisation, erased or not) and of which of them this reader may see (the author's
  privacy choices, accounts/privacy.py), so a renamed author is never shown under an old name
  and a hidden detail never reaches a reader it is hidden from;
- whether it is the thread's accepted answer;
- the reader's language and time zone (the post's time is shown in the reader's zone);
- the reader's *view* of it: with reaction buttons (members who may react) or without, and
  for a hidden post, whether the reader moderates (and so sees its text).

What belongs to the reader is applied per request, without a template: which reactions are
theirs (``aria-pressed``), their CSRF token, and the post's footer of actions (quote,
bookmark, accept, edit, delete, report, hide), built from strings prepared once per page. So
a page of 20 cached posts costs one small query (reactions and bookmarks of the reader) and
some string joins, and stays correct when the cache is down or empty: a miss renders the
fragment from the database.

A signed-in reader's page goes one step further (``member_posts_entry``): the page's posts
with their footers are kept whole for every reader who sees them alike (views/context.py
decides who that is), and only the reader's marks are applied to them (``member_posts_html``),
the marks themselves cached per generation (``reader_marks``).

Reactors' names (the tooltip of a reaction) may lag a rename by up to FRAGMENT_SECONDS.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Value
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import privacy
from core import permissions
from core.cache import next_generation
from core.pagecache import CSRF_SLOT, slot
from core.permissions import Action
from core.templatetags.ui import icon, when
from forums.models import Bookmark, Post, Reaction, Thread
from forums.selectors.posts import page_of_number
from forums.selectors.threads import thread_rows

FRAGMENT_SECONDS = 24 * 3600
# Slots in cached fragments, replaced per request (core.pagecache.slot: no user text can
# contain one).
FOOT_SLOT = slot("foot")
_PK = 987654321  # a post id no page shows, replaced in URLs reversed once per page


@dataclass(frozen=True)
class ReaderView:
    """What a page's reader may do, decided once per page (forums/views/context.thread_flags)."""

    user: object
    can_react: bool = False
    can_reply: bool = False
    can_moderate: bool = False
    can_accept: bool = False


def reaction_summaries(posts: list[Post]) -> dict[int, list[dict]]:
    """Per post: per reaction kind in use, its kind, label, count and who reacted (names),
    in one query."""
    rows = (
        Reaction.objects.filter(post__in=[p.pk for p in posts])
        .order_by("created", "id")
        .values_list("post_id", "kind", "user__display_name", "user__username")
    )
    by_post: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for post_id, kind, display_name, username in rows:
        by_post[post_id][kind].append(display_name or username)
    labels = dict(Reaction.Kind.choices)
    return {
        post_id: [
            {
                "kind": kind,
                "label": labels[kind],
                "icon": REACTION_ICONS[kind],
                "count": len(kinds[kind]),
                "names": ", ".join(kinds[kind]),
            }
            for kind in Reaction.Kind.values
            if kinds.get(kind)
        ]
        for post_id, kinds in by_post.items()
    }


# Drawn as icons of the vendored set (an emoji needs an emoji font, which not every reader has).
REACTION_ICONS = {
    Reaction.Kind.LIKE: "thumbs-up",
    Reaction.Kind.THANKS: "hand-heart",
    Reaction.Kind.INSIGHTFUL: "lightbulb",
    Reaction.Kind.AGREE: "circle-check",
    Reaction.Kind.QUESTION: "circle-help",
}


def _shown(post: Post, view: ReaderView, community) -> dict[str, bool]:
    """Which of the author's details this reader may see (their privacy choices)."""
    if post.author is None:
        return {}
    return privacy.visible_fields(viewer=view.user, person=post.author, community=community)


def _signature(post: Post, shown: dict[str, bool]) -> int:
    author = post.author
    quoted = post.quoted.author if post.quoted_id and post.quoted else None
    shown = "\x1f".join(
        (
            "".join("1" if shown.get(field) else "0" for field in ("country", "organisation")),
            str(author.pk) if author else "",
            str(author.deleted) if author else "",
            author.name if author else "",
            author.avatar.name if author and author.avatar else "",
            str(author.country) if author else "",
            author.organisation if author else "",
            quoted.name if quoted else "",
        )
    )
    return zlib.crc32(shown.encode())


def _view_of(post: Post, view: ReaderView) -> str:
    hidden = "m" if post.is_hidden and view.can_moderate else ""
    return ("r" if view.can_react else "s") + hidden


def _key(post: Post, thread: Thread, view: ReaderView, language: str, zone: str, shown) -> str:
    accepted = int(thread.accepted_post_id == post.pk)
    return (
        f"post:{post.pk}:{post.version}:{_signature(post, shown)}:{accepted}:"
        f"{_view_of(post, view)}:{language}:{zone}"
    )


def _fragments(thread: Thread, posts: list[Post], view: ReaderView) -> dict[int, str]:
    """Each post's cached article for this reader's view (rendered and stored when missing),
    with the CSRF token and the footer still slots."""
    language, zone = get_language(), get_current_timezone_name()
    shown = {post.pk: _shown(post, view, thread.community) for post in posts}
    keys = {post.pk: _key(post, thread, view, language, zone, shown[post.pk]) for post in posts}
    cached = cache.get_many(list(keys.values()))
    missing = [post for post in posts if keys[post.pk] not in cached]
    if missing:
        summaries = reaction_summaries(missing)
        fresh = {}
        for post in missing:
            html = render_to_string(
                "forums/_post.html",
                {
                    "post": post,
                    "thread": thread,
                    "can_react": view.can_react,
                    "can_moderate": view.can_moderate,
                    "reactions": summaries.get(post.pk, []),
                    "shown": shown[post.pk],
                    "reaction_kinds": reaction_kinds(),
                    "csrf_token": CSRF_SLOT,
                    "foot_slot": mark_safe(FOOT_SLOT),  # noqa: S308 - our own constant
                },
            )
            fresh[keys[post.pk]] = html
        cache.set_many(fresh, FRAGMENT_SECONDS)
        cached.update(fresh)
    return {post.pk: cached[keys[post.pk]] for post in posts}


def render_posts(*, request, thread: Thread, posts: list[Post], view: ReaderView) -> SafeString:
    """The articles of ``posts`` for this reader: cached fragments plus their own layer."""
    if not posts:
        return mark_safe("")
    fragments = _fragments(thread, posts, view)
    layer = _ReaderLayer(request, thread, posts, view)
    html = "".join(layer.apply(post, fragments[post.pk]) for post in posts)
    return mark_safe(html.replace(CSRF_SLOT, layer.csrf_token))  # noqa: S308 - escaped above


# --- A signed-in reader's thread page ---------------------------------------------------------

MAIN_SECONDS = 600
POSTS_SLOT = slot("posts")


def member_posts_entry(*, request, thread: Thread, posts: list[Post], view: ReaderView) -> dict:
    """A page's posts as every reader of this view sees them before their own marks: each
    post's article with its footer, none pressed or bookmarked, the CSRF token a slot. Only
    for a reader who wrote none of ``posts`` (their own would show "Edit" and all of their
    details)."""
    fragments = _fragments(thread, posts, view)
    layer = _ReaderLayer(request, thread, posts, view, marks=({}, set()))
    return {
        "ids": [post.pk for post in posts],
        "authors": [post.author_id for post in posts],
        "segments": [layer.apply(post, fragments[post.pk]) for post in posts],
        "last_number": posts[-1].number if posts else 0,
    }


def member_posts_html(*, entry: dict, marks: tuple[dict, set]) -> str:
    """``entry`` (member_posts_entry) with the reader's ``marks`` (reader_marks): reactions
    pressed and bookmarks shown, string work only on the posts they marked."""
    mine, bookmarked = marks
    if not mine and not bookmarked:
        return "".join(entry["segments"])
    segments = list(entry["segments"])
    url = _bookmark_url()
    plain, marked = escape(_("Bookmark")), escape(_("Remove bookmark"))
    for i, pk in enumerate(entry["ids"]):
        if pk in mine:
            segments[i] = _press(segments[i], mine[pk])
        if pk in bookmarked:
            segments[i] = segments[i].replace(
                _bookmark_form(url, pk, plain), _bookmark_form(url, pk, marked), 1
            )
    return "".join(segments)


# The reader's reactions and bookmarks on a page of a thread, kept with the generation of their
# marks (core.cache.next_generation: moved by every reaction and bookmark they make or undo).
MARKS_SECONDS = 600


def marks_keys(user_id: int, thread_id: int, page: int) -> tuple[str, str]:
    """The keys of ``user_id``'s marks generation and of their marks on a page of a thread."""
    return f"marks-gen:{user_id}", f"marks:{user_id}:{thread_id}:{page}"


def reader_marks(
    *, user, post_ids: list[int], keys: tuple[str, str], found: dict
) -> tuple[dict[int, set[str]], set[int]]:
    """The reader's (reactions, bookmarks) among ``post_ids``: from ``found`` (what the cache
    held under ``keys``) when it is of their current generation and of these posts, else from
    the database (one query), stored for next time."""
    if not post_ids:
        return {}, set()
    generation_key, marks_key = keys
    generation = found.get(generation_key, 0)
    stored = found.get(marks_key)
    if stored is not None and stored[0] == generation and stored[1] == post_ids:
        return stored[2], stored[3]
    mine, bookmarked = _marks(user, post_ids)
    mine = dict(mine)
    cache.set(marks_key, (generation, post_ids, mine, bookmarked), MARKS_SECONDS)
    return mine, bookmarked


def marks_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of a reaction or a bookmark: its person's cached marks are
    stale (at once, and again after the commit)."""
    if raw:
        return
    key = marks_keys(instance.user_id, 0, 0)[0]
    next_generation(key, MARKS_SECONDS * 2)
    transaction.on_commit(lambda: next_generation(key, MARKS_SECONDS * 2))


def _bookmark_url() -> str:
    return reverse("post_bookmark", args=[_PK]).replace(str(_PK), "{pk}")


def _bookmark_form(url: str, pk: int, label: str) -> str:
    return (
        f'<form method="post" action="{url.format(pk=pk)}">{_CSRF_INPUT}'
        f'<button type="submit">{label}</button></form>'
    )


_CSRF_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_SLOT}">'


def render_reactions(*, request, post: Post, view: ReaderView) -> SafeString:
    """One post's reactions (the answer to a reaction made with htmx), with the reader's own
    pressed."""
    html = render_to_string(
        "forums/_reactions.html",
        {
            "post": post,
            "can_react": view.can_react,
            "reactions": reaction_summaries([post]).get(post.pk, []),
            "reaction_kinds": reaction_kinds(),
            "csrf_token": get_token(request),
        },
    )
    mine = _mine(view.user, [post.pk]).get(post.pk, ())
    return mark_safe(_press(html, mine))  # noqa: S308 - our own rendered template


def reaction_kinds() -> list[dict]:
    """Every kind of reaction, with its label in the current language and its icon."""
    labels = dict(Reaction.Kind.choices)
    return [
        {"kind": kind, "label": labels[kind], "icon": REACTION_ICONS[kind]}
        for kind in Reaction.Kind.values
    ]


def _mine(user, post_ids: list[int]) -> dict[int, set[str]]:
    if not getattr(user, "is_authenticated", False) or not post_ids:
        return {}
    mine: dict[int, set[str]] = defaultdict(set)
    for post_id, kind in Reaction.objects.filter(post_id__in=post_ids, user=user).values_list(
        "post_id", "kind"
    ):
        mine[post_id].add(kind)
    return mine


def _marks(user, post_ids: list[int]) -> tuple[dict[int, set[str]], set[int]]:
    """The reader's reactions (kinds per post) and bookmarks among ``post_ids``, in one query."""
    reactions = Reaction.objects.filter(post_id__in=post_ids, user=user).values_list(
        "post_id", "kind"
    )
    bookmarks = (
        Bookmark.objects.filter(post_id__in=post_ids, user=user)
        .annotate(kind=Value(BOOKMARK, output_field=CharField()))
        .values_list("post_id", "kind")
    )
    mine: dict[int, set[str]] = defaultdict(set)
    bookmarked: set[int] = set()
    for post_id, kind in reactions.union(bookmarks, all=True):
        if kind == BOOKMARK:
            bookmarked.add(post_id)
        else:
            mine[post_id].add(kind)
    return mine, bookmarked


BOOKMARK = "+bookmark"  # no reaction kind is spelled so


def _press(html: str, kinds) -> str:
    for kind in kinds:
        html = html.replace(
            f'aria-pressed="false" data-kind="{kind}"', f'aria-pressed="true" data-kind="{kind}"', 1
        )
    return html


class _ReaderLayer:
    """The reader's own part of each post, from strings prepared once per page."""

    def __init__(self, request, thread: Thread, posts: list[Post], view: ReaderView, marks=None):
        """``marks``: the reader's (reactions, bookmarks) among ``posts`` when known (none, to
        prepare a page every reader of this view shares); else read here."""
        self.view = view
        self.user = user = view.user
        self.signed_in = user.is_authenticated
        self.csrf_token = escape(get_token(request)) if self.signed_in or view.can_react else ""
        if not self.signed_in:
            return
        self.mine, self.bookmarked = (
            marks if marks is not None else _marks(user, [p.pk for p in posts])
        )
        community = thread.community
        self.can_edit = {}
        self.can_delete = {}
        for post in posts:
            post.thread = thread  # the rules look at the thread (locked?) through the post
            self.can_edit[post.pk] = permissions.can(user, Action.POST_EDIT, community, obj=post)
            self.can_delete[post.pk] = not post.is_deleted and permissions.can(
                user, Action.POST_DELETE, community, obj=post
            )
        self.thread_url = thread.get_absolute_url()
        self.urls = {
            name: reverse(name, args=[_PK]).replace(str(_PK), "{pk}")
            for name in (
                "post_bookmark",
                "post_accept",
                "post_edit",
                "post_delete",
                "post_report",
                "post_hide",
            )
        }
        self.accepted_id = thread.accepted_post_id
        self.ellipsis = icon("ellipsis", _("More actions for this post"))
        self.reply_icon = icon("reply")
        self.labels = {
            key: escape(text)
            for key, text in {
                "quote": _("Quote"),
                "bookmark": _("Bookmark"),
                "unbookmark": _("Remove bookmark"),
                "accept": _("Accept as answer"),
                "unaccept": _("Unaccept"),
                "edit": _("Edit"),
                "delete": _("Delete"),
                "confirm_delete": _("Delete this post?"),
                "report": _("Report"),
                "hide": _("Hide"),
                "unhide": _("Unhide"),
                "more": _("More actions for this post"),
            }.items()
        }

    def apply(self, post: Post, fragment: str) -> str:
        if self.signed_in and post.pk in self.mine:
            fragment = _press(fragment, self.mine[post.pk])
        if FOOT_SLOT not in fragment:  # a deleted or hidden post: no actions
            return fragment
        return fragment.replace(FOOT_SLOT, self.footer(post), 1)

    def footer(self, post: Post) -> str:
        if not self.signed_in:
            return ""
        view, labels, pk = self.view, self.labels, post.pk
        csrf = _CSRF_INPUT
        visible = []  # actions shown in the footer
        menu = []  # the rest, behind one "more" button
        if not post.is_hidden:
            if view.can_reply:
                page_number = page_of_number(post.number)
                page = f"page={page_number}&amp;" if page_number > 1 else ""
                visible.append(
                    f'<a class="button quiet small" href="{self.thread_url}?{page}quote={pk}'
                    f'#reply">{self.reply_icon}{labels["quote"]}</a>'
                )
            bookmarked = pk in self.bookmarked
            menu.append(
                _bookmark_form(
                    self.urls["post_bookmark"],
                    pk,
                    labels["unbookmark" if bookmarked else "bookmark"],
                )
            )
            if view.can_accept and post.number > 1:
                accepted = self.accepted_id == pk
                menu.append(
                    self._form(
                        "post_accept",
                        pk,
                        csrf
                        + f'<input type="hidden" name="accept" value="{0 if accepted else 1}">',
                        labels["unaccept" if accepted else "accept"],
                    )
                )
            if self.can_edit[pk]:
                menu.append(
                    f'<a href="{self.urls["post_edit"].format(pk=pk)}">{labels["edit"]}</a>'
                )
            if self.can_delete[pk]:
                menu.append(
                    self._form(
                        "post_delete", pk, csrf, labels["delete"], confirm=labels["confirm_delete"]
                    )
                )
            if post.author_id != self.user.pk:
                menu.append(
                    f'<a href="{self.urls["post_report"].format(pk=pk)}">{labels["report"]}</a>'
                )
        if view.can_moderate:
            hidden = post.is_hidden
            menu.append(
                self._form(
                    "post_hide",
                    pk,
                    csrf + f'<input type="hidden" name="hidden" value="{0 if hidden else 1}">',
                    labels["unhide" if hidden else "hide"],
                )
            )
        if menu:
            visible.append(
                '<details class="menu post-menu"><summary class="icon-button" '
                f'title="{labels["more"]}">{self.ellipsis}</summary>'
                f'<div class="menu-list">{"".join(menu)}</div></details>'
            )
        return "".join(visible)

    def _form(self, name: str, pk: int, fields: str, label: str, confirm: str = "") -> str:
        confirm_attr = f' data-confirm="{confirm}"' if confirm else ""
        danger = ' class="danger"' if name == "post_delete" else ""
        return (
            f'<form method="post" action="{self.urls[name].format(pk=pk)}">{fields}'
            f'<button type="submit"{danger}{confirm_attr}>{label}</button></form>'
        )


# --- Thread list rows ------------------------------------------------------------------------

ROW_SECONDS = 24 * 3600
TIME_SLOT = slot("time")
UNREAD_SLOT = slot("unread")
_ROW_SLOTS = {
    "time_slot": mark_safe(TIME_SLOT),  # noqa: S308 - our own constants
    "unread_slot": mark_safe(UNREAD_SLOT),  # noqa: S308
}


def _row_key(thread: Thread, language: str) -> str:
    """A row is kept under its thread's version, which moves with everything the row shows: a
    reply, a changed title, pin, lock, answer or tag, a renamed author (forums/visitor_cache.py)."""
    return f"row:{thread.pk}:{thread.version}:{thread.community.slug}:{language}"


def render_thread_rows(*, threads: list[Thread]) -> SafeString:
    """The rows of a thread list (threads of one community): each cached per thread version and
    language (the rows not cached are read whole), with the time
    ("3 minutes ago") and the reader's unread link (``thread.has_unread``, set by the
    selector) filled in per request."""
    if not threads:
        return mark_safe("")
    language = get_language()
    keys = {thread.pk: _row_key(thread, language) for thread in threads}
    cached = cache.get_many(list(keys.values()))
    missing = [thread.pk for thread in threads if keys[thread.pk] not in cached]
    if missing:
        whole = thread_rows(community=threads[0].community, thread_ids=missing)
        fresh = {
            keys[pk]: render_to_string(
                "forums/_thread_row.html",
                {"thread": whole[pk], **_ROW_SLOTS},
            )
            for pk in missing
            if pk in whole  # not moved or deleted since the list was read
        }
        cache.set_many(fresh, ROW_SECONDS)
        cached.update(fresh)
    unread_label = escape(_("unread"))
    unread_url = None
    rows = []
    for thread in threads:
        if keys[thread.pk] not in cached:
            continue
        row = cached[keys[thread.pk]].replace(TIME_SLOT, when(thread.last_activity), 1)
        if getattr(thread, "has_unread", False):
            if unread_url is None:
                unread_url = reverse("thread_unread", args=[thread.community.slug, _PK]).replace(
                    str(_PK), "{pk}"
                )
            href = unread_url.format(pk=thread.pk)
            row = row.replace(
                UNREAD_SLOT, f'<a class="pill unread" href="{href}">{unread_label}</a>', 1
            )
        rows.append(row)
    return mark_safe("".join(rows))  # noqa: S308 - rows from our templates, values escaped


# --- Chat history ----------------------------------------------------------------------------

MESSAGE_SECONDS = 24 * 3600


def _message_key(
    message, *, deletable: bool, reportable: bool, can_make_thread: bool, language: str, zone: str
):
    """Everything a rendered message shows, so it is never shown stale: an edit, a deletion, a
    renamed author or a new photo, the quoted message's change, a thread made from it, its
    place in a group of one author's messages, the reader's language, zone and which of the
    actions (start a thread, delete, report) they have."""
    author = message.author
    quoted = message.reply_to
    shown = "\x1f".join(
        (
            str(message.seq),
            message.html,
            message.created.isoformat(),
            message.edited_at.isoformat() if message.edited_at else "",
            f"{message.is_deleted:d}{message.removed_by_moderator:d}{message.grouped:d}",
            message.day,
            f"{author.pk}:{author.username}:{author.name}:{author.avatar.name}" if author else "",
            (
                f"{quoted.is_deleted:d}:{quoted.html}:{quoted.author.name if quoted.author else ''}"
                if quoted
                else ""
            ),
            message.thread.get_absolute_url() if message.thread_id else "",
            f"{deletable:d}{reportable:d}{can_make_thread:d}",
        )
    )
    digest = hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()
    return f"msg:{message.pk}:{digest}:{language}:{zone}"


def history_html(*, messages: list, last_read: int) -> SafeString:
    """A room page's history: each message as ``render_messages`` left it, with a day's
    separator before its first message and the unread marker after the last one read (what a
    loop in the template did, 250 nodes for 50 messages)."""
    marker = format_html(
        '<li class="unread-marker" data-unread-marker>{}</li>', _("New since your last visit")
    )
    parts = []
    for message in messages:
        if message.day_break:
            parts.append(
                format_html(
                    '<li class="day-separator" data-day-separator="{}">{}</li>',
                    message.day,
                    when(message.created, "date"),
                )
            )
        if message.seq == last_read + 1 and message.seq > 1 and last_read > 0:
            parts.append(marker)
        parts.append(message.rendered)
    return mark_safe("\n".join(parts))  # noqa: S308 - format_html and our cached fragments


def render_messages(
    *, request, messages: list, can_make_thread: bool, can_moderate: bool, can_report: bool
):
    """The chat history's messages (forums/_message.html, the template live messages are
    cloned from), each cached per what it shows, with the reader's CSRF token put into the
    delete form per request. Sets ``message.rendered`` on each message."""
    if not messages:
        return
    language = get_language()
    zone = get_current_timezone_name()
    user_id = request.user.pk
    keys = {
        message.pk: _message_key(
            message,
            deletable=message.author_id == user_id or can_moderate,
            reportable=can_report and message.author_id != user_id,
            can_make_thread=can_make_thread,
            language=language,
            zone=zone,
        )
        for message in messages
    }
    cached = cache.get_many(list(keys.values()))
    missing = [message for message in messages if keys[message.pk] not in cached]
    if missing:
        fresh = {}
        for message in missing:
            deletable = message.author_id == user_id or can_moderate
            fresh[keys[message.pk]] = render_to_string(
                "forums/_message.html",
                {
                    "message": message,
                    "can_make_thread": can_make_thread,
                    "can_report": can_report,
                    # The template offers deletion to the author or a moderator.
                    "can_moderate": deletable,
                    "user": request.user,
                    "csrf_token": CSRF_SLOT,
                },
            )
        cache.set_many(fresh, MESSAGE_SECONDS)
        cached.update(fresh)
    token = escape(get_token(request))
    for message in messages:
        html = cached[keys[message.pk]]
        message.rendered = mark_safe(html.replace(CSRF_SLOT, token))  # noqa: S308 - our template
