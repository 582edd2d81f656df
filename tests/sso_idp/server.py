"""Start and stop the test identity provider (a subprocess on a free port)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CLIENT_ID = "cop-platform"
SECRET = "cop-platform-secret"
PASSWORD = "provider-password-1"
# How the platform is configured to use this provider: (id, name, extra settings).
PROVIDERS = [
    ("testidp", "Test Ministry ID", {}),
    ("badscope", "Misconfigured ID", {"scope": ["openid", "email", "no-such-scope"]}),
]
# The people the provider knows; "unverified" gets email_verified=false (validator.py).
PEOPLE = [
    {"username": "aigerim", "email": "aigerim@gov.example", "first_name": "Aigerim",
     "last_name": "Nurlanovna", "password": PASSWORD},
    {"username": "unverified", "email": "taken@example.org", "first_name": "Mallory",
     "last_name": "", "password": PASSWORD},
]  # fmt: skip


@dataclass
class IdentityProvider:
    url: str
    process: subprocess.Popen
    log: Path

    def sso_providers(self) -> str:
        """The SSO_PROVIDERS value that points the platform at this provider: once as it
        should be ("testidp"), once asking for a scope the provider does not know
        ("badscope": it answers with an error, as a misconfigured or failing provider does)."""
        return json.dumps(
            [
                {
                    "id": provider_id,
                    "name": name,
                    "server_url": f"{self.url}/o",
                    "client_id": f"{CLIENT_ID}-{provider_id}",
                    "secret": SECRET,
                    **extra,
                }
                for provider_id, name, extra in PROVIDERS
            ]
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def start(tmp_path: Path, *, port: int, site_url: str) -> IdentityProvider:
    """Create the provider's database, its people and one client application per entry of
    PROVIDERS (redirecting to ``site_url``), then serve it on ``port``."""
    url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "tests.sso_idp.settings",
        "IDP_DB": str(tmp_path / "idp.sqlite3"),
        "IDP_RSA_KEY": _private_key(),
        "IDP_URL": f"{url}/o",
        "PYTHONUNBUFFERED": "1",
    }
    clients = [
        {
            "client_id": f"{CLIENT_ID}-{provider_id}",
            "secret": SECRET,
            "redirect_uri": f"{site_url}/accounts/oidc/{provider_id}/login/callback/",
        }
        for provider_id, _name, _extra in PROVIDERS
    ]
    subprocess.run(
        [sys.executable, "-m", "tests.sso_idp.setup", json.dumps(PEOPLE), json.dumps(clients)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    log = tmp_path / "idp.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    provider = IdentityProvider(url=url, process=process, log=log)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"identity provider exited early:\n{provider.output()}")
        try:
            config = f"{url}/o/.well-known/openid-configuration"
            with urllib.request.urlopen(config, timeout=2) as response:
                if response.status == 200:
                    return provider
        except OSError:
            time.sleep(0.2)
    stop(provider)
    raise RuntimeError(f"identity provider did not start:\n{provider.output()}")


def stop(provider: IdentityProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait(timeout=10)
