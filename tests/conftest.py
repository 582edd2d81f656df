"""Factories and fixtures shared by all tests.

The suite runs on whatever settings the environment gives: the embedded default (SQLite, the
in-memory channel layer, local-memory cache) or, with DATABASE_URL and REDIS_URL set,
PostgreSQL, channels-redis and the Redis cache. Nothing here mocks either.
"""

from __future__ import annotations

import gettext as gettext_module
import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from asgiref.local import Local
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils.translation import trans_real

from core.models import Community, Membership

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    # Playwright's sync API leaves its event loop running in the main thread; async tests
    # after it would fail to start theirs. Browser tests therefore run last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 at full strength is most of the suite's time; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit and flood counters must not leak from one test into the next."""
    _clear_cache()
    yield
    _clear_cache()


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(params=["warm cache", "no cache"])
def cache_state(request, settings):
    """Run the test with the cache (warmed by what it reads) and with none at all: pages cached
    under versions must be right either way."""
    if request.param == "no cache":
        settings.CACHES = NO_CACHE
    return request.param


def _clear_cache() -> None:
    if settings.REDIS_URL:
        client = cache._cache.get_client(None, write=True)
        for key in client.scan_iter(f"{settings.REDIS_PREFIX}:cache*"):
            client.delete(key)
    else:
        cache.clear()


def ensure_base_data() -> None:
    """What the data migrations create: the four communities, their "general" rooms and the
    expertise areas. Transactional tests flush every table, so they are put back here."""
    from importlib import import_module

    from django.apps import apps

    for module in (
        "core.migrations.0002_communities",
        "forums.migrations.0002_general_rooms",
        "accounts.migrations.0003_expertise_areas",
    ):
        import_module(module).create(apps, None)


@pytest.fixture
def communities(db) -> dict[str, Community]:
    """The four communities (migration cop/0002), each with its "general" chat room."""
    ensure_base_data()
    return {c.slug: c for c in Community.objects.order_by("position")}


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, *, staff: bool = False, **fields):
        number = next(_counter)
        username = username or f"user{number}"
        user = get_user_model().objects.create_user(
            username=username,
            email=fields.pop("email", f"{username}@example.org"),
            password=PASSWORD,
            is_staff=staff,
            **fields,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def make_member(make_user):
    def make(community: Community, username: str | None = None, role: str = "member", **fields):
        user = make_user(username, **fields)
        Membership.objects.create(user=user, community=community, role=role)
        return user

    return make


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def translations():
    """Give a few messages a translation for the duration of a test, so a test can prove a
    message goes through gettext in the reader's language without depending on the
    translator's wording."""

    def add(language: str, messages: dict[str, str]) -> None:
        catalog = trans_real.translation(language)._catalog
        for msgid, msgstr in messages.items():
            catalog[msgid] = msgstr

    yield add
    # Drop every loaded catalogue (as Django does when a .mo file changes).
    gettext_module._translations = {}
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


@pytest.fixture
def no_flood_limit(settings):
    settings.CHAT_FLOOD_MESSAGES = 100_000


# --- The real server ------------------------------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_tests() -> str:
    """DATABASE_URL pointing at the test database of this run, for a server subprocess."""
    from django.db import connection

    cfg = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{cfg['NAME']}"
    auth = cfg["USER"] or ""
    if cfg.get("PASSWORD"):
        auth += f":{cfg['PASSWORD']}"
    host = f"{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{cfg['NAME']}"


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(
    tmp_path: Path,
    *,
    extra_env: dict | None = None,
    port: int | None = None,
    proxy_headers: bool = False,
) -> Server:
    """``manage.py serve`` (daphne) in a subprocess, on the test database; waits for /healthz."""
    port = port or free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_tests(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "True",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log = tmp_path / f"server-{port}.log"
    options = ["--proxy-headers"] if proxy_headers else []
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), *options],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    server = Server(url=f"http://127.0.0.1:{port}", port=port, process=process, log=log)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"server did not become healthy:\n{server.output()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def live_daphne(transactional_db, tmp_path):
    """The real server (daphne, HTTP + WebSockets) on this test's committed data.

    Depends on transactional_db so that what the test writes is committed and visible to the
    server process; the server stops before the database is flushed."""
    server = start_server(tmp_path)
    yield server
    stop_server(server)
