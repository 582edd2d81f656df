"""`make screenshots`: the main pages at a desktop and a phone width, light and dark, written as
PNG files into SCREENSHOTS_DIR (var/screenshots by default, not committed), so that a change to
the look can be reviewed. Skipped unless SCREENSHOTS_DIR is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import _session_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS_DIR"), reason="SCREENSHOTS_DIR not set"),
]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _pages() -> dict[str, str]:
    from forums.models import ChatRoom, Thread

    thread = Thread.objects.order_by("pk").first()
    room = ChatRoom.objects.filter(messages__isnull=False).order_by("pk").first()
    return {
        "home": "/",
        "community": "/c/one-stop-shop/",
        "threads": "/c/one-stop-shop/threads/",
        "thread": thread.get_absolute_url(),
        "chat": room.get_absolute_url(),
        "library": "/library/",
        "search": "/search/?q=service",
        "events": "/events/",
        "members": "/members/",
        "experts": "/experts/",
        "profile": "/profile/",
        "welcome-profile": "/welcome/profile/",
        "welcome-communities": "/welcome/communities/",
        "welcome-email": "/welcome/email/",
        "questions": "/questions/",
        "moderation": "/c/one-stop-shop/moderation/",
        "sign-in": "/accounts/login/",
        "styleguide": "/styleguide/",
    }


def test_screenshots(browser, live_daphne, communities, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    folder = Path(os.environ["SCREENSHOTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    pages = _pages()
    for width, (w, h) in WIDTHS.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(
                base_url=live_daphne.url, viewport={"width": w, "height": h}, color_scheme=scheme
            )
            context.add_cookies([_session_cookie(admin, live_daphne.url)])
            page = context.new_page()
            for name, url in pages.items():
                page.goto(url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=folder / f"{name}-{width}-{scheme}.png", full_page=True)
            context.close()
    assert len(list(folder.glob("*.png"))) >= len(pages) * 4
