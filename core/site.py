"""The site's own name and address, as every e-mail, feed and sign-in message shows them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def site_name() -> str:
    """SITE_NAME, or the hub's name in the current language."""
    return settings.SITE_NAME or _("Civil Service Hub")


def site_domain() -> str:
    """The host of SITE_URL, which is what readers see in their address bar."""
    return urlsplit(settings.SITE_URL).netloc


def absolute(url: str) -> str:
    """A link that works outside the site: SITE_URL + the path (already absolute: as it is)."""
    return url if urlsplit(url).scheme else f"{settings.SITE_URL}{url}"


_ANY_ID = 987654321  # an id no page shows: reversed once, then replaced by each row's id


def url_for_each(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=[*args, id])`` for every row of a list, reversing once: a list of 30
    rows with two links each spent more on reverse() than on the rest of its rows."""
    pattern = reverse(name, args=[*args, _ANY_ID])
    head, tail = pattern.rsplit(str(_ANY_ID), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
