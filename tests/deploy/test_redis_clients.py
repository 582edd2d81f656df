"""One Redis client per process for the cache: requests under daphne, each in its own async
context, reuse the process's connections instead of opening one each. PostgreSQL + Redis leg
(a Redis of the test's own, so that only this server's connections are counted)."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from forums import services
from tests.conftest import free_port, start_server, stop_server
from tests.deploy.conftest import _skip_or_fail
from tests.deploy.test_faults import start_redis

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]
REQUESTS = 40
CONCURRENCY = 8


def connections_received(port: int) -> int:
    info = subprocess.run(
        ["redis-cli", "-p", str(port), "INFO", "stats"], capture_output=True, text=True, check=True
    ).stdout
    for line in info.splitlines():
        if line.startswith("total_connections_received:"):
            return int(line.split(":")[1])
    raise AssertionError(info)


def test_requests_reuse_the_process_redis_connections(
    shared_engines, communities, make_member, tmp_path
):
    if not shutil.which("redis-server"):
        _skip_or_fail("redis-server is missing")
    community = communities["e-government"]
    author = make_member(community, "author")
    thread = services.thread_create(
        community=community, author=author, title="Queues", body="Opening post.", language="en"
    )
    services.post_reply(thread=thread, author=author, body="A reply.")
    port = free_port()
    redis = start_redis(port)
    server = start_server(tmp_path, extra_env={"REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    try:
        url = server.url + thread.get_absolute_url()
        with urllib.request.urlopen(url, timeout=15) as response:  # warm: cache filled
            assert b"A reply." in response.read()
        before = connections_received(port)

        def read(_n) -> bytes:
            with urllib.request.urlopen(url, timeout=15) as response:
                return response.read()

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:  # concurrent, as under load
            pages = list(pool.map(read, range(REQUESTS)))
        opened = connections_received(port) - before
        assert all(b"A reply." in page for page in pages)
    finally:
        stop_server(server)
        redis.terminate()
        redis.wait(timeout=10)
    # Each request reads the cache; the process's pool serves them all, with at most one
    # connection per request in flight (a client per request context: one per request).
    assert opened <= CONCURRENCY, f"{opened} connections for {REQUESTS} requests"
