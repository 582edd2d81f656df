"""The foundation in a real browser: the home page, switching language, a translated sign-up
error."""

import pytest

from core.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_lists_the_four_communities(new_context, communities):
    page = new_context().new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    headings = page.locator("main h2").all_inner_texts()
    assert headings == [c.name_en for c in communities.values()]


def test_switching_to_kazakh_shows_kazakh_ui_and_is_remembered(new_context, communities):
    page = new_context().new_page()
    page.goto("/")
    page.select_option("#language-select", "kk")
    page.wait_for_url("**/")
    page.wait_for_function("document.documentElement.lang === 'kk'")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == [c.name_kk for c in communities.values()]
    assert communities["ai"].description_kk in page.locator("main").inner_text()
    page.goto("/members/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("#language-select").input_value() == "kk"


def test_the_interface_itself_is_in_kazakh(new_context, communities):
    page = new_context(locale="kk-KZ").new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("main h1").inner_text() == "Тәжірибе қауымдастықтары"


def test_the_language_switcher_works_without_javascript(browser, live_daphne, communities):
    context = browser.new_context(base_url=live_daphne.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/members/")
        page.select_option("#language-select", "ru")
        page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_url("**/members/")
        assert page.locator("html").get_attribute("lang") == "ru"
    finally:
        context.close()


def test_signup_form_shows_a_translated_validation_error(new_context):
    page = new_context(locale="ru-RU").new_page()
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ru"
    # The browser itself refuses an address without "@" before sending it; this one passes the
    # browser's check and fails the server's (no dot in the domain).
    page.fill("input[name=email]", "newcomer@example")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=password1]", "a-long-enough-password-2026")
    page.fill("input[name=password2]", "a-long-enough-password-2026")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".errorlist")
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("Введите правильный адрес электронной почты" in text for text in errors), errors
    # What was typed is kept.
    assert page.input_value("input[name=username]") == "newcomer"


def test_joining_and_leaving_a_community(new_context, communities, make_user):
    person = make_user("nino")
    page = new_context(person).new_page()
    page.goto("/c/innovation/")
    page.get_by_role("button", name="Join the community").click()
    page.wait_for_selector("text=Welcome to")
    # The question comes from site.js: wait until the page's scripts have run.
    page.wait_for_load_state()
    assert Membership.objects.filter(user=person, community__slug="innovation").exists()
    assert "1 member" in page.locator("aside").inner_text()

    # Leaving asks first (site.js); saying no keeps the membership.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Leave the community").click()
    assert Membership.objects.filter(user=person, community__slug="innovation").exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Leave the community").click()
    page.wait_for_selector("text=You have left")
    assert not Membership.objects.filter(user=person).exists()
    assert page.get_by_role("button", name="Join the community").is_visible()
