"""An engine goes away and comes back: the web process stays up, /healthz says what is wrong,
pages still answer, nothing written before or during the fault is lost, and the clients catch
up when the engine is back. PostgreSQL + Redis leg (a Redis of the test's own, on its own port)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from websockets.asyncio.client import connect as ws_connect

from forums.models import ChatMessage
from tests.chat.conftest import session_cookie
from tests.conftest import free_port, start_server, stop_server
from tests.deploy.conftest import _skip_or_fail

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]

PATH = "/ws/chat/one-stop-shop/general/"
OUTAGE_SECONDS = 30


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG":  # fmt: skip
            return process
        time.sleep(0.1)
    raise RuntimeError("redis did not start")


def health(server) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def open_chat(server, key):
    return await ws_connect(
        server.ws_url + PATH,
        origin=server.url,
        additional_headers={"Cookie": f"sessionid={key}"},
        open_timeout=10,
    )


async def messages(ws, wait: float = 10) -> list[dict]:
    """Message frames until ``wait`` seconds pass without one."""
    found = []
    while True:
        try:
            async with asyncio.timeout(wait):
                frame = json.loads(await ws.recv())
        except TimeoutError:
            return found
        if frame["type"] == "message":
            found.append(frame)
            wait = min(wait, 2)


def test_redis_away_for_30_seconds(shared_engines, room, alice, bob, tmp_path):
    if not shutil.which("redis-server"):
        _skip_or_fail("redis-server is missing")
    port = free_port()
    redis = start_redis(port)
    server = start_server(
        tmp_path,
        extra_env={"REDIS_URL": f"redis://127.0.0.1:{port}/0", "CHAT_FLOOD_MESSAGES": "1000"},
    )
    keys = session_cookie(alice), session_cookie(bob)
    try:

        async def scenario():
            a = await open_chat(server, keys[0])
            b = await open_chat(server, keys[1])
            await a.send(json.dumps({"type": "send", "body": "before", "client_id": "c1"}))
            before = await messages(b, 10)

            redis.terminate()
            redis.wait(timeout=10)
            down = await asyncio.to_thread(health, server)
            page = await asyncio.to_thread(
                lambda: (
                    urllib.request.urlopen(
                        server.url + "/c/one-stop-shop/threads/", timeout=15
                    ).status
                )
            )
            await a.send(json.dumps({"type": "send", "body": "during", "client_id": "c2"}))
            acked = [f for f in await messages(a, 10) if f.get("client_id") == "c2"]
            await asyncio.sleep(OUTAGE_SECONDS)

            back = await asyncio.to_thread(start_redis, port)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if (await asyncio.to_thread(health, server))[0] == 200:
                    break
                await asyncio.sleep(0.5)
            up = await asyncio.to_thread(health, server)
            # The client that missed the doorbell catches up from the database.
            await b.send(json.dumps({"type": "sync", "after": before[-1]["seq"]}))
            caught_up = await messages(b, 10)
            # And live delivery works again without reconnecting anyone.
            await a.send(json.dumps({"type": "send", "body": "after", "client_id": "c3"}))
            live = await messages(b, 15)
            await a.close()
            await b.close()
            return before, down, page, acked, up, caught_up, live, back

        before, down, page, acked, up, caught_up, live, back = asyncio.run(scenario())
    finally:
        stop_server(server)
        for process in (redis, locals().get("back")):
            if process is not None and process.poll() is None:
                process.terminate()

    assert [f["html"] for f in before] == ["<p>before</p>\n"]
    assert down[0] == 503
    assert down[1]["channel_layer"] != "ok"
    assert down[1]["database"] == "ok"
    assert page == 200  # the cache fails open; pages answer from the database
    assert [f["html"] for f in acked] == ["<p>during</p>\n"]  # stored while Redis was away
    assert up[0] == 200
    assert [f["html"] for f in caught_up] == ["<p>during</p>\n"]
    assert [f["html"] for f in live] == ["<p>after</p>\n"]
    assert list(ChatMessage.objects.order_by("seq").values_list("body", flat=True)) == [
        "before", "during", "after"
    ]  # fmt: skip
    assert server.process.returncode in (0, -15)  # it stayed up until we stopped it
