"""Pages, and parts of pages, rendered once and served from the cache to every reader who
would see the same thing.

- ``visitor_page``: a visitor's whole page, under a version of what it shows;
- ``shared_part``: the part of a signed-in reader's page that does not depend on who they are
  (given the few things about them its key names), under such a version.

Both leave a slot where the CSRF token goes, filled per request, and key by the whole path
with its query, the language and the time zone. The versions are the pages' business
(``core.versions``, ``Thread.version``, ``Community.activity_version``): a version is read
before what the page shows, so a page rendered from rows older than a change is stored under
a version that change has already moved past.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

# Derived from SECRET_KEY so that no user text can contain it (and every process of a
# deployment agrees on it).
_SLOT = hmac.new(
    settings.SECRET_KEY.encode(), b"forums.fragments.slot", hashlib.sha256
).hexdigest()[:20]
CSRF_SLOT = f"csrf-{_SLOT}"


def slot(name: str) -> str:
    """A marker for a cached part's HTML, where a request puts what is its own."""
    return f"<!--{name}-{_SLOT}-->"


def query_cacheable(request: HttpRequest, params: Iterable[str]) -> bool:
    """Whether the address's query holds only ``params``, the parameters the page reads.

    A page at any other address is rendered for its request alone and not stored: otherwise
    every made-up parameter (``?x=1``, ``?x=2``, …) would add an entry and let anyone fill the
    cache, and a page that writes its own address into links (the sign-in link's ``next``)
    would carry one request's parameters to everyone served the copy."""
    return all(name in params for name in request.GET)


def path_digest(request: HttpRequest) -> str:
    return hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()


def visitor_page(
    request: HttpRequest,
    *,
    name: str,
    version: str | Callable[[], str],
    seconds: int,
    render: Callable[[str], HttpResponse],
    params: Iterable[str] = (),
) -> HttpResponse:
    """A visitor's page from the cache, or ``render(csrf_token)``'s, stored for next time.

    The key holds the page (``name`` and the whole path with its query), ``version`` (or what
    it returns, called only for a page that is cached), the language, zone and theme.
    ``render`` gets the token to write where the CSRF token goes (a slot, filled per request).
    Pages that are someone's own are not cached: a signed-in reader, an htmx request, a page
    with a message waiting, an unknown time zone; nor is an address whose query holds more than
    ``params`` (query_cacheable)."""
    if not visitor_cacheable(request) or not query_cacheable(request, params):
        return render(get_token(request))
    if callable(version):
        version = version()
    theme = request.COOKIES.get("theme", "")
    key = (
        f"vpage:{name}:{version}:{get_language()}:{get_current_timezone_name()}:"
        f"{theme if theme in ('light', 'dark') else ''}:{path_digest(request)}"
    )
    html = cache.get(key)
    if html is not None:
        return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))
    response = render(CSRF_SLOT)
    if response.status_code != 200 or response.streaming:
        return response
    html = response.content.decode()
    cache.set(key, html, seconds)
    response.content = html.replace(CSRF_SLOT, get_token(request))
    return response


def visitor_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not getattr(request, "htmx", False)
        and not getattr(request, "timezone_unknown", False)
        and not len(get_messages(request))
    )


def shared_part(
    request: HttpRequest,
    *,
    name: str,
    key: tuple,
    seconds: int,
    render: Callable[[str], str],
    params: Iterable[str] = (),
) -> SafeString:
    """The HTML ``render(csrf_token)`` returns for this request, from the cache when a reader
    with the same ``key`` (versions and whatever of the reader the part shows) asked for the
    same path in the same language and zone before. ``render`` gets the token to write where
    the CSRF token goes; the reader's own is put in its place. An address whose query holds
    more than ``params`` is rendered for this request alone (query_cacheable)."""
    if not query_cacheable(request, params):
        return mark_safe(str(render(get_token(request))))  # noqa: S308 - our templates' output
    full_key = part_key(request, name, key)
    html = cache.get(full_key)
    if html is None:
        html = str(render(CSRF_SLOT))
        cache.set(full_key, html, seconds)
    return with_token(request, html)


def part_key(request: HttpRequest, name: str, key: tuple) -> str:
    """The cache key of part ``name`` of this request's page for readers who share ``key``."""
    return ":".join(
        str(part)
        for part in (
            "part",
            name,
            *key,
            get_language(),
            get_current_timezone_name(),
            path_digest(request),
        )
    )


def with_token(request: HttpRequest, html: str) -> SafeString:
    """A cached part with the reader's CSRF token in its slot."""
    # Our templates' output; the token is escaped.
    return mark_safe(html.replace(CSRF_SLOT, escape(get_token(request))))  # noqa: S308
