"""The real server (``manage.py serve``: daphne) with real WebSocket clients (``websockets``).

Each test starts its own server on the test database, and the Redis test its own Redis, so they
run the same way in both CI configurations.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import time

import pytest
import redis
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from forums.models import ChatMessage
from tests.conftest import free_port, start_server, stop_server

from .conftest import session_cookie

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

PATH = "/ws/chat/one-stop-shop/general/"
# The flood limit is for people; these clients send hundreds of messages on purpose.
NO_FLOOD = {"CHAT_FLOOD_MESSAGES": "100000"}


@pytest.fixture
def chat_server(transactional_db, tmp_path):
    server = start_server(tmp_path, extra_env=NO_FLOOD)
    yield server
    stop_server(server)


async def open_chat(server, session_key: str):
    return await ws_connect(
        server.ws_url + PATH,
        origin=server.url,
        additional_headers={"Cookie": f"sessionid={session_key}"},
        open_timeout=10,
        max_size=None,
    )


async def next_frame(ws, kind: str, wait: float = 10) -> dict:
    """The next frame of this type (presence, typing and pong frames are skipped)."""
    async with asyncio.timeout(wait):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == kind:
                return frame
            assert frame["type"] in {"presence", "typing", "pong"}, frame


def test_a_client_that_was_away_gets_all_200_missed_messages_once_in_order(
    chat_server, room, alice, bob
):
    keys = {"alice": session_cookie(alice), "bob": session_cookie(bob)}

    async def scenario():
        a = await open_chat(chat_server, keys["alice"])
        b = await open_chat(chat_server, keys["bob"])
        await a.send(json.dumps({"type": "send", "body": "Сау болыңыз!", "client_id": "bye"}))
        assert (await next_frame(a, "message"))["seq"] == 1
        assert (await next_frame(b, "message"))["seq"] == 1
        await a.close()  # alice goes into a tunnel

        for n in range(200):
            frame = {"type": "send", "body": f"Хабар {n}", "client_id": f"b{n}"}
            await b.send(json.dumps(frame))
        acks = [await next_frame(b, "message") for _ in range(200)]
        assert [ack["seq"] for ack in acks] == list(range(2, 202))
        await b.close()

        a = await open_chat(chat_server, keys["alice"])
        await a.send(json.dumps({"type": "sync", "after": 1}))
        replay = [await next_frame(a, "message") for _ in range(200)]
        with pytest.raises(TimeoutError):  # and nothing after them: each exactly once
            await next_frame(a, "message", wait=1)
        await a.close()
        return replay

    replay = asyncio.run(scenario())

    assert [f["seq"] for f in replay] == list(range(2, 202)), chat_server.output()[-2000:]
    assert [f["html"] for f in replay] == [f"<p>Хабар {n}</p>\n" for n in range(200)]
    assert {f["author"]["username"] for f in replay} == {"bob"}
    assert ChatMessage.objects.filter(room=room).count() == 201


def test_daphne_drops_a_connection_on_a_huge_frame_and_the_consumer_answers_a_large_one(
    chat_server, room, alice
):
    key = session_cookie(alice)

    async def scenario():
        ws = await open_chat(chat_server, key)
        await ws.send(json.dumps({"type": "send", "body": "x" * 40_000, "client_id": "big"}))
        refused = await next_frame(ws, "error")  # above the consumer's limit: an error frame
        await ws.send(json.dumps({"type": "send", "body": "still open", "client_id": "ok"}))
        accepted = await next_frame(ws, "message")

        # Above daphne's limit (manage.py serve: 64 KiB) the frame never reaches the
        # application: the protocol layer drops the connection.
        await ws.send("y" * 200_000)
        with pytest.raises(ConnectionClosedError) as dropped:
            await next_frame(ws, "error")

        again = await open_chat(chat_server, key)
        await again.send(json.dumps({"type": "send", "body": "back again", "client_id": "re"}))
        back = await next_frame(again, "message")
        await again.close()
        return refused, accepted, dropped.value, back

    refused, accepted, dropped, back = asyncio.run(scenario())
    assert refused["code"] == "too_large"
    assert accepted["seq"] == 1
    assert dropped.rcvd is None  # no close frame: not the consumer's doing
    assert back["seq"] == 2
    assert list(ChatMessage.objects.order_by("seq").values_list("body", flat=True)) == [
        "still open",
        "back again",
    ]


# --- Redis restarting in the middle of a conversation ---------------------------------------------


class PrivateRedis:
    """A throwaway redis-server on a free port, no persistence: stopping it loses everything."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.log = tmp_path / f"redis-{self.port}.log"
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class Member:
    """A client that follows docs/realtime.md: reconnects with backoff, syncs after the last
    seq it holds, resends what was not acknowledged (same client_id), drops duplicates by seq,
    and pings so that a lost doorbell is noticed."""

    def __init__(self, server, username: str, session_key: str):
        self.server = server
        self.username = username
        self.session_key = session_key
        self.seen: dict[int, str] = {}
        self.outbox: dict[str, str] = {}
        self.connections = 0
        self.ws = None
        self.stop = asyncio.Event()

    def held(self) -> int:
        """The last seq up to which this client has every message."""
        seq = 0
        while seq + 1 in self.seen:
            seq += 1
        return seq

    async def run(self) -> None:
        delay = 0.1
        while not self.stop.is_set():
            try:
                ws = await open_chat(self.server, self.session_key)
            except (OSError, ConnectionClosed, TimeoutError, Exception):  # server busy: retry
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2)
                continue
            delay = 0.1
            self.ws = ws
            self.connections += 1
            pinger = asyncio.create_task(self._ping(ws))
            try:
                await ws.send(json.dumps({"type": "sync", "after": self.held()}))
                for client_id, body in list(self.outbox.items()):
                    await ws.send(
                        json.dumps({"type": "send", "body": body, "client_id": client_id})
                    )
                async for raw in ws:
                    self._receive(json.loads(raw))
            except ConnectionClosed:
                pass
            finally:
                self.ws = None
                pinger.cancel()

    def _receive(self, frame: dict) -> None:
        if frame["type"] == "message":
            self.seen[frame["seq"]] = frame["html"]
            if frame["author"]["username"] == self.username:
                self.outbox.pop(frame["client_id"], None)
        elif frame["type"] == "resync":
            raise AssertionError("no client here is 500 messages behind")
        elif frame["type"] == "error":
            raise AssertionError(f"refused: {frame}")

    async def _ping(self, ws) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.sleep(0.5)
                await ws.send(json.dumps({"type": "ping"}))

    async def say(self, body: str, client_id: str) -> None:
        self.outbox[client_id] = body
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(
                    json.dumps({"type": "send", "body": body, "client_id": client_id})
                )


def test_every_client_ends_with_every_message_when_redis_restarts_mid_conversation(
    transactional_db, tmp_path, room, alice, bob, moderator, private_redis
):
    server = start_server(
        tmp_path,
        extra_env={**NO_FLOOD, "REDIS_URL": private_redis.url, "REDIS_PREFIX": "cop-restart"},
    )
    people = [
        Member(server, user.username, session_cookie(user)) for user in (alice, bob, moderator)
    ]

    async def until(condition, what: str, wait: float = 60) -> None:
        deadline = time.monotonic() + wait
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.05)

    async def round_of_talk(label: str) -> None:
        for n in range(5):
            for member in people:
                await member.say(f"{member.username} {label} {n}", f"{label}-{n}")
            await asyncio.sleep(0.02)

    async def scenario() -> int:
        tasks = [asyncio.create_task(member.run()) for member in people]
        await until(lambda: all(m.ws is not None for m in people), "everyone connected")
        await round_of_talk("before")
        await until(lambda: all(m.held() == 15 for m in people), "the first 15 messages")

        private_redis.stop()  # Redis goes away mid-conversation...
        await people[0].ws.close()  # ...and one client's network blinks at the same time
        await round_of_talk("during")
        await asyncio.sleep(1)
        private_redis.start()  # ...and comes back empty
        await round_of_talk("after")

        await until(lambda: all(not m.outbox for m in people), "every message acknowledged")
        total = len(people) * 15
        await until(lambda: all(m.held() == total for m in people), "every client has all")
        for member in people:
            member.stop.set()
            if member.ws is not None:
                await member.ws.close()
        await asyncio.gather(*tasks)
        return total

    try:
        total = asyncio.run(scenario())
    except AssertionError:
        raise AssertionError(server.output()[-4000:]) from None
    finally:
        stop_server(server)

    stored = list(ChatMessage.objects.filter(room=room).order_by("seq").values_list("seq", "body"))
    assert [seq for seq, _body in stored] == list(range(1, total + 1))
    expected = sorted(
        f"{m.username} {label} {n}"
        for m in people
        for label in ("before", "during", "after")
        for n in range(5)
    )
    assert sorted(body for _seq, body in stored) == expected
    assert people[0].connections >= 2  # it reconnected (and synced) after the blink
    for member in people:
        assert sorted(member.seen) == list(range(1, total + 1))
        assert sorted(member.seen.values()) == sorted(f"<p>{body}</p>\n" for body in expected)
