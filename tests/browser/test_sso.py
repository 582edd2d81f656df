"""Single sign-on against a real OpenID Connect provider (tests/sso_idp: django-oauth-toolkit
in a project of its own, in a subprocess), through the whole browser redirect flow."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.browser.conftest import _session_cookie
from tests.conftest import free_port, start_server, stop_server
from tests.sso_idp import server as idp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    """The identity provider, started once for this module (creating its database and keys
    takes longer than a test), and the port our server will listen on, which its client
    applications redirect to. It asks for consent every time (django-oauth-toolkit's
    default), and each test's browser context starts without its session cookie."""
    port = free_port()
    provider = idp.start(
        tmp_path_factory.mktemp("idp"), port=free_port(), site_url=f"http://127.0.0.1:{port}"
    )
    yield provider, port
    idp.stop(provider)


@pytest.fixture
def sso(transactional_db, tmp_path, identity_provider):
    """Our server configured for the provider (SSO_PROVIDERS), on this test's data."""
    provider, port = identity_provider
    site = start_server(tmp_path, port=port, extra_env={"SSO_PROVIDERS": provider.sso_providers()})
    yield site, provider
    stop_server(site)


@pytest.fixture
def sso_page(browser, sso):
    site, _provider = sso
    context = browser.new_context(base_url=site.url, locale="en-US")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _sign_in_at_provider(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Test Ministry ID").click()
    page.get_by_role("button", name="Continue").click()
    # The provider asks who it is, unless it still has a session from an earlier sign-in.
    page.wait_for_selector("#authorizationForm, #id_username")
    if page.locator("#id_username").count():
        page.fill("#id_username", username)
        page.fill("#id_password", idp.PASSWORD)
        page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_selector("#authorizationForm")


def test_signing_in_with_an_institution_creates_a_verified_account(sso_page, communities):
    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    # A new account: the welcome after sign-up, as for a sign-up with a password.
    page.wait_for_url("**/welcome/profile/")
    assert page.locator("#id_display_name").input_value() == "Aigerim Nurlanovna"
    user = get_user_model().objects.get(email="aigerim@gov.example")
    assert user.display_name == "Aigerim Nurlanovna"
    assert user.language == "en"  # the language of the page she signed in from
    assert user.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=user).provider == "testidp"
    page.goto("/profile/")
    assert page.locator("#id_display_name").input_value() == "Aigerim Nurlanovna"


def test_a_verified_address_signs_in_to_the_existing_account(sso, sso_page, make_user, communities):
    existing = make_user("aigerim_local", email="aigerim@gov.example")
    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{sso[0].url}/")  # an existing account: no welcome
    page.goto("/profile/")
    assert page.url.endswith("/profile/")
    assert get_user_model().objects.filter(email="aigerim@gov.example").count() == 1
    assert SocialAccount.objects.get(provider="testidp").user == existing


def test_a_verified_address_never_signs_in_to_a_staff_account(sso_page, make_user, communities):
    staff = make_user("admin_local", email="aigerim@gov.example", staff=True)
    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/accounts/3rdparty/signup/")
    assert "an account here already uses it" in page.locator("[role=alert]").inner_text()
    assert not SocialAccount.objects.exists()
    page.goto("/admin/")
    assert "/admin/login/" in page.url
    assert get_user_model().objects.get(email="aigerim@gov.example") == staff


def test_an_unverified_address_never_signs_in_to_the_account_that_has_it(
    sso_page, make_user, communities
):
    existing = make_user("taken", email="taken@example.org")
    page = sso_page
    _sign_in_at_provider(page, "unverified")
    page.get_by_role("button", name="Authorize").click()
    # Not signed in to that account: the page says why and offers another address or the
    # way back to signing in with the password.
    page.wait_for_url("**/accounts/3rdparty/signup/")
    alert = page.locator("[role=alert]").inner_text()
    assert "Test Ministry ID did not confirm that taken@example.org is your address" in alert
    assert not SocialAccount.objects.filter(user=existing).exists()
    # Giving the same address anyway is refused, and what was typed is kept.
    page.fill("#id_username", "mallory")
    page.get_by_role("button", name="Create the account").click()
    assert "An account already exists with this email address" in page.content()
    assert page.locator("#id_username").input_value() == "mallory"
    assert get_user_model().objects.filter(email="taken@example.org").get() == existing
    page.get_by_role("link", name="Back to sign-in").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/profile/")
    assert "/accounts/login/" in page.url  # not signed in as anyone


