"""The design system's template tags: icons, avatars, times. Each is called once per row or post
of long lists, so none of them touches the database, includes a template or reads a file per call.

    {% load ui %}
    {% icon "bell" %}                      an inline SVG from the vendored sprite, hidden from AT
    {% icon "search" label=_("Search") %}  … or with a text alternative
    {% avatar user %}                      photo, else initials on a stable colour; size="sm"…
    {% when post.created %}                <time> "3 minutes ago", absolute time and zone on hover
    {% when message.created "time" %}      <time> "18:04" (reader's zone), the same on hover
"""

from __future__ import annotations

import datetime
from functools import cache, lru_cache
from time import time

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.avatars import avatar_colour, initials, photo_url
from core.countries import FLAGS

register = template.Library()

AVATAR_SIZES = {"xs", "sm", "md", "lg", "xl"}
WHEN_STYLES = {"relative", "time", "date", "datetime"}


@cache
def _sprite() -> str:
    # static() may hash the name (ManifestStaticFilesStorage): computed once per process.
    return static("vendor/lucide/icons.svg")


@register.simple_tag
def icon(name: str, label: str = "", size: str = "") -> str:
    """An icon from the sprite. Decorative (aria-hidden) unless ``label`` names it."""
    # A page calls this a few hundred times with a dozen distinct arguments: each distinct
    # (name, label in the current language, size) is written once per process.
    return _icon(str(name), str(label), str(size))


@lru_cache(maxsize=1024)
def _icon(name: str, label: str, size: str) -> str:
    classes = f"icon icon-{size}" if size else "icon"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false">'
            '<use href="{}#i-{}"></use></svg>',
            classes,
            label,
            _sprite(),
            name,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#i-{}"></use></svg>',
        classes,
        _sprite(),
        name,
    )


@register.simple_tag
def avatar(user, size: str = "md", decorative: bool = True) -> str:
    """A person's picture: the uploaded photo if they have one, else their initials on a
    colour derived from the username. Decorative by default (the name is always beside it);
    ``decorative=False`` gives it the person's name as its text alternative."""
    size = size if size in AVATAR_SIZES else "md"
    if user is None:
        return format_html(
            '<span class="avatar avatar-{} avatar-c7" aria-hidden="true">?</span>', size
        )
    name = getattr(user, "name", "") or getattr(user, "username", "")
    photo = getattr(user, "avatar", None)
    aria = (
        mark_safe('aria-hidden="true"')
        if decorative
        else format_html('role="img" aria-label="{}"', name)
    )
    if photo:
        return format_html(
            '<span class="avatar avatar-{}" {}>'
            '<img src="{}" alt="" width="96" height="96" loading="lazy"></span>',
            size,
            aria,
            photo_url(photo),
        )
    return format_html(
        '<span class="avatar avatar-{} avatar-c{}" {}>{}</span>',
        size,
        avatar_colour(getattr(user, "username", "") or name),
        aria,
        initials(name),
    )


@register.simple_tag
def flag(country) -> str:
    """A country's flag (decorative: the country's name is written beside it), or nothing
    for a country whose flag is not vendored. ``country``: a code or a django-countries
    Country."""
    code = str(getattr(country, "code", country) or "").upper()
    if code not in FLAGS:
        return ""
    return format_html(
        '<img class="flag" src="{}" alt="" width="20" height="15" loading="lazy">',
        static(f"vendor/flag-icons/{code.lower()}.svg"),
    )


@register.simple_tag
def when(value, style: str = "relative") -> str:
    """A date or time as ``<time datetime>`` in the reader's zone (activated per request by
    accounts.middleware.TimezoneMiddleware). The title always holds the full date, time and
    zone name; the text is relative ("3 minutes ago") or the ``time``, ``date``, ``datetime``.
    site.js and chat.js format the same way for times that arrive live."""
    if not value:
        return ""
    if style not in WHEN_STYLES:
        style = "relative"
    # The same moment, style, zone and language read the same within a second: a list of 30
    # threads or 50 messages, read many times a second, formats each once.
    return _when(value, style, timezone.get_current_timezone_name(), get_language(), int(time()))


@lru_cache(maxsize=4096)
def _when(value, style: str, zone: str, language: str, second: int) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        full = f"{formats.date_format(value, 'DATETIME_FORMAT')} ({zone})"
        text = {
            "relative": naturaltime,
            "time": lambda v: f"{v.hour:02d}:{v.minute:02d}",  # "H:i", as chat.js writes it
            "date": lambda v: formats.date_format(v, "DATE_FORMAT"),
            "datetime": lambda v: formats.date_format(v, "DATETIME_FORMAT"),
        }[style](value)
    else:  # a date without a time: no zone to speak of
        full = formats.date_format(value, "DATE_FORMAT")
        text = full if style != "relative" else naturaltime(value)
    return format_html(
        '<time datetime="{}" title="{}" data-when="{}">{}</time>',
        value.isoformat(),
        full,
        style,
        text,
    )


# --- Parts of the site's frame written once per process --------------------------------------

_MEMO: dict[tuple, str] = {}
MEMO_ENTRIES = 4096


@register.tag("memo")
def do_memo(parser, token):
    """``{% memo "name" value… %}…{% endmemo %}``: the enclosed part, rendered once per process
    for each combination of the values, then reused. For the parts of the site's frame that
    every page writes alike (links, labels, icons, the footer): its values must name everything
    the part shows (the language, the theme, …). Never around a CSRF token, a message or
    anything else of one request. Off with DEBUG, where templates change under a running
    server."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("memo needs a name")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        from django.conf import settings  # the setting as it is now (tests change it)

        if settings.DEBUG:
            return self.nodelist.render(context)
        origin = getattr(self, "origin", None)
        key = (getattr(origin, "name", ""), *(str(v.resolve(context)) for v in self.values))
        html = _MEMO.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_MEMO) >= MEMO_ENTRIES:
                _MEMO.clear()
            _MEMO[key] = html
        return html


_NAV = ("home", "library", "event_list", "member_list", "expert_list")


@register.simple_tag
def nav_current(path: str) -> str:
    """Which page of the site's main navigation ``path`` is (its URL name; "" for none)."""
    return _nav_urls(get_script_prefix()).get(path, "")


@lru_cache(maxsize=8)
def _nav_urls(prefix: str) -> dict[str, str]:
    return {reverse(name): name for name in _NAV}
