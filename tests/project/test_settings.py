"""Settings from the environment: production refuses to start without its secrets, passes
``check --deploy``, and pages carry the security headers."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import BASE_DIR

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(60)[:60],
    "ALLOWED_HOSTS": "cop.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py with exactly ``env`` (a clean environment: nothing leaks in from this run)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DEBUG": "False"}, "SECRET_KEY"),
        ({"DEBUG": "False", "ALLOWED_HOSTS": "cop.example.org"}, "SECRET_KEY"),
        ({"DEBUG": "False", "SECRET_KEY": "   ", "ALLOWED_HOSTS": "cop.example.org"}, "SECRET_KEY"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "cop.example.org"}, "SECRET_KEY"),
        ({"DEBUG": "False", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}, "ALLOWED_HOSTS"),
        (
            {"DEBUG": "0", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], "ALLOWED_HOSTS": " , "},
            "ALLOWED_HOSTS",
        ),
    ],
)
def test_check_refuses_production_without_a_required_setting(env, name):
    result = manage("check", env=env)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {name} must be set when DEBUG is off")
    assert "Traceback" not in result.stderr


def test_production_like_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_development_default_passes_check():
    result = manage("check", "--fail-level", "WARNING", env={})
    assert result.returncode == 0, result.stdout + result.stderr


SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The security settings as cop/settings.py computes them for production."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}} | "
        "{'ACCOUNT_EMAIL_VERIFICATION': s.ACCOUNT_EMAIL_VERIFICATION, "
        "'STATICFILES': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "project.settings",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_defaults(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    # Health checks and Prometheus reach each process over plain HTTP on the inside.
    assert production_settings["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$", r"^metrics$"]
    assert production_settings["SECURE_HSTS_SECONDS"] == 31536000
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["LANGUAGE_COOKIE_SECURE"] is True
    assert production_settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Without DEBUG, an e-mail address must be verified before its owner can sign in.
    assert production_settings["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert production_settings["STATICFILES"].startswith("whitenoise.")
    directives = production_settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    # The site's own websocket origin only: not every ws:/wss: host.
    assert directives["connect-src"] == ["'self'", "wss://cop.example.org"]


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_pages_carry_the_security_headers(client, communities):
    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert not any(
        "'unsafe-inline'" in values or "'unsafe-eval'" in values for values in csp.values()
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def production(settings, production_settings):
    """This test process with the production security settings (DEBUG stays as the tests need
    it only for static files; the settings below are what changes with DEBUG off)."""
    for name in SECURITY_SETTINGS:
        value = production_settings[name]
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver", "cop.example.org"]
    return settings


def test_hsts_and_secure_cookies_when_debug_is_off(production, communities, make_user):
    client = Client()

    plain = client.get("/members/")
    assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert plain.headers["Location"] == "https://testserver/members/"
    assert "Strict-Transport-Security" not in plain.headers  # only ever sent over HTTPS

    response = client.get("/", secure=True)
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )

    make_user("aigerim")
    signed_in = client.post(
        "/accounts/login/",
        {"login": "aigerim", "password": "correct-horse-battery-staple"},
        secure=True,
    )
    assert signed_in.status_code == HTTPStatus.FOUND
    session = signed_in.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    # Signing in rotates the CSRF token: a new cookie, secure too.
    assert signed_in.cookies[django_settings.CSRF_COOKIE_NAME]["secure"] is True
    language = client.post("/i18n/setlang/", {"language": "kk", "next": "/"}, secure=True)
    assert language.cookies[django_settings.LANGUAGE_COOKIE_NAME]["secure"] is True


def test_the_tls_proxy_header_counts_as_https(production, communities):
    response = Client().get("/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == HTTPStatus.OK
    assert "Strict-Transport-Security" in response.headers


def test_variables_can_come_from_an_env_file(tmp_path):
    env_file = tmp_path / "production.env"
    env_file.write_text(
        f"DEBUG=False\nSECRET_KEY={PRODUCTION_ENV['SECRET_KEY']}\nALLOWED_HOSTS=cop.example.org\n"
    )
    assert manage("check", env={"ENV_FILE": str(env_file)}).returncode == 0
    # The real environment wins over the file.
    refused = manage("check", env={"ENV_FILE": str(env_file), "ALLOWED_HOSTS": " "})
    assert refused.returncode == 1
    assert "ALLOWED_HOSTS must be set" in refused.stderr
