"""Chat benchmark: N WebSocket clients in one room over channels-redis, messages sent at a steady
rate; send-to-receive latency (p50/p99), delivered messages per second and loss, against a bare
websockets broadcast server on the same machine in the same run.

    .venv/bin/python bench/chat.py                      # N = 100, 500, 1000
    .venv/bin/python bench/chat.py --clients 100 500 --rate 10 --seconds 20

Needs the local PostgreSQL and Redis. All clients run in this process (asyncio); the clock is
the same for sender and receiver, so latencies need no synchronisation.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import websockets

from bench.common import (
    env_for,
    free_port,
    fresh_pg_database,
    machine,
    manage,
    mean,
    percentile,
    signed_in_members,
    start_server,
)

SENDERS = 20  # distinct people sending, so that nobody hits the per-person flood limit


@dataclass
class Stats:
    sent: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    received: int = 0
    first_receive: float = 0.0
    last_receive: float = 0.0
    settled: int = 0
    per_message: dict[str, list[float]] = field(default_factory=dict)


async def client(url, headers, stats: Stats, ready, everyone_in: asyncio.Event, stop):
    async with websockets.connect(
        url, additional_headers=headers, open_timeout=60, max_queue=None, ping_interval=None
    ) as ws:
        ready.set()
        await everyone_in.wait()
        # A pong comes back after everything queued before it (arrivals of the others):
        # when every client has its pong, the room is quiet and measuring can start.
        await ws.send(json.dumps({"type": "ping"}))
        pinged = False
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except TimeoutError:
                continue
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame.get("type") == "pong" and not pinged:
                pinged = True
                stats.settled += 1
            if frame.get("type") != "message":
                continue
            sent_at = stats.sent.get(frame.get("client_id") or "")
            if sent_at is None:
                continue
            stats.latencies.append(now - sent_at)
            stats.per_message.setdefault(frame["client_id"], []).append(now - sent_at)
            stats.received += 1
            stats.first_receive = stats.first_receive or now
            stats.last_receive = now


async def run_round(
    url: str,
    cookies: list[str],
    origin: str,
    *,
    n: int,
    rate: float,
    seconds: float,
    per_message: bool = False,
):
    stats = Stats()
    stop = asyncio.Event()
    everyone_in = asyncio.Event()
    tasks, senders = [], []
    semaphore = asyncio.Semaphore(50)

    async def connect_one(i: int):
        async with semaphore:
            ready = asyncio.Event()
            headers = {"Origin": origin, "Cookie": cookies[i]} if cookies else {"Origin": origin}
            tasks.append(asyncio.create_task(client(url, headers, stats, ready, everyone_in, stop)))
            await ready.wait()

    await asyncio.gather(*(connect_one(i) for i in range(n)))
    # The load generator's own collector pauses (hundreds of connections' objects) are not
    # the server's latency: no collection while measuring.
    gc.collect()
    gc.disable()
    everyone_in.set()
    deadline = time.perf_counter() + 180
    while stats.settled < n and time.perf_counter() < deadline:  # noqa: ASYNC110 - a counter
        await asyncio.sleep(0.2)
    for i in range(SENDERS):
        headers = {"Origin": origin, "Cookie": cookies[i]} if cookies else {"Origin": origin}
        senders.append(await websockets.connect(url, additional_headers=headers, max_queue=None))
    # Warm-up, not measured: a server's first messages load what it loads lazily (the Markdown
    # parser, the search normaliser, translations), once per process.
    for k, ws in enumerate(senders):
        await ws.send(json.dumps({"type": "send", "body": f"warm-up {k}", "client_id": f"w{k}"}))
        await asyncio.sleep(1 / rate)
    await asyncio.sleep(2)
    interval = 1 / rate
    started = time.perf_counter()
    count = 0
    while time.perf_counter() - started < seconds:
        client_id = uuid.uuid4().hex
        stats.sent[client_id] = time.perf_counter()
        await senders[count % SENDERS].send(
            json.dumps({"type": "send", "body": f"load {count}", "client_id": client_id})
        )
        count += 1
        await asyncio.sleep(max(0, started + count * interval - time.perf_counter()))
    deadline = time.perf_counter() + 15
    while stats.received < count * n and time.perf_counter() < deadline:  # noqa: ASYNC110 - polls a counter the client tasks bump
        await asyncio.sleep(0.2)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for ws in senders:
        await ws.close()
    gc.enable()
    expected = count * n
    if per_message:
        # Where the time goes: until the first client has a message, and until the last.
        for client_id, sent_at in sorted(stats.sent.items(), key=lambda item: item[1]):
            got = sorted(stats.per_message.get(client_id, [0.0]))
            print(
                f"  +{sent_at - started:6.2f} s  first {got[0] * 1000:7.1f} ms  "
                f"median {got[len(got) // 2] * 1000:7.1f} ms  last {got[-1] * 1000:7.1f} ms"
            )
    duration = max(stats.last_receive - stats.first_receive, 1e-9)
    return {
        "clients": n,
        "sent": count,
        "expected": expected,
        "received": stats.received,
        "lost": expected - stats.received,
        "p50_ms": percentile(stats.latencies, 50) * 1000,
        "p99_ms": percentile(stats.latencies, 99) * 1000,
        "mean_ms": mean(stats.latencies) * 1000,
        "delivered_per_s": stats.received / duration,
    }


async def bare_server(port: int):
    """The baseline: the least a broadcast server can do with the same frames. It runs in a
    process of its own, as the platform's server does (``--bare PORT``)."""
    connected = set()

    async def handler(ws):
        connected.add(ws)
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif frame.get("type") == "send":
                    out = json.dumps(
                        {"type": "message", "client_id": frame["client_id"], "html": frame["body"]}
                    )
                    websockets.broadcast(connected, out)
        finally:
            connected.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_queue=None):
        await asyncio.Future()


