"""What people write in threads and chat: checking titles and bodies, rendering Markdown with
``@mentions``, and the Markdown of a quote. Shared by the thread, post and chat services."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import users_by_username
from core import markup, permissions
from core.models import Community
from core.permissions import Action
from core.text import is_visible, line_clean, refuse_controls
from forums.models import BODY_MAX, TITLE_MAX, TITLE_MIN, Post

# A line of a Markdown block quote (up to three spaces of indent, then ">").
_QUOTE_LINE_RE = re.compile(r"^ {0,3}>.*$", re.MULTILINE)


def title_clean(title: str) -> str:
    """The title with its whitespace collapsed and direction overrides removed. Raises
    ValidationError (on ``title``) when it holds a control character, shows nothing, or is
    shorter than TITLE_MIN or longer than TITLE_MAX characters."""
    title = line_clean(title or "", field="title")
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {"title": _("A title needs at least %(min)d characters.") % {"min": TITLE_MIN}}
        )
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("A title can have at most %(max)d characters.") % {"max": TITLE_MAX}}
        )
    return title


def body_clean(body: str, *, limit: int = BODY_MAX) -> str:
    """The body stripped. Raises ValidationError (on ``body``, with the code ``empty``,
    ``control_char`` or ``too_long``) when nothing visible is left, it holds a control
    character, or it has more than ``limit`` characters."""
    body = refuse_controls((body or "").strip(), field="body")
    if not is_visible(body):
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
    """The body as sanitised HTML with links for ``@name`` of existing people, and those
    people (each once)."""
    found = users_by_username(names=markup.extract_mentions(body))
    html = markup.render(body, mentions={name: u.get_absolute_url() for name, u in found.items()})
    return html, list({u.pk: u for u in found.values()}.values())


def own_mentions(body: str) -> set[str]:
    """Lower-cased names mentioned in the author's own words, outside quoted lines: quoting a
    post must not ping again everyone that post mentioned (the quoted author, who follows the
    thread since they posted in it, hears of the reply anyway)."""
    return {name.lower() for name in markup.extract_mentions(_QUOTE_LINE_RE.sub("", body))}


def readers_of(
    *, users: list[User], community: Community, action: Action = Action.THREAD_READ
) -> list[User]:
    """Those of ``users`` who may ``action`` (read threads, by default) in ``community``."""
    return [u for u in users if permissions.can(u, action, community)]


def post_quote_body(*, post: Post) -> str:
    """Markdown that quotes ``post`` with a link to its permalink (for the reply composer)."""
    author = post.author.username if post.author else ""
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    return f"> [@{author}]({post.get_absolute_url()}):\n{quoted}\n\n"
