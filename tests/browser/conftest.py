"""Browser tests: Playwright driving Debian's Chromium against the real server (daphne).

Chromium is not downloaded by Playwright here; the system's /usr/bin/chromium is used. Where it
is missing the tests are skipped, unless REQUIRE_BROWSER=1 (CI) turns that into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse
# database access from the test itself. The test thread never shares a connection with the
# loop, so this is safe here (and only here).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def patient_expectations():
    """Live pages reconnect and wait for the server: give expect() the contexts' 15 s, not 5 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def two_members(communities, make_member, settings):
    """Two members of one-stop-shop (fast password hashing for their sessions)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    community = communities["one-stop-shop"]
    alice = make_member(community, "alice", display_name="Әлия Серікқызы")
    bob = make_member(community, "bob", display_name="Болат")
    return community, alice, bob


@pytest.fixture
def new_context(browser, live_daphne):
    """Make a browser context (optionally signed in as ``user``) pointing at the live server."""
    contexts = []

    def make(user=None, *, locale: str = "en-US"):
        context = browser.new_context(base_url=live_daphne.url, locale=locale)
        context.set_default_timeout(15_000)
        if user is not None:
            context.add_cookies([_session_cookie(user, live_daphne.url)])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _session_cookie(user, url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }
