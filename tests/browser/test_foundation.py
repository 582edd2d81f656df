"""The first browser test: the home page, switching to Kazakh, a translated sign-up error."""

import pytest

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
    assert page.locator("main h2").first.inner_text() == communities["one-stop-shop"].name_kk
    assert page.locator("main h1").inner_text() == "Тәжірибе қауымдастықтары"
    page.goto("/members/")
    assert page.locator("html").get_attribute("lang") == "kk"


def test_signup_form_shows_a_translated_validation_error(new_context):
    page = new_context(locale="ru-RU").new_page()
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.fill("input[name=email]", "not-an-address")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=password1]", "a-long-enough-password-2026")
    page.fill("input[name=password2]", "a-long-enough-password-2026")
    page.locator("form button[type=submit]").last.click()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("Введите правильный адрес электронной почты" in text for text in errors), errors
    # What was typed is kept.
    assert page.input_value("input[name=username]") == "newcomer"
