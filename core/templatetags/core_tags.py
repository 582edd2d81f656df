import json

from django import template

from core.audit import action_label, change_lines
from core.models import CONTENT_LANGUAGES

register = template.Library()


@register.filter
def audit_label(action: str) -> str:
    return action_label(action)


@register.simple_tag
def audit_changes(entry) -> list[str]:
    """An audit entry's before/after in words, one line per field."""
    return change_lines(entry.before, entry.after)


@register.filter
def compact_json(value) -> str:
    """A short one-line rendering of an audit log's before/after state."""
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:199] + "…"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes them)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def pending_here(context, community):
    """What waits for the reader in ``community`` (a core.moderation.Pending), if they
    moderate it; else None. Read from the summary the header computes (no query of its own)."""
    summary = context.get("moderation")
    if not summary:
        return None
    return summary.for_community(community)


@register.filter
def content_language(code: str) -> str:
    """The name of a content language (kk, ru, en, other) in the interface's language."""
    return str(dict(CONTENT_LANGUAGES).get(code, code))


# Facets whose value sets two parameters (a year is a one-year range).
_FACET_PARAMS = {"year": ("year_from", "year_to")}


@register.simple_tag(takes_context=True)
def facet_link(context, name: str, value) -> dict:
    """A facet item's state and address: selected (the query already filters by it), and the
    address that applies it or, when selected, removes it."""
    query = context["request"].GET.copy()
    keys = _FACET_PARAMS.get(name, (name,))
    selected = all(query.get(key) == str(value) for key in keys)
    for key in keys:
        query.pop(key, None)
        if not selected:
            query[key] = str(value)
    query.pop("page", None)
    encoded = query.urlencode()
    return {"selected": selected, "url": f"?{encoded}" if encoded else "?"}


@register.filter(is_safe=True)
def clip(value, length: int) -> str:
    """``truncatechars`` for lists of long texts: at most ``length`` characters, the last an
    ellipsis. Django's filter steps through every character to skip combining marks, which
    cost more than the rest of a library card; the site's texts are precomposed."""
    text = str(value)
    length = int(length)
    return text if len(text) <= length else f"{text[: max(length - 1, 0)]}…"
