"""Single sign-on configuration from the environment (SSO_PROVIDERS), without a browser: the
parser, the sign-in page's list, the Content Security Policy, SAML's metadata and start. The
whole OpenID Connect flow against a real provider is in tests/browser/test_sso.py."""

from __future__ import annotations

import datetime
import json
import time
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from project.settings import _sso_config, _sso_entries

OIDC = {
    "id": "gov",
    "name": "Government ID",
    "server_url": "https://id.example.gov/realms/civil",
    "client_id": "cop",
    "secret": "s3cret",
}


def _certificate() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


SAML = {
    "type": "saml",
    "id": "ministry",
    "name": "Ministry SAML",
    "idp": {
        "entity_id": "https://idp.example.org/saml",
        "sso_url": "https://idp.example.org/saml/sso",
        "x509cert": _certificate(),
    },
}


@pytest.fixture
def providers(settings):
    def configure(*entries):
        settings.SOCIALACCOUNT_PROVIDERS, origins = _sso_config(list(entries))
        policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
        policy["DIRECTIVES"]["form-action"] = ["'self'", *origins]
        settings.CONTENT_SECURITY_POLICY = policy
        return origins

    return configure


def test_providers_come_from_one_json_list():
    entra = {
        **OIDC,
        "id": "org",
        "name": "Org Entra ID",
        "client_id": "c2",
        "server_url": "https://login.example.com/t/v2.0",
    }
    providers, origins = _sso_config([OIDC, entra, SAML])
    apps = providers["openid_connect"]["APPS"]
    assert [(a["provider_id"], a["name"]) for a in apps] == [
        ("gov", "Government ID"),
        ("org", "Org Entra ID"),
    ]
    assert apps[0]["settings"]["server_url"] == OIDC["server_url"]
    assert apps[0]["settings"]["email_authentication"] is True
    assert providers["saml"]["APPS"][0]["client_id"] == "ministry"
    assert origins == [
        "https://id.example.gov",
        "https://idp.example.org",
        "https://login.example.com",
    ]


