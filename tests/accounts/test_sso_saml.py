"""SAML 2.0 through allauth and python3-saml, end to end without a browser: the test plays
the identity provider with its own key and certificate, answers the real AuthnRequest the
site sends with a signed Response, and posts it to the site's ACS as a browser would. The
signature, audience, destination, InResponseTo and times are all checked by the real library;
nothing is mocked."""

from __future__ import annotations

import base64
import datetime
import re
import zlib
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib.auth import get_user_model
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from project.settings import _sso_config

SITE = "http://cop.example.org"
ACS = f"{SITE}/accounts/saml/ministry/acs/"
SP_ENTITY = f"{SITE}/accounts/saml/ministry/metadata/"
IDP_ENTITY = "https://idp.example.org/saml"


@pytest.fixture(scope="module")
def idp_keys() -> tuple[str, str]:
    """The identity provider's private key and certificate (PEM), made for this run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def saml_site(settings, idp_keys):
    """The site configured with one SAML provider, as SSO_PROVIDERS would, and a client on a
    real-looking host (SAML refuses single-label hosts such as "testserver")."""
    _key, cert = idp_keys
    settings.ALLOWED_HOSTS = ["cop.example.org"]
    settings.SOCIALACCOUNT_PROVIDERS, _origins = _sso_config(
        [
            {
                "type": "saml",
                "id": "ministry",
                "name": "Ministry SAML",
                "idp": {
                    "entity_id": IDP_ENTITY,
                    "sso_url": "https://idp.example.org/saml/sso",
                    "x509cert": cert,
                },
                "attribute_mapping": {
                    "uid": "urn:oasis:names:tc:SAML:attribute:subject-id",
                    "email": "urn:oid:0.9.2342.19200300.100.1.3",
                    "email_verified": "email_verified",
                    "first_name": "urn:oid:2.5.4.42",
                    "last_name": "urn:oid:2.5.4.4",
                },
            }
        ]
    )
    return Client(HTTP_HOST="cop.example.org")


def _request_id(client: Client) -> str:
    """Start a sign-in; the ID of the AuthnRequest the site sends to the provider."""
    response = client.post("/accounts/saml/ministry/login/")
    assert response.status_code == HTTPStatus.FOUND
    query = parse_qs(urlsplit(response["Location"]).query)
    request = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    return re.search(r' ID="([^"]+)"', request).group(1)


def _response(idp_keys, *, in_response_to: str, email: str, verified: bool, uid="u-42") -> str:
    """A signed SAML Response for ``email``, as the provider would post it (base64)."""
    key, cert = idp_keys
    now = datetime.datetime.now(datetime.UTC)

    def instant(delta: int = 0) -> str:
        return (now + datetime.timedelta(minutes=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def attribute(name: str, value: str) -> str:
        return (
            f'<saml:Attribute Name="{name}"><saml:AttributeValue>{value}'
            "</saml:AttributeValue></saml:Attribute>"
        )

    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_response1" Version="2.0" '
        f'IssueInstant="{instant()}" Destination="{ACS}" InResponseTo="{in_response_to}">'
        f"<saml:Issuer>{IDP_ENTITY}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        "</samlp:Status>"
        f'<saml:Assertion ID="_assertion1" Version="2.0" IssueInstant="{instant()}">'
        f"<saml:Issuer>{IDP_ENTITY}</saml:Issuer>"
        "<saml:Subject>"
        '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">'
        f"{uid}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{instant(5)}" Recipient="{ACS}" '
        f'InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotBefore="{instant(-1)}" NotOnOrAfter="{instant(5)}">'
        f"<saml:AudienceRestriction><saml:Audience>{SP_ENTITY}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{instant()}" SessionIndex="_session1">'
        "<saml:AuthnContext><saml:AuthnContextClassRef>"
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        "<saml:AttributeStatement>"
        + attribute("urn:oasis:names:tc:SAML:attribute:subject-id", uid)
        + attribute("urn:oid:0.9.2342.19200300.100.1.3", email)
        + attribute("email_verified", "true" if verified else "false")
        + attribute("urn:oid:2.5.4.42", "Dana")
        + attribute("urn:oid:2.5.4.4", "Seitkali")
        + "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )
    signed = OneLogin_Saml2_Utils.add_sign(xml, key, cert)
    if isinstance(signed, bytes):
        signed = signed.decode()
    return base64.b64encode(signed.encode()).decode()


def _post_to_acs(client: Client, saml_response: str):
    """What the browser does with the provider's answer: post it, follow to the finish."""
    response = client.post("/accounts/saml/ministry/acs/", {"SAMLResponse": saml_response})
    assert response.status_code == HTTPStatus.FOUND
    return client.get(response["Location"])


def test_a_signed_answer_creates_a_verified_account_and_signs_in(db, saml_site, idp_keys):
    request_id = _request_id(saml_site)
    answer = _response(
        idp_keys, in_response_to=request_id, email="dana@ministry.example", verified=True
    )
    response = _post_to_acs(saml_site, answer)
    assert response.status_code == HTTPStatus.FOUND
    person = get_user_model().objects.get(email="dana@ministry.example")
    assert person.display_name == "Dana Seitkali"
    assert person.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=person).provider == "ministry"
    assert saml_site.get("/profile/").status_code == HTTPStatus.OK  # signed in


def test_a_verified_address_signs_in_to_the_existing_account(db, saml_site, idp_keys, make_user):
    existing = make_user("dana", email="dana@ministry.example")
    answer = _response(
        idp_keys,
        in_response_to=_request_id(saml_site),
        email="dana@ministry.example",
        verified=True,
    )
    _post_to_acs(saml_site, answer)
    assert SocialAccount.objects.get(provider="ministry").user == existing
    assert get_user_model().objects.filter(email="dana@ministry.example").count() == 1


def test_an_unverified_address_does_not_sign_in_to_the_account_that_has_it(
    db, saml_site, idp_keys, make_user
):
    existing = make_user("dana", email="dana@ministry.example")
    answer = _response(
        idp_keys,
        in_response_to=_request_id(saml_site),
        email="dana@ministry.example",
        verified=False,
    )
    response = _post_to_acs(saml_site, answer)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert not SocialAccount.objects.filter(user=existing).exists()
    page = saml_site.get(response["Location"]).content.decode()
    assert "Ministry SAML did not confirm that dana@ministry.example is your address" in page


@pytest.mark.parametrize(
    "forge",
    [
        # Someone changes the address after the provider signed the answer.
        lambda xml: xml.replace("dana@ministry.example", "boss@ministry.example"),
        # An answer to a sign-in this browser never started.
        lambda xml: xml.replace('InResponseTo="', 'InResponseTo="x'),
        # Not SAML at all.
        lambda xml: "<html>not a SAML response</html>",
    ],
    ids=["tampered", "unsolicited", "garbage"],
)
def test_a_forged_answer_is_refused_with_a_translated_way_back(db, saml_site, idp_keys, forge):
    answer = _response(
        idp_keys,
        in_response_to=_request_id(saml_site),
        email="dana@ministry.example",
        verified=True,
    )
    forged = base64.b64encode(forge(base64.b64decode(answer).decode()).encode()).decode()
    saml_site.cookies.load({"django_language": "ru"})
    response = _post_to_acs(saml_site, forged)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    body = response.content.decode()
    assert "Не удалось войти через вашу организацию" in body
    assert 'href="/accounts/login/"' in body
    assert not get_user_model().objects.exists()


def test_a_broken_answer_is_refused_not_a_server_error(db, saml_site):
    response = _post_to_acs(saml_site, "%%% not base64 %%%")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
