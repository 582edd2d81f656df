"""Which pages may open a websocket: the site's own, by full origin (scheme, host and port).

Channels' AllowedHostsOriginValidator compares the Origin's host only, so a page served on
another port of the same host (another application, a developer's tool) could drive a signed-in
person's chat socket with their cookies. Browsers send the page's full origin; this accepts it
only when it is exactly the origin the handshake was addressed to (its Host header, over the
scheme it arrived on: behind a TLS proxy, the scheme the proxy reports), the configured site
(SITE_URL), or one of CSRF_TRUSTED_ORIGINS: the same origins Django's CSRF check trusts for
forms. The Host must be one of ALLOWED_HOSTS, as for any request.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_key(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, default ports filled in; None if malformed."""
    try:
        parts = urlsplit(origin.strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or ""), parts.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    return scheme, host.lower(), port or DEFAULT_PORTS[scheme]


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _trusted(key: tuple[str, str, int]) -> bool:
    """The origin is the configured site's or one of CSRF_TRUSTED_ORIGINS (which may name
    subdomains with ``*``, as Django allows)."""
    for trusted in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]:
        if "*" in trusted:
            scheme, _sep, pattern = trusted.partition("://")
            host_pattern, _colon, port = pattern.partition(":")
            if (
                key[0] == scheme.lower()
                and fnmatch.fnmatch(key[1], host_pattern.lower())
                and key[2]
                == (int(port) if port.isascii() and port.isdigit() else DEFAULT_PORTS.get(key[0]))
            ):
                return True
        elif origin_key(trusted) == key:
            return True
    return False


def origin_allowed(scope) -> bool:
    """Whether a websocket handshake comes from one of the site's own pages."""
    key = origin_key(_header(scope, b"origin"))
    if key is None:
        return False
    host = _header(scope, b"host")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    return origin_key(f"{scheme}://{host}") == key or _trusted(key)


class SameOriginValidator:
    """ASGI middleware: refuses (close code 403 at the handshake) websockets from elsewhere."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