def test_refusing_consent_at_the_provider_says_so_and_leads_back(sso_page, communities):
    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url("**/accounts/3rdparty/login/cancelled/")
    assert page.locator("h1").inner_text() == "Sign-in cancelled"
    page.get_by_role("link", name="Back to sign-in").click()
    page.wait_for_url("**/accounts/login/")
    assert not get_user_model().objects.filter(email="aigerim@gov.example").exists()


def test_a_mismatched_state_is_refused_with_a_way_back(sso_page, communities):
    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    # An answer that does not belong to this sign-in (forged or replayed state).
    response = page.goto("/accounts/oidc/testidp/login/callback/?code=forged&state=forged")
    assert response.status == 401
    assert page.locator("h1").inner_text() == "Sign-in with your institution failed"
    assert "did not belong to this sign-in" in page.locator("[role=alert]").inner_text()
    page.get_by_role("link", name="Back to sign-in").click()
    page.wait_for_url("**/accounts/login/")
    assert not get_user_model().objects.filter(email="aigerim@gov.example").exists()


def test_deleting_an_institution_only_account_asks_the_provider_again(
    browser, sso, make_user, communities
):
    """No password to ask for: the person signs in at their provider again, then comes back
    to the deletion page."""
    site, _provider = sso
    person = make_user("aigerim_sso", email="aigerim@gov.example")
    person.set_unusable_password()
    person.save(update_fields=["password"])
    # The provider's subject for "aigerim" is her id there: the first person it created.
    SocialAccount.objects.create(user=person, provider="testidp", uid="1")
    context = browser.new_context(base_url=site.url, locale="en-US")
    context.set_default_timeout(20_000)
    context.add_cookies([_session_cookie(person, site.url)])  # an old session: no sign-in record
    page = context.new_page()
    page.goto("/profile/delete/")
    assert "/accounts/oidc/testidp/login/" in page.url
    assert "sign in again with Test Ministry ID" in page.content()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("text=Test identity provider")
    page.fill("#id_username", "aigerim")
    page.fill("#id_password", idp.PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/profile/delete/")
    assert page.locator("main form").count() >= 1
    context.close()


def test_signing_in_during_the_grace_period_cancels_and_after_erasure_starts_afresh(
    sso_page, communities
):
    from accounts import deletion

    page = sso_page
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/")
    person = get_user_model().objects.get(email="aigerim@gov.example")

    # Deletion asked for, then the person signs in with their institution again: kept.
    deletion.deletion_request(user=person, remove_content=False)
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/")
    assert "the deletion of your account is cancelled" in page.content()
    person.refresh_from_db()
    assert person.is_active

    # Erased after the grace period: the same institution sign-in makes a new account.
    deletion.deletion_request(user=person, remove_content=False)
    deletion.account_erase(user=person)
    assert not SocialAccount.objects.filter(user=person).exists()
    page.context.clear_cookies()
    _sign_in_at_provider(page, "aigerim")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/")
    fresh = get_user_model().objects.get(email="aigerim@gov.example")
    assert fresh.pk != person.pk
    assert SocialAccount.objects.get(provider="testidp").user == fresh


def test_an_error_from_the_provider_is_a_translated_page_with_a_way_back(browser, sso):
    site, _provider = sso
    context = browser.new_context(base_url=site.url, locale="ru-RU")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    assert page.locator("#sso-heading").inner_text() == "Войти через свою организацию"
    page.get_by_role("link", name="Misconfigured ID").click()
    page.get_by_role("button", name="Продолжить").click()
    page.fill("#id_username", "aigerim")
    page.fill("#id_password", idp.PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    # The provider refuses the unknown scope and sends the browser back with an error.
    page.wait_for_url("**/accounts/oidc/badscope/login/callback/**")
    assert page.locator("h1").inner_text() == "Не удалось войти через вашу организацию"
    assert not get_user_model().objects.filter(email="aigerim@gov.example").exists()
    page.get_by_role("link", name="Вернуться ко входу").click()
    page.wait_for_url("**/accounts/login/")
    context.close()
