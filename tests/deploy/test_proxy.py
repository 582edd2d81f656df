"""nginx (deploy/nginx/cop.conf) in front of two web processes sharing PostgreSQL and Redis:
messages cross processes; a process killed outright loses no message for its clients; a rolling
restart under load loses no request and no message."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.request
from collections import Counter

import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from tests.chat.conftest import session_cookie
from tests.deploy.conftest import insecure, start_web

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]

PATH = "/ws/chat/one-stop-shop/general/"


async def open_chat(url: str, origin: str, key: str, *, tls: bool):
    return await ws_connect(
        url + PATH,
        origin=origin,
        additional_headers={"Cookie": f"sessionid={key}"},
        ssl=insecure() if tls else None,
        open_timeout=10,
        max_size=None,
    )


async def next_message(ws, wait: float = 10) -> dict:
    async with asyncio.timeout(wait):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "message":
                return frame


class Reader:
    """A chat client through the proxy that reconnects whenever its socket ends and catches
    up with ``sync``; it records every message frame it is given."""

    def __init__(self, proxy, key: str):
        self.proxy, self.key = proxy, key
        self.seqs: list[int] = []
        self.closes: list[int | None] = []
        self.connections = 0

    @property
    def last(self) -> int:
        return max(self.seqs, default=0)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                ws = await open_chat(self.proxy.ws_url, self.proxy.url, self.key, tls=True)
            except (OSError, TimeoutError, ConnectionClosed):
                await asyncio.sleep(0.2)
                continue
            self.connections += 1
            try:
                await ws.send(json.dumps({"type": "sync", "after": self.last}))
                while not stop.is_set():
                    try:
                        async with asyncio.timeout(0.5):
                            frame = json.loads(await ws.recv())
                    except TimeoutError:
                        continue
                    if frame["type"] == "message":
                        self.seqs.append(frame["seq"])
            except ConnectionClosed as closed:
                self.closes.append(closed.rcvd.code if closed.rcvd else None)
            finally:
                await ws.close()

    async def settle(self, expected: int, wait: float = 20) -> None:
        deadline = time.monotonic() + wait
        while self.last < expected and time.monotonic() < deadline:  # noqa: ASYNC110 - polling
            await asyncio.sleep(0.1)


class Sender:
    """Sends numbered messages through the proxy; after a dropped socket it sends the
    unacknowledged ones again with the same client_id (stored once by the server)."""

    def __init__(self, proxy, key: str, count: int, pause: float):
        self.proxy, self.key, self.count, self.pause = proxy, key, count, pause
        self.acked: dict[str, int] = {}

    async def run(self) -> None:
        pending = [f"m{n}" for n in range(self.count)]
        while pending:
            try:
                ws = await open_chat(self.proxy.ws_url, self.proxy.url, self.key, tls=True)
            except (OSError, TimeoutError, ConnectionClosed):
                await asyncio.sleep(0.2)
                continue
            try:
                while pending:
                    client_id = pending[0]
                    await ws.send(json.dumps({"type": "send", "body": f"Хабар {client_id}",
                                              "client_id": client_id}))  # fmt: skip
                    while True:
                        frame = await next_message(ws)
                        if frame.get("client_id") == client_id:
                            break
                    self.acked[client_id] = frame["seq"]
                    pending.pop(0)
                    await asyncio.sleep(self.pause)
            except (ConnectionClosed, TimeoutError):
                pass
            finally:
                await ws.close()


def test_the_proxy_serves_static_files_uploads_and_request_ids(stack):
    status, body, headers = stack.get("/static/probe.txt")
    assert (status, body) == (200, b"static ok\n")
    status, _body, headers = stack.get("/healthz")
    assert status == 200
    assert len(headers["X-Request-ID"]) >= 8
    request = urllib.request.Request(
        stack.url + "/healthz", headers={"X-Request-ID": "trace-0123456789"}
    )
    with urllib.request.urlopen(request, context=insecure(), timeout=10) as response:
        assert response.headers["X-Request-ID"] == "trace-0123456789"
    assert stack.get("/metrics")[0] == 404  # scraped from each process, never through the proxy
    assert stack.get("/protected-media/anything")[0] == 404  # internal only
    # HTTP on port 80 redirects to https.
    plain = urllib.request.build_opener(NoRedirect).open(
        f"http://127.0.0.1:{stack.http_port}/library/", timeout=5
    )
    assert plain.status == 301


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_301(self, req, fp, code, msg, headers):
        return fp


def test_uploads_are_sent_by_nginx_after_the_application_checked(
    stack, communities, make_user, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from resources import services

    settings.MEDIA_ROOT = str(stack.directory / "media")
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    staff = make_user("librarian", staff=True)
    resource = services.resource_submit(
        actor=staff,
        data={"title": "Case", "summary": "s", "kind": "case", "language": "en", "year": 2024},
        communities=[communities["e-government"]],
        files=[SimpleUploadedFile("case.pdf", pdf, content_type="application/pdf")],
        publish=True,
    )
    item = resource.files.get()
    path = f"/library/{resource.pk}/files/{item.pk}/"
    direct = urllib.request.urlopen(stack.web[0].url + path, timeout=10)
    assert direct.headers["X-Accel-Redirect"].startswith("/protected-media/")
    assert direct.read() == b""  # the process only said yes; nginx sends the bytes
    status, body, headers = stack.get(path)
    assert (status, body) == (200, pdf)
    assert headers["Content-Disposition"].startswith("attachment")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_profile_photos_are_sent_by_nginx_at_the_applications_address(stack, make_user, settings):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(stack.directory / "media")
    jpeg = b"\xff\xd8\xff\xe0" + b"pixels" * 100 + b"\xff\xd9"
    person = make_user("photogenic")
    person.avatar.save("face.jpg", ContentFile(jpeg))
    path = f"/avatars/{person.avatar.name.removeprefix('avatars/')}"

    status, body, headers = stack.get(path)

    assert (status, body) == (200, jpeg)
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert stack.get("/avatars/someone-else.jpg")[0] == 404


def test_a_message_sent_through_one_process_reaches_a_client_on_the_other(stack, room, alice, bob):
    web1, web2 = stack.web
    keys = session_cookie(alice), session_cookie(bob)

    async def scenario():
        a = await open_chat(web1.ws_url, web1.url, keys[0], tls=False)
        b = await open_chat(web2.ws_url, web2.url, keys[1], tls=False)
        c = await open_chat(stack.ws_url, stack.url, keys[1], tls=True)  # through nginx
        await a.send(
            json.dumps({"type": "send", "body": "Сәлем, екінші процесс!", "client_id": "x1"})
        )
        got = [await next_message(ws) for ws in (a, b, c)]
        for ws in (a, b, c):
            await ws.close()
        return got

    got = asyncio.run(scenario())
    assert [f["seq"] for f in got] == [1, 1, 1]
    assert got[1]["html"] == "<p>Сәлем, екінші процесс!</p>\n"


def test_a_process_killed_outright_its_clients_reconnect_and_miss_nothing(
    stack, room, alice, bob, make_member, community
):
    readers_keys = [session_cookie(make_member(community, f"reader{n}")) for n in range(6)]
    sender_key = session_cookie(alice)
    total = 120

    async def scenario():
        stop = asyncio.Event()
        readers = [Reader(stack, key) for key in readers_keys]
        tasks = [asyncio.create_task(r.run(stop)) for r in readers]
        await asyncio.sleep(1.5)  # all connected, spread over both processes
        sender = Sender(stack, sender_key, total, pause=0.02)
        sending = asyncio.create_task(sender.run())
        while len(sender.acked) < total // 3:  # noqa: ASYNC110 - polling the sender
            await asyncio.sleep(0.05)
        os.kill(stack.web[0].process.pid, signal.SIGKILL)  # mid-conversation, no goodbye
        await asyncio.wait_for(sending, 60)
        expected = max(sender.acked.values())
        for reader in readers:
            await reader.settle(expected)
        stop.set()
        await asyncio.gather(*tasks)
        return readers, sender, expected

    readers, sender, expected = asyncio.run(scenario())
    stack.web[0].process.wait(timeout=5)
    assert sorted(sender.acked.values()) == list(range(1, total + 1))
    assert expected == total
    dropped = [r for r in readers if r.connections > 1]
    assert dropped, "no reader was on the killed process"
    for reader in readers:
        counts = Counter(reader.seqs)
        assert sorted(counts) == list(range(1, total + 1)), (
            f"missing: {set(range(1, total + 1)) - set(counts)}"
        )
        assert max(counts.values()) == 1, f"twice: {[s for s, c in counts.items() if c > 1]}"


def test_a_rolling_restart_under_load_loses_no_request_and_no_message(
    stack, room, alice, make_member, community, tmp_path
):
    readers_keys = [session_cookie(make_member(community, f"reader{n}")) for n in range(6)]
    sender_key = session_cookie(alice)
    total = 200
    results: list[int] = []
    stop_http = threading.Event()

    def http_load():
        paths = ["/healthz", "/c/one-stop-shop/threads/", "/library/", "/"]
        n = 0
        while not stop_http.is_set():
            status, _body, _headers = stack.get(paths[n % len(paths)], timeout=30)
            results.append(status)
            n += 1

    load = [threading.Thread(target=http_load) for _ in range(4)]
    for thread in load:
        thread.start()

    stopped: list[str] = []  # each stopped process's log, read when it has exited

    def restart(index: int) -> None:
        server = stack.web[index]
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        stopped.append(server.output())
        stack.web[index] = start_web(
            tmp_path, server.port, stack.directory / "media", stack.https_port
        )

    async def scenario():
        stop = asyncio.Event()
        readers = [Reader(stack, key) for key in readers_keys]
        tasks = [asyncio.create_task(r.run(stop)) for r in readers]
        await asyncio.sleep(1.5)
        sender = Sender(stack, sender_key, total, pause=0.05)
        sending = asyncio.create_task(sender.run())
        loop = asyncio.get_running_loop()
        await asyncio.sleep(1)
        await loop.run_in_executor(None, restart, 0)
        await asyncio.sleep(1)
        await loop.run_in_executor(None, restart, 1)
        await asyncio.wait_for(sending, 120)
        expected = max(sender.acked.values())
        for reader in readers:
            await reader.settle(expected)
        stop.set()
        await asyncio.gather(*tasks)
        return readers, sender, expected

    try:
        readers, sender, expected = asyncio.run(scenario())
    finally:
        stop_http.set()
        for thread in load:
            thread.join(timeout=60)

    statuses = Counter(results)
    assert sum(statuses.values()) > 100, statuses
    assert all(status < 500 for status in statuses), (statuses, stack.error_log()[-3000:])
    proxied = [json.loads(line) for line in stack.access_log()]
    assert not [line for line in proxied if line["status"] >= 500]
    assert sorted(sender.acked.values()) == list(range(1, total + 1))
    assert expected == total
    told = [code for reader in readers for code in reader.closes]
    assert 1012 in told, told  # "service restart": reconnect elsewhere
    for reader in readers:
        counts = Counter(reader.seqs)
        assert sorted(counts) == list(range(1, total + 1))
        assert max(counts.values()) == 1
    # Each process stopped gracefully: sockets told to go, every request answered, exit 0.
    assert len(stopped) == 2
    for log in stopped:
        assert "told to reconnect elsewhere" in log
        assert "every request answered" in log