def test_linking_by_verified_address_can_be_turned_off_per_provider():
    providers, _origins = _sso_config([{**OIDC, "link_verified_email": False}])
    assert providers["openid_connect"]["APPS"][0]["settings"]["email_authentication"] is False


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({**OIDC, "name": ""}, "needs an id and a name"),
        ({k: v for k, v in OIDC.items() if k != "secret"}, "gov needs secret"),
        ({**SAML, "idp": {}}, "ministry needs idp"),
        ({**OIDC, "type": "oauth1"}, "unknown type"),
    ],
)
def test_a_wrong_provider_entry_stops_the_start_with_a_clear_message(entry, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        _sso_config([entry])


@pytest.mark.parametrize(
    ("second", "complaint"),
    [
        ({**OIDC, "name": "Other", "client_id": "other"}, "two providers share the id 'gov'"),
        # Two institutions' Keycloaks may both call us "cop"; allauth could not tell them apart
        # when it finds the provider of a pending sign-up again.
        (
            {**OIDC, "id": "other", "server_url": "https://b.example"},
            "two providers share the oidc client_id 'cop'",
        ),
    ],
)
def test_providers_must_be_told_apart(second, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        _sso_config([OIDC, second])


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ('[{"id": "gov",', "not valid JSON"),
        ('{"id": "gov"}', "must be a JSON list of objects"),
        ('["gov"]', "must be a JSON list of objects"),
    ],
)
def test_a_malformed_provider_list_stops_the_start_with_a_clear_message(raw, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        _sso_config(_sso_entries(raw))


def test_an_empty_variable_means_no_providers():
    assert _sso_config(_sso_entries("")) == (
        {"openid_connect": {"APPS": [], "OAUTH_PKCE_ENABLED": True}, "saml": {"APPS": []}},
        [],
    )


def test_no_providers_no_institution_section(db, client):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in with your institution" not in body


def test_the_sign_in_page_lists_the_providers_by_name(db, client, providers):
    providers(OIDC, SAML)
    response = client.get("/accounts/login/")
    body = response.content.decode()
    assert "Sign in with your institution" in body
    assert '<a class="button secondary" href="/accounts/oidc/gov/login/?process=login">' in body
    assert ">Government ID</a>" in body
    assert (
        '<a class="button secondary" href="/accounts/saml/ministry/login/?process=login">' in body
    )
    assert ">Ministry SAML</a>" in body
    # The form that starts a sign-in redirects to the provider: the policy must allow it.
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self' https://id.example.gov https://idp.example.org" in policy


def test_the_sign_in_list_is_translated(db, providers):
    providers(OIDC)
    body = Client(headers={"accept-language": "ru"}).get("/accounts/login/").content.decode()
    assert "Войти через свою организацию" in body


def test_starting_an_oidc_sign_in_is_a_post_not_a_link(db, client, providers):
    providers(OIDC)
    response = client.get("/accounts/oidc/gov/login/?process=login")
    assert response.status_code == HTTPStatus.OK  # a confirmation page with a form
    assert b'method="post"' in response.content


@pytest.fixture
def site_client(settings):
    """A client on a real-looking host: SAML refuses single-label hosts such as "testserver"."""
    settings.ALLOWED_HOSTS = ["cop.example.org"]
    return Client(HTTP_HOST="cop.example.org")


def test_saml_metadata_describes_this_site_as_the_service_provider(db, site_client, providers):
    providers(SAML)
    response = site_client.get("/accounts/saml/ministry/metadata/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert 'entityID="http://cop.example.org/accounts/saml/ministry/metadata/"' in body
    assert 'Location="http://cop.example.org/accounts/saml/ministry/acs/"' in body


def test_saml_sign_in_sends_the_browser_to_the_identity_provider(db, site_client, providers):
    providers(SAML)
    response = site_client.post("/accounts/saml/ministry/login/")
    assert response.status_code == HTTPStatus.FOUND
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == SAML["idp"]["sso_url"]
    assert "SAMLRequest" in parse_qs(target.query)


def test_an_unknown_saml_organisation_is_not_found(db, site_client, providers):
    providers(SAML)
    assert site_client.get("/accounts/saml/nobody/metadata/").status_code == HTTPStatus.NOT_FOUND


def test_a_forged_oidc_answer_is_refused_with_a_translated_way_back(db, providers):
    providers(OIDC)
    client = Client(headers={"accept-language": "kk"})
    response = client.get("/accounts/oidc/gov/login/callback/?code=x&state=forged")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    body = response.content.decode()
    assert 'href="/accounts/login/"' in body
    assert "Кіруге оралу" in body  # "Back to sign-in"


def test_a_signed_in_person_can_link_their_institution_from_their_profile(
    make_user, login, providers
):
    person = make_user("aigerim")
    client = login(person)
    profile = client.get(f"/members/{person.username}/").content.decode()
    assert "Institution sign-in" not in profile  # no providers: no link
    providers(OIDC)
    profile = client.get(f"/members/{person.username}/").content.decode()
    assert 'href="/accounts/3rdparty/">Institution sign-in</a>' in profile
    page = client.get("/accounts/3rdparty/")
    assert page.status_code == HTTPStatus.OK
    assert "Government ID" in page.content.decode()


# --- A grave step asks institution-only people to sign in at their provider again ----------


@pytest.fixture
def institution_only(make_user):
    """Someone who joined through their institution: no password, no second factor."""
    person = make_user("sso_only")
    person.set_unusable_password()
    person.save(update_fields=["password"])
    SocialAccount.objects.create(user=person, provider="gov", uid="sub-1")
    return person


def _signed_in(person, *, seconds_ago: float) -> Client:
    client = Client()
    client.force_login(person)
    session = client.session
    # What allauth records at a sign-in (allauth.account.internal.flows.login).
    session["account_authentication_methods_user"] = str(person.pk)
    session["account_authentication_methods"] = [
        {"method": "socialaccount", "at": time.time() - seconds_ago, "provider": "gov"}
    ]
    session.save()
    return client


def test_an_old_sign_in_is_sent_to_the_provider_before_deleting(institution_only, providers):
    providers(OIDC)
    client = _signed_in(institution_only, seconds_ago=3600)
    response = client.get("/profile/delete/")
    assert response.status_code == HTTPStatus.FOUND
    target = urlsplit(response["Location"])
    assert target.path == "/accounts/oidc/gov/login/"
    assert parse_qs(target.query) == {"process": ["login"], "next": ["/profile/delete/"]}
    # A POST is refused the same way: nothing is scheduled.
    response = client.post("/profile/delete/", {"content": "keep"})
    assert response.status_code == HTTPStatus.FOUND
    institution_only.refresh_from_db()
    assert institution_only.is_active
    assert "/accounts/oidc/gov/login/" in response["Location"]
    assert getattr(institution_only, "deletion_requested_at", None) is None


def test_a_recent_sign_in_at_the_provider_is_enough(institution_only, providers):
    providers(OIDC)
    client = _signed_in(institution_only, seconds_ago=10)
    response = client.get("/profile/delete/")
    assert response.status_code == HTTPStatus.OK
    assert b"<form" in response.content


def test_people_with_a_password_are_asked_for_it_by_allauth_as_before(make_user, providers):
    providers(OIDC)
    person = make_user("with_password")
    SocialAccount.objects.create(user=person, provider="gov", uid="sub-2")
    client = _signed_in(person, seconds_ago=3600)
    response = client.get("/profile/delete/")
    # allow_get: the page shows; the POST goes through allauth's password check.
    assert response.status_code == HTTPStatus.OK
    response = client.post("/profile/delete/", {"content": "keep"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/reauthenticate/")


# --- The single sign-on pages are as accessible and script-free as every other page ----------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_sso_pages_have_one_h1_a_main_labelled_fields_and_no_inline_code(
    make_user, providers, lang
):
    from tests.htmltree import parse
    from tests.project.test_accessibility import csp_problems, structure_problems

    providers(OIDC, SAML)
    anonymous = Client(headers={"accept-language": lang})
    member = Client(headers={"accept-language": lang})
    member.force_login(make_user("linked"))
    pages = {
        "/accounts/login/": anonymous,
        "/accounts/signup/": anonymous,
        "/accounts/oidc/gov/login/?process=login": anonymous,
        "/accounts/oidc/gov/login/callback/?code=x&state=forged": anonymous,
        "/accounts/3rdparty/login/cancelled/": anonymous,
        "/accounts/3rdparty/": member,
    }
    problems = []
    for path, client in pages.items():
        response = client.get(path)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.UNAUTHORIZED), path
        page = parse(response.content)
        assert page.one("html").attrs.get("lang") == lang, path
        problems += [f"{path}: {p}" for p in structure_problems(page) + csp_problems(page)]
    assert not problems, "\n".join(problems)