def start_bare_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, __file__, "--bare", str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the bare websockets server did not start")


def seed(n_users: int) -> tuple[str, str, list[str]]:
    """Members with sessions; returns (community slug, room slug, cookie headers)."""
    community, _users, cookies = signed_in_members("load", n_users)
    return community.slug, "general", cookies


async def main_async(args) -> None:
    database_url = fresh_pg_database("cop_bench_chat")
    env = env_for(database_url, redis=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from asgiref.sync import sync_to_async

    slug, room, cookies = await sync_to_async(seed)(max(args.clients))
    server = start_server(env)
    port = free_port()
    bare = start_bare_server(port)
    rows = []
    try:
        for n in args.clients:
            origin = server.url
            app = await run_round(
                f"{server.url.replace('http', 'ws')}/ws/chat/{slug}/{room}/",
                cookies,
                origin,
                n=n,
                rate=args.rate,
                seconds=args.seconds,
                per_message=args.per_message,
            )
            base = await run_round(
                f"ws://127.0.0.1:{port}/",
                [],
                f"http://127.0.0.1:{port}",
                n=n,
                rate=args.rate,
                seconds=args.seconds,
                per_message=args.per_message,
            )
            rows.append((app, base))
            print(
                f"N={n}: platform p99 {app['p99_ms']:.1f} ms, lost {app['lost']}; bare p99 {base['p99_ms']:.1f} ms"
            )
    finally:
        bare.terminate()
        bare.wait(timeout=15)
        server.stop()
    print()
    print(f"machine: {machine()}; one daphne process, channels-redis, PostgreSQL;")
    print(
        f"{args.rate:g} messages/s for {args.seconds:g} s from {SENDERS} senders; every client receives every message"
    )
    print()
    print("| clients | server | sent | delivered | lost | p50 ms | p99 ms | delivered msg/s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for app, base in rows:
        for name, r in (("platform", app), ("bare websockets", base)):
            print(
                f"| {r['clients']} | {name} | {r['sent']} | {r['received']:,} | {r['lost']} | "
                f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['delivered_per_s']:,.0f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--rate", type=float, default=10.0, help="messages per second, in total")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--per-message", action="store_true", help="print each message's first and last receipt"
    )
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        asyncio.run(bare_server(args.bare))
    else:
        asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
