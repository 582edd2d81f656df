"""GET /healthz: is the database reachable, is the channel layer reachable (for health checks)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from http import HTTPStatus

import pytest
from channels.layers import get_channel_layer
from django.db import OperationalError
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.worker import heartbeat, worker_id
from project import views
from tests.conftest import free_port


def test_healthz_is_ok_when_database_channel_layer_and_worker_answer(client, db):
    heartbeat(worker_id(), started=timezone.now())
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "worker": "ok",
    }
    # A health check must never be answered from a cache.
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("seen_ago", "state"),
    [(None, "missing"), (timedelta(minutes=5), "stale"), (timedelta(seconds=10), "ok")],
)
def test_a_quiet_worker_is_reported_but_only_fails_the_check_that_requires_it(
    client, db, seen_ago, state
):
    if seen_ago is not None:
        WorkerHeartbeat.objects.create(
            worker_id="elsewhere:1", started=timezone.now(), seen=timezone.now() - seen_ago
        )
    response = client.get("/healthz")
    # The web process stays in its proxy's rotation whatever the worker does.
    assert response.status_code == HTTPStatus.OK
    assert response.json()["worker"] == state
    assert response.json()["status"] == ("ok" if state == "ok" else "degraded")
    required = client.get("/healthz", {"require": "worker"})
    expected = HTTPStatus.OK if state == "ok" else HTTPStatus.SERVICE_UNAVAILABLE
    assert required.status_code == expected


def test_healthz_only_answers_get(client, db):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    def unreachable() -> None:
        # Stands for the database server being gone (the outside world).
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views, "_ping_database", unreachable)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "down",
        "database": "down",
        "channel_layer": "ok",
        "worker": "unknown",
    }


@pytest.fixture
def dead_redis_layer(settings):
    """A channels-redis layer pointing at a port where nothing listens."""

    def configure(backend: str) -> None:
        address = f"redis://127.0.0.1:{free_port()}/0"
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": backend,
                "CONFIG": {
                    "hosts": [
                        {"address": address, "socket_connect_timeout": 1, "socket_timeout": 1}
                    ],
                    "prefix": "cop-healthz-test",
                },
            }
        }

    return configure


@pytest.mark.parametrize(
    "backend",
    ["channels_redis.core.RedisChannelLayer", "channels_redis.pubsub.RedisPubSubChannelLayer"],
)
def test_healthz_is_503_when_the_channel_layer_is_down(client, db, dead_redis_layer, backend):
    dead_redis_layer(backend)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "down",
        "database": "ok",
        "channel_layer": "down",
        "worker": "unknown",
    }


def test_healthz_reports_both_when_both_are_down(client, db, dead_redis_layer, monkeypatch):
    dead_redis_layer("channels_redis.core.RedisChannelLayer")
    monkeypatch.setattr(views, "_ping_database", lambda: 1 / 0)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "down",
        "database": "down",
        "channel_layer": "down",
        "worker": "unknown",
    }


def test_healthz_is_exempt_from_the_https_redirect(client, db, settings):
    # The container runtime probes plain HTTP from inside; every other page is redirected.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == HTTPStatus.OK
    redirected = client.get("/members/")
    assert redirected.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert redirected.headers["Location"] == "https://testserver/members/"


def test_a_hanging_database_is_down_rather_than_a_hanging_health_check(client, db, monkeypatch):
    released = threading.Event()

    def hangs() -> None:
        # Stands for a database server that accepts but does not answer. (The test client
        # returns only when the request's threads are done, so the hang is short here.)
        released.wait(2 * views.HEALTH_TIMEOUT)

    monkeypatch.setattr(views, "_ping_database", hangs)
    monkeypatch.setattr(views, "HEALTH_TIMEOUT", 1.0)
    try:
        response = client.get("/healthz")
    finally:
        released.set()

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "down",
        "database": "down",
        "channel_layer": "ok",
        "worker": "unknown",
    }


async def test_probes_reuse_one_reply_channel(db):
    # A new channel per probe would leave a subscription behind each time (pub/sub layer).
    for _ in range(3):
        await asyncio.wait_for(views._ping_channel_layer(), timeout=5)
    layer = get_channel_layer()
    known = views._health_channels[asyncio.get_running_loop()]
    assert list(known) == [id(layer)]
    assert known[id(layer)].layer is layer


async def test_a_stale_ping_from_an_earlier_probe_is_skipped(db):
    layer = get_channel_layer()
    channel = (await views._health_probe(layer)).channel
    await layer.send(channel, {"type": "healthz.ping", "token": "left over"})

    await asyncio.wait_for(views._ping_channel_layer(), timeout=5)

    # The probe read past the stale ping to its own, and nothing is left for the next probe. A
    # probe that did nothing would leave the stale ping behind; one that took the first message
    # for its answer would leave its own.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=0.3)


async def test_a_ping_answers_only_to_its_own_token(db, monkeypatch):
    layer = get_channel_layer()
    channel = (await views._health_probe(layer)).channel
    await layer.send(channel, {"type": "healthz.ping", "token": "left over"})

    async def lost(channel, message):  # the layer drops the probe's own ping
        return None

    monkeypatch.setattr(layer, "send", lost)

    # The stale ping is no answer: the probe keeps waiting (and healthz times it out as down).
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(views._ping_channel_layer(), timeout=0.5)
    # The timed-out probe left its receive waiting (not cancelled): the next probe uses it.
    monkeypatch.undo()
    await asyncio.wait_for(views._ping_channel_layer(), timeout=5)
