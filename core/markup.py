"""Markdown to safe HTML: the one module that owns the HTML allow-list.

Everything users write (posts, chat messages, library bodies, bios) goes through :func:`render`
once, when it is saved; pages show the stored HTML. Two layers keep it safe:

1. markdown-it-py runs with raw HTML switched off, so ``<script>`` in the source is text.
2. nh3 (ammonia) then cleans the output against the explicit allow-list below, whatever the
   renderer produced: no svg, math, style, iframes or forms, no event or style attributes, and
   only http(s)/mailto/relative links. Links get ``rel="nofollow ugc noopener"``.
   Markdown images become links to the image (no ``<img>``: no tracking pixels).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
        "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Classes are kept only where we set them ourselves (mentions, code languages).
ALLOWED_CLASSES = {
    "a": {"mention"},
    "code": {f"language-{name}" for name in ("python", "json", "sql", "bash", "text", "html")},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Elements removed together with everything inside them (not just unwrapped).
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "noscript", "template",
     "textarea", "select", "title", "xmp", "noembed", "noframes", "plaintext"}
)  # fmt: skip

MENTION_RE = re.compile(r"(?<![\w@./+-])@([\w.+-]*\w)")


def sanitize(fragment: str) -> str:
    """Clean an HTML fragment against the allow-list. Idempotent."""
    cleaned = _clean(fragment)
    # html5ever serialises some mis-nested trees (a <li> inside a <li>, content foster-parented
    # out of a <table>) as markup that parses into a different tree, so one pass is not always a
    # fixed point. What a browser parses is that next tree: clean until nothing changes, so that
    # the stored HTML is exactly what the allow-list passed. Two passes suffice in practice.
    for _attempt in range(_MAX_PASSES):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


_MAX_PASSES = 5


def _clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        # "*": none on every element. Without it nh3 keeps its default generic attributes
        # (title and lang) on any allowed element, outside the allow-list above.
        attributes={"*": set(), **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}},
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def extract_mentions(source: str) -> set[str]:
    """Usernames written as ``@name`` in Markdown source (outside code is not distinguished)."""
    return {m.group(1) for m in MENTION_RE.finditer(source or "")}


def _shift_headings(state) -> None:
    # The page owns h1 and h2; headings inside user content start at h3.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(level + 2, 6)}"


def _link_mentions(state) -> None:
    mentions: Mapping[str, str] = state.env.get("mentions") or {}
    if not mentions:
        return
    lowered = {name.lower(): (name, url) for name, url in mentions.items()}
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_mentions(token, lowered))
        block.children = children


def _split_mentions(token: Token, lowered: Mapping[str, tuple[str, str]]) -> list[Token]:
    out: list[Token] = []
    text = token.content
    pos = 0
    for match in MENTION_RE.finditer(text):
        found = lowered.get(match.group(1).lower())
        if not found:
            continue
        name, url = found
        if match.start() > pos:
            out.append(_text(text[pos : match.start()], token))
        link_open = Token("link_open", "a", 1)
        link_open.attrs = {"href": url, "class": "mention"}
        out.extend([link_open, _text(f"@{name}", token), Token("link_close", "a", -1)])
        pos = match.end()
    if pos == 0:
        return [token]
    if pos < len(text):
        out.append(_text(text[pos:], token))
    return out


def _text(content: str, like: Token) -> Token:
    token = Token("text", "", 0)
    token.content = content
    token.level = like.level
    return token


def _image_as_link(self, tokens, idx, options, env) -> str:
    # Images are not on the allow-list (no tracking pixels, no layout breakage); without this
    # rule nh3 would drop the <img> and the reader would lose its description with it.
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    depth = sum(
        1 if t.type == "link_open" else -1 if t.type == "link_close" else 0 for t in tokens[:idx]
    )
    if depth > 0:  # already inside a link: a link in a link is not HTML, the text is enough
        return escapeHtml(alt or src)
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt or src)}</a>'


def _make_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable(["linkify", "strikethrough", "table"])
    md.core.ruler.push("cop_headings", _shift_headings)
    md.core.ruler.push("cop_mentions", _link_mentions)
    md.add_render_rule("image", _image_as_link)
    md.validateLink = _validate_link
    return md


def _validate_link(url: str) -> bool:
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", *URL_SCHEMES)


_MD = _make_renderer()


def render(source: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Markdown source to sanitized HTML.

    ``mentions`` maps the usernames that exist (as written by the caller, who looked them up) to
    their profile URLs; ``@name`` for those becomes a link, other ``@words`` stay text.
    """
    raw = _MD.render(source or "", {"mentions": dict(mentions or {})})
    return sanitize(raw)


_BLOCK_BOUNDARY_RE = re.compile(r"<(?:/?(?:p|li|h\d|blockquote|pre|tr|td|th|ul|ol)|br|hr)\b[^>]*>")


def to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (for excerpts, notifications, search)."""
    spaced = _BLOCK_BOUNDARY_RE.sub(" ", fragment or "")
    return html.unescape(nh3.clean(spaced, tags=set())).strip()


def excerpt(fragment: str, length: int = 160) -> str:
    text = " ".join(to_text(fragment).split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
