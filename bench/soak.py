"""Soak: nginx (deploy/nginx/cop.conf) in front of one web process (``--processes 2`` for the
production pair) on PostgreSQL and Redis, 1,000 websocket clients in 10 chat rooms and a steady
HTTP read load of signed-in members (thread pages, the thread list, the community page), for
10 minutes. Prints the memory of each process at the start, after the first minute and at the
end, messages sent and lost, the p50/p99 of message delivery and of page reads, and the HTTP
errors; the report fails (exit status 1) when a process's memory grew by more than 10 % from
the first minute to the end.

    .venv/bin/python bench/soak.py                      # 10 minutes, 1,000 clients, 1 process
    .venv/bin/python bench/soak.py --seconds 60 --clients 200 --processes 2

Needs Debian's nginx and openssl (as the tests in tests/deploy/ do). Targets 127.0.0.1 only and
stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import ssl
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    env_for,
    free_port,
    fresh_pg_database,
    machine,
    manage,
    percentile,
    signed_in_members,
)

ROOMS = 10
HTTP_READERS_MAX = 16


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


MEMORY_GROWTH_LIMIT = 0.10


def seed(clients: int):
    """Rooms, members with sessions, and a thread of 100 posts to read."""
    from forums.models import ChatRoom
    from forums.services.posts import post_reply
    from forums.services.threads import thread_create

    community, users, cookies = signed_in_members("soak", clients + ROOMS + HTTP_READERS_MAX)
    rooms = [
        ChatRoom.objects.get_or_create(
            community=community, slug=f"soak-{n}", defaults={"name": f"Soak {n}"}
        )[0]
        for n in range(ROOMS)
    ]
    thread = thread_create(
        community=community,
        author=users[0],
        title="Soak reading",
        body="The thread the HTTP load reads.",
        language="en",
    )
    for n in range(100):
        post_reply(thread=thread, author=users[n % 50], body=f"Reply {n}: " + "text " * 100)
    return [r.slug for r in rooms], cookies, thread.get_absolute_url()


def insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.received: dict[str, int] = {}
        self.sent: dict[str, list[int]] = {}
        self.drops = 0


async def reader(url, origin, cookie, room, stats: Stats, stop: asyncio.Event, ready):
    from websockets.asyncio.client import connect

    seen = 0
    headers = {"Cookie": cookie}
    async with connect(
        url, origin=origin, additional_headers=headers, ssl=insecure(), open_timeout=60
    ) as ws:
        ready()
        while not stop.is_set():
            try:
                async with asyncio.timeout(1):
                    frame = json.loads(await ws.recv())
            except TimeoutError:
                continue
            text = frame.get("html", "")
            if frame.get("type") == "message" and text.startswith("<p>soak "):
                sent_at = float(text.removeprefix("<p>soak ").split("<", 1)[0])
                stats.latencies.append(time.time() - sent_at)
                seen += 1
    stats.received[f"{room}:{id(ws)}"] = seen


async def sender(url, origin, cookie, room, rate: float, stats: Stats, stop: asyncio.Event):
    from websockets.asyncio.client import connect

    sent = stats.sent.setdefault(room, [])
    headers = {"Cookie": cookie}
    async with connect(
        url, origin=origin, additional_headers=headers, ssl=insecure(), open_timeout=60
    ) as ws:
        # Read what the room sends back (its own acknowledgements, the others' messages): a
        # client that never reads stops answering pings and is closed by the server.
        draining = asyncio.create_task(_drain(ws))
        n = 0
        while not stop.is_set():
            n += 1
            frame = {"type": "send", "body": f"soak {time.time()}", "client_id": f"{room}-{n}"}
            await ws.send(json.dumps(frame))
            sent.append(n)
            await asyncio.sleep(1 / rate)
        draining.cancel()


async def _drain(ws) -> None:
    from websockets.exceptions import ConnectionClosed

    with contextlib.suppress(ConnectionClosed):
        async for _frame in ws:
            pass


def http_load(
    urls: list[str], cookie: str, stop: threading.Event, latencies: list[float], errors: list[int]
):
    """A signed-in member reading ``urls`` in turn until ``stop``."""
    context = insecure()
    n = 0
    while not stop.is_set():
        request = urllib.request.Request(urls[n % len(urls)], headers={"Cookie": cookie})
        n += 1
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as response:
                response.read()
            latencies.append(time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            errors.append(error.code)
        except OSError:
            errors.append(0)
        time.sleep(0.05)


def start_stack(args):
    """The database, nginx and the two web processes; returns what the clients need."""
    import subprocess

    database_url = fresh_pg_database("cop_bench_soak")
    env = env_for(database_url, redis=True, CHAT_FLOOD_MESSAGES="100000", LOG_LEVEL="ERROR")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from tests.deploy.conftest import start_proxy

    rooms, cookies, thread_url = seed(args.clients)
    directory = Path(tempfile.mkdtemp(prefix="cop-soak-"))
    ports = [free_port() for _ in range(args.processes)]
    # deploy/nginx/cop.conf names two upstream servers; with one process both are that one.
    proxy = start_proxy(directory, ports if len(ports) > 1 else ports * 2)
    processes = []
    for port in ports:
        web_env = {**env, "SITE_URL": proxy.url, "CSRF_TRUSTED_ORIGINS": proxy.url}
        with open(directory / f"web-{port}.log", "w") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "serve", "--port", str(port), "--proxy-headers"],
                    env=web_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
    return proxy, processes, rooms, cookies, thread_url


async def run_clients(args, proxy, processes, rooms, cookies, thread_url) -> None:
    stats = Stats()
    stop = asyncio.Event()
    everyone = asyncio.Event()
    connected = 0

    def ready():
        nonlocal connected
        connected += 1
        if connected == args.clients:
            everyone.set()

    readers = []
    for i in range(args.clients):
        room = rooms[i % ROOMS]
        url = f"{proxy.ws_url}/ws/chat/e-government/{room}/"
        task = reader(url, proxy.url, cookies[i], room, stats, stop, ready)
        readers.append(asyncio.create_task(task))
        if i % 50 == 49:
            await asyncio.sleep(0.2)  # do not open 1,000 TLS handshakes in one instant
    await asyncio.wait_for(everyone.wait(), 300)
    await asyncio.sleep(2)
    start_rss = [rss_mb(p.pid) for p in processes]
    http_latencies: list[float] = []
    http_errors: list[int] = []
    stop_http = threading.Event()
    pages = [
        proxy.url + thread_url,
        proxy.url + thread_url + "?page=5",
        proxy.url + "/c/e-government/threads/",
        proxy.url + "/c/e-government/",
    ]
    first_reader = args.clients + ROOMS
    loaders = [
        threading.Thread(
            target=http_load,
            args=(pages, cookies[first_reader + n], stop_http, http_latencies, http_errors),
        )
        for n in range(args.http_threads)
    ]
    for thread in loaders:
        thread.start()
    senders = [
        asyncio.create_task(
            sender(
                f"{proxy.ws_url}/ws/chat/e-government/{room}/",
                proxy.url,
                cookies[args.clients + n],
                room,
                args.rate,
                stats,
                stop,
            )
        )
        for n, room in enumerate(rooms)
    ]
    started = time.monotonic()
    rss_samples = []
    while time.monotonic() - started < args.seconds:
        await asyncio.sleep(10)
        rss_samples.append([rss_mb(p.pid) for p in processes])
    # Memory after the first minute of load (warm: every room, cache and pool filled), and at
    # the end: flat means these two agree.
    warm = rss_samples[min(5, len(rss_samples) - 1)]
    stop_http.set()
    for thread in loaders:
        thread.join()
    # Let the last messages arrive, then stop everyone.
    for task in senders:
        task.cancel()
    await asyncio.sleep(5)
    stop.set()
    await asyncio.gather(*readers, return_exceptions=True)
    end_rss = [rss_mb(p.pid) for p in processes]

    sent_per_room = {room: len(v) for room, v in stats.sent.items()}
    expected = sum(sent_per_room[rooms[i % ROOMS]] for i in range(args.clients))
    received = sum(stats.received.values())
    p50, p99 = (percentile(stats.latencies, q) * 1000 for q in (50, 99))
    h50, h99 = (percentile(http_latencies, q) * 1000 for q in (50, 99))
    print(f"machine: {machine()}; nginx + {len(processes)} web process(es), PostgreSQL, Redis")
    print(
        f"{args.clients} websocket clients in {ROOMS} rooms, {ROOMS} senders at {args.rate:g}/s "
        f"each, {args.http_threads} HTTP readers, {args.seconds} s"
    )
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| messages sent | {sum(sent_per_room.values()):,} |")
    print(f"| deliveries expected / received | {expected:,} / {received:,} |")
    print(f"| lost | {expected - received:,} |")
    print(f"| delivery p50 / p99 | {p50:.0f} / {p99:.0f} ms |")
    print(f"| page reads (signed in) | {len(http_latencies):,} |")
    print(f"| page read p50 / p99 | {h50:.0f} / {h99:.0f} ms |")
    print(f"| HTTP errors | {len(http_errors)} |")
    grown = []
    for n in range(len(processes)):
        peak = max(sample[n] for sample in rss_samples) if rss_samples else end_rss[n]
        growth = (end_rss[n] - warm[n]) / warm[n]
        if growth > MEMORY_GROWTH_LIMIT:
            grown.append(f"web{n + 1} {growth:+.0%}")
        print(
            f"| web{n + 1} RSS idle / after 1 min / peak / end | {start_rss[n]:.0f} / "
            f"{warm[n]:.0f} / {peak:.0f} / {end_rss[n]:.0f} MB ({growth:+.1%}) |"
        )
    print()
    if grown:
        print(f"FAILED: memory grew by more than 10 % after the first minute: {', '.join(grown)}")
        raise SystemExit(1)
    print("memory flat: within 10 % of the first minute's in every process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=1.0, help="messages per second per room")
    parser.add_argument("--http-threads", type=int, default=4)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    args.http_threads = min(args.http_threads, HTTP_READERS_MAX)
    proxy, processes, rooms, cookies, thread_url = start_stack(args)
    try:
        asyncio.run(run_clients(args, proxy, processes, rooms, cookies, thread_url))
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        proxy.process.terminate()


if __name__ == "__main__":
    main()
