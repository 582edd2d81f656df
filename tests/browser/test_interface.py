"""The interface as a reader meets it: one clock, the keyboard, a phone, the dark theme."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _session_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expectations"),
]

ROOM_URL = "/c/one-stop-shop/chat/general/"


def _context(browser, live_daphne, user=None, **options):
    context = browser.new_context(base_url=live_daphne.url, **options)
    context.set_default_timeout(15_000)
    if user is not None:
        context.add_cookies([_session_cookie(user, live_daphne.url)])
    return context


def test_a_live_chat_message_shows_the_same_time_as_after_a_reload(
    browser, live_daphne, two_members
):
    """The server's zone is Asia/Almaty; the reader's browser is in New York. The page, the
    live message and the reloaded page all speak New York time."""
    _community, alice, bob = two_members
    reader = _context(browser, live_daphne, bob, timezone_id="America/New_York")
    writer = _context(browser, live_daphne, alice, timezone_id="Asia/Tokyo")
    try:
        # First visit: site.js stores the browser's zone; from the next page on it is used.
        page = reader.new_page()
        page.goto("/")
        page.goto(ROOM_URL)
        assert page.locator("[data-chat]").get_attribute("data-tz") == "America/New_York"
        expect(page.locator("[data-connection]")).to_have_attribute("data-state", "online")

        other = writer.new_page()
        other.goto("/")
        other.goto(ROOM_URL)
        expect(other.locator("[data-connection]")).to_have_attribute("data-state", "online")
        other.fill("#chat-body", "Сәлем, әріптестер!")
        other.press("#chat-body", "Control+Enter")

        live = page.locator("#m1")
        expect(live).to_contain_text("Сәлем, әріптестер!")
        live_time = live.locator("time").inner_text()
        live_title = live.locator("time").get_attribute("title")
        expected = page.evaluate(
            """iso => new Intl.DateTimeFormat('en', {hour: '2-digit', minute: '2-digit',
                 hourCycle: 'h23', timeZone: 'America/New_York'}).format(new Date(iso))""",
            live.locator("time").get_attribute("datetime"),
        )
        assert live_time == expected
        assert "America/New_York" in live_title
        # The same markup as a server-rendered message: avatar, name, menu.
        assert live.locator(".avatar").inner_text() == "ӘС"
        assert live.locator(".who").inner_text() == "Әлия Серікқызы"
        assert live.locator("summary").count() == 1

        page.reload()
        reloaded = page.locator("#m1")
        assert reloaded.locator("time").inner_text() == live_time
        assert reloaded.locator("time").get_attribute("title") == live_title
        assert reloaded.locator(".avatar").inner_text() == "ӘС"
        # The writer in Tokyo sees Tokyo time.
        tokyo = other.locator("#m1 time").inner_text()
        assert other.locator("[data-chat]").get_attribute("data-tz") == "Asia/Tokyo"
        assert tokyo != live_time
    finally:
        reader.close()
        writer.close()


def test_the_chat_composer_is_focused_on_load_and_a_message_is_one_tab_stop(
    browser, live_daphne, two_members
):
    community, alice, bob = two_members
    from forums import services
    from forums.models import ChatRoom

    room = ChatRoom.objects.get(community=community, slug="general")
    for n in range(8):
        services.message_send(room=room, author=alice if n % 2 else bob, body=f"Хабар {n}")
    context = _context(browser, live_daphne, bob)
    try:
        page = context.new_page()
        page.goto(ROOM_URL)
        expect(page.locator("#chat-body")).to_be_focused()
        # Opened at an address with a fragment, the composer is not focused; it is two Tab
        # presses away (skip links).
        page.goto(ROOM_URL + "?from=top#top")
        expect(page.locator("#chat-body")).not_to_be_focused()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == (
            "Skip to the message box"
        )
        page.keyboard.press("Enter")
        expect(page.locator("#chat-body")).to_be_focused()
        # One Tab stop per message: its "⋯" menu.
        stops = page.eval_on_selector_all(
            "#m3 a[href], #m3 button, #m3 summary, #m3 [tabindex]",
            "nodes => nodes.filter(n => n.checkVisibility() && n.tabIndex >= 0).length",
        )
        assert stops == 1
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/library/", "/members/", ROOM_URL])
def test_the_phone_layout_fits_the_screen(browser, live_daphne, two_members, path):
    _community, _alice, bob = two_members
    context = _context(browser, live_daphne, bob, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 0.15 * 844, header
        # The menu opens from its button and closes with Escape.
        toggle = page.locator("[data-menu-toggle]")
        expect(page.locator(".main-nav")).to_be_hidden()
        toggle.click()
        expect(page.locator(".main-nav")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(".main-nav")).to_be_hidden()
        if path == ROOM_URL:
            box = page.locator("#chat-body").bounding_box()
            assert box["y"] + box["height"] <= 844, box
    finally:
        context.close()


def test_dark_mode_follows_the_device_and_the_switch_is_remembered(
    browser, live_daphne, two_members
):
    _community, _alice, bob = two_members
    context = _context(browser, live_daphne, bob, color_scheme="dark")
    background = "getComputedStyle(document.documentElement).backgroundColor"
    try:
        page = context.new_page()
        page.goto("/")
        assert page.evaluate(background) == "rgb(14, 19, 25)"
        # The switch says what it will do, and the choice is kept on the profile.
        page.get_by_role("button", name="Switch to the light theme").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("data-theme") == "light"
        assert page.evaluate(background) == "rgb(245, 247, 250)"
        bob.refresh_from_db()
        assert bob.theme == "light"
    finally:
        context.close()
