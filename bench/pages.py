"""Every hot page against the bare view, for visitors and for a signed-in member, in the same
server and the same run (alternating rounds, medians).

    .venv/bin/python bench/pages.py                  # PostgreSQL + Redis, 3 rounds of 5 s
    .venv/bin/python bench/pages.py --sqlite         # SQLite, local-memory cache
    .venv/bin/python bench/pages.py --only thread    # pages whose name contains "thread"

Data: bench/shape.py (one community, 200 threads, one of 1,000 posts by 50 authors, a chat
room, 200 library resources, 30 notifications). Needs wrk (apt-get install wrk). One daphne
process (`manage.py serve`), wrk -c16 on the same machine; docs/benchmarks.md keeps the figures.

Each page is compared with the bare view requested as the same reader, just before it: with the
signed-in reader's cookie for their pages (a signed-in request reads the session and the user
before any view runs), without for a visitor's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, env_for, fresh_pg_database, machine, manage, start_server, wrk

TARGETS = {
    "thread page 1": 0.35,
    "thread last page": 0.35,
    "thread list": 0.35,
}
OTHER_TARGET = 0.25
BARE = "bare Django view, visitor"
BARE_SIGNED = "bare Django view, signed in"
VISITOR_THREAD_TARGET = 0.5


def pages(data: dict) -> dict[str, tuple[str, bool]]:
    """name -> (path, signed in)."""
    community = data["community"].slug
    big = data["big"].get_absolute_url()
    room = f"/c/{community}/chat/{data['room'].slug}/"
    listed = {
        "thread page 1": big,
        "thread last page": f"{big}?page=50",
        "thread list": f"/c/{community}/threads/",
        "community home": f"/c/{community}/",
        "library list": f"/c/{community}/library/",
        "resource page": data["resource"].get_absolute_url(),
        "search page": "/search/?q=%D2%9B%D1%8B%D0%B7%D0%BC%D0%B5%D1%82",  # қызмет
    }
    out: dict[str, tuple[str, bool]] = {}
    for name, path in listed.items():
        out[f"{name}, visitor"] = (path, False)
        out[f"{name}, signed in"] = (path, True)
    out["chat room (history of 50), signed in"] = (room, True)
    out["notifications, signed in"] = ("/notifications/", True)
    return out


def target_of(name: str) -> float:
    if name.startswith("thread page 1, visitor") or name.startswith("thread last page, visitor"):
        return VISITOR_THREAD_TARGET
    base = name.split(",")[0]
    return TARGETS.get(base, OTHER_TARGET)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args()

    if args.sqlite:
        db_file = BASE_DIR / "var" / "bench-pages.sqlite3"
        db_file.unlink(missing_ok=True)
        database_url = f"sqlite:///{db_file}"
    else:
        database_url = fresh_pg_database("cop_bench_pages")
    env = env_for(database_url, redis=not args.sqlite)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from bench.shape import seed

    data = seed()
    cookie = {"Cookie": data["cookie"]}
    measured = {k: v for k, v in pages(data).items() if args.only in k}
    server = start_server(env)
    # The bare view is measured as the page's reader: a visitor, or with the signed-in
    # reader's cookie (whose session and user every signed-in request loads first).
    samples: dict[str, list[float]] = {BARE: [], BARE_SIGNED: []}
    p99: dict[str, list[float]] = {BARE: [], BARE_SIGNED: []}
    errors: dict[str, int] = {BARE: 0, BARE_SIGNED: 0}
    try:
        for path, signed in measured.values():  # warm up caches and connections
            wrk(server.url + path, seconds=2, connections=4, headers=cookie if signed else None)
        for _round in range(args.rounds):
            # Alternate: the bare view before each page, so both see the same machine.
            for name, (path, signed) in measured.items():
                for label, url, headers in (
                    (BARE_SIGNED if signed else BARE, "/bench/bare/", cookie if signed else None),
                    (name, path, cookie if signed else None),
                ):
                    r = wrk(
                        server.url + url,
                        seconds=args.seconds,
                        connections=args.connections,
                        headers=headers,
                    )
                    samples.setdefault(label, []).append(r.requests_per_second)
                    p99.setdefault(label, []).append(r.p99_ms)
                    errors[label] = errors.get(label, 0) + r.errors
    finally:
        server.stop()
    bare = {
        label: statistics.median(samples[label]) for label in (BARE, BARE_SIGNED) if samples[label]
    }
    print()
    print(f"machine: {machine()}; database: {'SQLite' if args.sqlite else 'PostgreSQL + Redis'}")
    print(
        f"wrk -c{args.connections} -d{args.seconds}s, {args.rounds} alternating rounds (medians), "
        "one daphne process; each page against the bare view measured beside it as the same "
        "reader (the last column: against a visitor's bare view)"
    )
    print()
    print("| page | req/s | p99 ms | vs bare | target | vs visitor's bare | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in bare:
        print(
            f"| {label} | {bare[label]:,.0f} | {statistics.median(p99[label]):.1f} | 1.00 | | "
            f"{bare[label] / bare.get(BARE, bare[label]):.2f} | {errors[label]} |"
        )
    missed = []
    for name, (_path, signed) in measured.items():
        rps = statistics.median(samples[name])
        ratio = rps / bare[BARE_SIGNED if signed else BARE]
        target = target_of(name)
        mark = "" if ratio >= target else " **missed**"
        if mark:
            missed.append(name)
        print(
            f"| {name} | {rps:,.0f} | {statistics.median(p99[name]):.1f} | {ratio:.2f}{mark} | "
            f"≥ {target:.2f} | {rps / (bare.get(BARE) or bare[BARE_SIGNED]):.2f} | {errors[name]} |"
        )
    print()
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
