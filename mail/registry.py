"""What the apps above tell the e-mail channel, without the channel importing them.

- **Content** (:func:`register_content`): given a notification (or a new-thread delivery),
  the sanitised HTML to quote in the e-mail, or None when the recipient may no longer read it
  (a hidden post, a deleted thread, a community they left): then nothing is sent.
- **Digest sections** (:func:`register_section`): what happened in a person's communities
  since their last digest (top threads, new library resources, accepted answers).

forums and resources register theirs in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise


@dataclass
class Content:
    """What an e-mail quotes: the sanitised HTML of the post (or message, or summary), its
    language, and where it is."""

    html: str
    url: str
    language: str = ""
    title: str = ""
    author: str = ""
    text: str = ""  # for the plain-text part, when the HTML says more than the inbox line


@dataclass
class Item:
    """One line of a digest section."""

    title: str
    url: str
    meta: str = ""  # e.g. "5 new replies · One-stop-shop public services"
    language: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class Section:
    name: str
    heading: str | Promise
    items: Callable[..., list[Item]]  # (user, communities, since, until) -> items, best first
    position: int = 0


@dataclass
class _Registry:
    content: dict[str, Callable] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)


_registry = _Registry()


def register_content(key: str, provider: Callable) -> None:
    """``provider(user, data) -> Content | None`` for notifications (and deliveries) whose data
    carries ``key`` (e.g. "post", "room", "resource")."""
    _registry.content[key] = provider


def content_for(user, data: dict) -> Content | bool | None:
    """The content of a notification's data for ``user``: Content, None (they may not read it),
    or True when no app claims the data (nothing to quote, nothing to withhold)."""
    for key, provider in _registry.content.items():
        if key in data:
            return provider(user, data)
    return True


def register_section(section: Section) -> None:
    _registry.sections[section.name] = section


def sections() -> list[Section]:
    return sorted(_registry.sections.values(), key=lambda s: (s.position, s.name))


def section_items(
    user, communities, since: datetime, until: datetime
) -> list[tuple[Section, list[Item]]]:
    """Every registered section's items for ``user`` from ``since`` to ``until``, leaving out
    the empty ones."""
    found = []
    for section in sections():
        items = section.items(user, communities, since, until)
        if items:
            found.append((section, items))
    return found
