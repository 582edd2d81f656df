"""A new colleague's first minutes in a real browser: sign up, confirm the address from the
e-mail (a real SMTP server receives it), the three steps of the welcome done with the keyboard,
then their own home with what is new in the communities they chose."""

from __future__ import annotations

import re

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from PIL import Image
from playwright.sync_api import expect

from core.models import Membership
from forums import services as forum_services
from forums.models import ChatRoom
from mail.models import CommunityMail, MailSettings
from tests.conftest import free_port, start_server, stop_server
from tests.mail.conftest import Inbox, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-password-2026"
CONFIRM_PATH = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s]+/)")


@pytest.fixture
def site(transactional_db, tmp_path, settings):
    """Our server as production runs it: verification mandatory, e-mail over SMTP."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        server = start_server(
            tmp_path,
            extra_env={
                "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                "ACCOUNT_EMAIL_VERIFICATION": "mandatory",
            },
        )
    except Exception:
        controller.stop()
        raise
    yield server, inbox
    stop_server(server)
    controller.stop()


@pytest.fixture
def page(browser, site):
    server, _inbox = site
    context = browser.new_context(base_url=server.url, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _focused(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_sign_up_confirm_and_the_welcome_by_keyboard_lead_to_ones_own_home(
    page, site, communities, make_member, tmp_path, patient_expectations
):
    _server, inbox = site
    ai = communities["ai"]
    colleague = make_member(ai, "jiwoo", display_name="Ji-woo Park")
    forum_services.thread_create(
        community=ai, author=colleague, title="Жасанды интеллект мемлекеттік қызметте",
        body="Тәжірибе бөлісейік.", language="kk",
    )  # fmt: skip
    room = ChatRoom.objects.get(community=ai, slug="general")
    forum_services.message_send(room=room, author=colleague, body="Сәлем, әріптестер!")

    # Sign up; verification is mandatory, so the address is confirmed first.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "aigerim@example.org")
    page.fill("input[name=username]", "aigerim")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.press("input[name=password2]", "Enter")
    page.wait_for_url("**/accounts/confirm-email/")
    (message,) = inbox.messages
    page.goto(CONFIRM_PATH.search(text_of(message)).group(1))
    page.get_by_role("button", name="Confirm").press("Enter")

    # Step 1: the profile. Typed into, the photo attached, Enter saves (Continue is the
    # form's default button, never Skip).
    page.wait_for_url("**/welcome/profile/")
    expect(page.locator("[aria-current=step]")).to_have_text("1Your profile and photo")
    expect(page.locator(".step-count")).to_have_text("Step 1 of 3")
    name = page.get_by_label("Display name")
    name.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Айгерім Нұрланқызы")
    photo = tmp_path / "me.png"
    Image.new("RGB", (400, 300), (20, 120, 90)).save(photo)
    page.get_by_label("Photo").set_input_files(str(photo))
    page.get_by_label("Country").focus()
    page.keyboard.type("Kazakhstan")
    page.get_by_label("Organisation").focus()
    page.keyboard.type("Мемлекеттік қызмет істері агенттігі")
    page.keyboard.press("Enter")

    # Step 2: communities, ticked with the space bar; Tab reaches Back, Skip, Continue in order.
    page.wait_for_url("**/welcome/communities/")
    expect(page.locator("[aria-current=step]")).to_have_text("2Your communities")
    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(4)
    page.get_by_role("checkbox", name="AI and new technologies").focus()
    page.keyboard.press("Space")
    page.get_by_role("checkbox", name="E-government development").focus()
    page.keyboard.press("Space")
    boxes.last.focus()
    page.keyboard.press("Tab")
    assert _focused(page) == "Back"
    page.keyboard.press("Tab")
    assert _focused(page) == "Skip this step"
    page.keyboard.press("Tab")
    assert _focused(page) == "Continue"
    page.keyboard.press("Enter")

    # Step 3: e-mail choices by arrow keys in the radio groups and the communities' selects.
    page.wait_for_url("**/welcome/email/")
    expect(page.locator(".step-count")).to_have_text("Step 3 of 3")
    page.get_by_role("radio", name="immediately").first.focus()
    page.keyboard.press("ArrowDown")  # replies: "in my digest"
    egov_select = page.get_by_label("E-government development")
    egov_select.focus()
    egov_select.select_option("daily")  # a select's value by keyboard differs per platform
    page.get_by_role("button", name="Finish").focus()
    page.keyboard.press("Enter")

    # Home: the welcome said, and what is new in the communities chosen.
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".message.success")).to_have_text(
        "Welcome, Айгерім Нұрланқызы! Here is what is new in your communities."
    )
    expect(page.locator("main h1")).to_have_text("What is new in your communities")
    threads = page.locator("section[aria-labelledby=home-threads]")
    expect(
        threads.get_by_role("link", name="Жасанды интеллект мемлекеттік қызметте")
    ).to_be_visible()
    chat = page.locator("section[aria-labelledby=home-chat]")
    expect(chat.get_by_role("link", name="#general")).to_be_visible()
    expect(page.locator("header .account-menu img")).to_have_count(1)  # the photo, in the header

    person = get_user_model().objects.get(username="aigerim")
    assert person.display_name == "Айгерім Нұрланқызы"
    assert person.country.code == "KZ"
    assert person.avatar.name.startswith("avatars/")
    assert not person.needs_welcome
    assert set(
        Membership.objects.filter(user=person).values_list("community__slug", flat=True)
    ) == {"ai", "e-government"}
    assert MailSettings.objects.get(user=person).replies == "digest"
    assert CommunityMail.objects.get(user=person, community__slug="e-government").threads == (
        "daily"
    )

    # Signing in again later goes home: the welcome is not offered twice.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "aigerim")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_have_text("What is new in your communities")
