"""Which pages may open a websocket: the Origin is compared in full (scheme, host, port) with
the handshake's own origin, the configured site and CSRF_TRUSTED_ORIGINS."""

from __future__ import annotations

import pytest

from core.origins import origin_allowed, origin_key
from tests.chat.conftest import joined

pytestmark = pytest.mark.django_db(transaction=True)


def scope(origin: str, host: str = "testserver", scheme: str = "ws") -> dict:
    headers = [(b"host", host.encode())]
    if origin:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://testserver", "testserver", "ws", True),
        ("http://testserver:80", "testserver", "ws", True),  # the default port, written out
        ("HTTP://TestServer", "testserver", "ws", True),
        ("http://testserver:8081", "testserver", "ws", False),  # another port of the host
        ("http://testserver", "testserver:8000", "ws", False),
        ("http://testserver:8000", "testserver:8000", "ws", True),
        ("https://testserver", "testserver", "ws", False),  # another scheme
        ("https://testserver", "testserver", "wss", True),
        ("https://testserver", "testserver", "https", True),  # scheme reported by a proxy
        ("http://evil.example", "testserver", "ws", False),
        ("http://testserver.evil.example", "testserver", "ws", False),
        ("null", "testserver", "ws", False),  # sandboxed frames, file: pages
        ("", "testserver", "ws", False),  # no Origin at all
        ("http://testserver/path", "testserver", "ws", False),
        ("http://testserver", "not-allowed.example", "ws", False),  # Host outside ALLOWED_HOSTS
        ("javascript:alert(1)", "testserver", "ws", False),
    ],
)
def test_the_origin_must_be_the_pages_own(settings, origin, host, scheme, allowed):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SITE_URL = "https://cop.example.org"
    settings.CSRF_TRUSTED_ORIGINS = []
    assert origin_allowed(scope(origin, host, scheme)) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://cop.example.org", True),  # SITE_URL
        ("http://cop.example.org", False),
        ("https://cop.example.org:8443", False),
        ("https://partner.example.net", True),  # CSRF_TRUSTED_ORIGINS
        ("https://a.hub.example", True),  # a subdomain of a wildcard entry
        ("https://hub.example.evil", False),
    ],
)
def test_the_site_and_trusted_origins_are_accepted_from_behind_a_proxy(settings, origin, allowed):
    # Behind a proxy the handshake's Host may be an internal name; the public origins are the
    # configured ones.
    settings.ALLOWED_HOSTS = ["web", "cop.example.org"]
    settings.SITE_URL = "https://cop.example.org"
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example.net", "https://*.hub.example"]
    assert origin_allowed(scope(origin, host="web")) is allowed


def test_origin_keys_fill_in_default_ports():
    assert origin_key("https://Example.org") == ("https", "example.org", 443)
    assert origin_key("http://example.org:8000") == ("http", "example.org", 8000)
    assert origin_key("ftp://example.org") is None
    assert origin_key("http://example.org:99999") is None


async def test_a_page_on_another_port_cannot_open_the_chat(connect, alice):
    await connect(alice, origin=b"http://testserver:8081", refused=True)
    chat = await joined(await connect(alice))  # the site's own page can
    assert chat.seen[0]["type"] == "presence"
