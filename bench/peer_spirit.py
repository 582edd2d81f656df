"""This project and django-spirit side by side: the same data shape (bench/shape.py), the same
server (one daphne process each), the same wrk load, in alternating rounds (medians), so the
comparison stays honest after every change.

    python3 -m venv var/spirit-venv
    var/spirit-venv/bin/pip install -r bench/requirements-spirit.txt
    .venv/bin/python bench/peer_spirit.py                                # 3 rounds of 5 s
    .venv/bin/python bench/peer_spirit.py --rounds 1 --seconds 5         # a quick look
    .venv/bin/python bench/peer_spirit.py --spirit-python OTHER/bin/python

Spirit pins its own Django and dependencies, so it lives in a virtualenv of its own (never in the
project's .venv): --spirit-python is that virtualenv's interpreter (var/spirit-venv/bin/python by
default). bench/spirit_site is a minimal spirit site (spirit's production settings, a local-memory
cache, DEBUG off, the same bare view as bench/urls.py); bench/spirit_site/seed.py seeds it.

Data, both sides: one community (a spirit category) of 200 threads (topics), one of 1,000 posts
(comments) of about 600 characters by 50 authors, each rendered once by its own markdown; a
signed-in reader with a session. PostgreSQL (BENCH_PG, a fresh database each), Redis for the
project as bench/pages.py runs it. Each server gets its own bare view as baseline, and the same
wrk -c16 load from the same machine; the order of the two servers flips every round. Needs wrk.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    SECRET,
    Server,
    env_for,
    free_port,
    fresh_pg_database,
    machine,
    manage,
    start_server,
    wrk,
)

# The targets: this project's req/s over spirit's on the same page and user.
TARGETS = {
    "thread page 1, signed in": 3.0,
    "thread list, visitor": 2.0,
    "thread list, signed in": 2.0,
}
SIDES = ("project", "spirit")
BARE = "/bench/bare/"
SPIRIT_ASGI = "bench.spirit_site.asgi:application"
# Text every post carries (bench/shape.py BODY), in whatever markup either side renders.
POST_TEXT = "We reduced waiting times by half"


def spirit_env(database_url: str) -> dict:
    """The environment of every spirit process: its settings module, its database, no project
    settings leaking in."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.spirit_site.settings",
            "SPIRIT_DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def prepare_spirit(python: str, env: dict) -> dict:
    """Migrate, collect static files (spirit's production settings use the manifest storage)
    and seed with spirit's interpreter; returns what bench/spirit_site/seed.py printed."""
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput", "--clear")):
        subprocess.run(
            [python, "-m", "django", *args, "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    out = subprocess.run(
        [python, "-m", "bench.spirit_site.seed"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_spirit(python: str, env: dict) -> Server:
    """Plain daphne, one process, as the project's `manage.py serve` is one daphne process."""
    port = free_port()
    log = open(BASE_DIR / "var" / f"bench-spirit-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), SPIRIT_ASGI],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if fetch(server.url + BARE)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError("spirit did not start; see var/bench-spirit-*.log")


def fetch(url: str, headers: dict | None = None) -> tuple[int, str]:
    """One GET without following redirects: (status, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def check(url: str, headers: dict | None, signed: bool, expected: list[str]) -> None:
    """The page answers 200, shows what it should, and knows whether the reader is signed in
    (a logout form or link is there for a member only): otherwise the figures mean nothing."""
    status, body = fetch(url, headers)
    problems = [] if status == 200 else [f"status {status}"]
    problems += [f"no {text!r}" for text in expected if text not in body]
    if signed != ("logout" in body.lower()):
        problems.append("signed in" if not signed else "not signed in")
    if problems:
        raise SystemExit(f"{url}: {', '.join(problems)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--spirit-python",
        default=str(BASE_DIR / "var" / "spirit-venv" / "bin" / "python"),
        help="the python of a virtualenv with bench/requirements-spirit.txt installed",
    )
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not Path(args.spirit_python).exists():
        raise SystemExit(f"{args.spirit_python} not found; see the top of {__file__}")

    # Spirit first, in its own interpreter, before this process takes the project's settings.
    s_env = spirit_env(fresh_pg_database("cop_bench_peer_spirit"))
    s_data = prepare_spirit(args.spirit_python, s_env)

    # This project exactly as bench/pages.py seeds and serves it.
    env = env_for(fresh_pg_database("cop_bench_peer_project"), redis=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from bench.shape import seed

    p_data = seed()

    # name -> side -> path; every page for a visitor and for the signed-in reader.
    paths = {
        "thread page 1": {"project": p_data["big"].get_absolute_url(), "spirit": s_data["topic"]},
        "thread list": {
            "project": f"/c/{p_data['community'].slug}/threads/",
            "spirit": s_data["list"],
        },
    }
    cookies = {"project": {"Cookie": p_data["cookie"]}, "spirit": {"Cookie": s_data["cookie"]}}
    measured = {
        f"{page}, {who}": (by_side, who == "signed in")
        for page, by_side in paths.items()
        for who in ("visitor", "signed in")
    }

    servers = {"project": start_server(env), "spirit": start_spirit(args.spirit_python, s_env)}
    samples: dict[tuple[str, str], list[float]] = {}
    errors: dict[tuple[str, str], int] = {}
    try:
        for side, server in servers.items():
            for name, (by_side, signed) in measured.items():
                headers = cookies[side] if signed else None
                expected = [
                    "Thread 0:",
                    POST_TEXT if name.startswith("thread page") else "Thread 1:",
                ]
                check(server.url + by_side[side], headers, signed, expected)
                # Warm up caches, connections and the pool.
                wrk(server.url + by_side[side], seconds=2, connections=4, headers=headers)
        for round_ in range(args.rounds):
            # Alternate: each page right after its server's bare view, the two servers back to
            # back, and which of them goes first flips every round, so both see the same machine.
            order = SIDES if round_ % 2 == 0 else SIDES[::-1]
            for name, (by_side, signed) in measured.items():
                bare = "bare view, signed in" if signed else "bare view, visitor"
                for side in order:
                    headers = cookies[side] if signed else None
                    for label, path in ((bare, BARE), (name, by_side[side])):
                        r = wrk(
                            servers[side].url + path,
                            seconds=args.seconds,
                            connections=args.connections,
                            headers=headers,
                        )
                        samples.setdefault((side, label), []).append(r.requests_per_second)
                        errors[(side, label)] = errors.get((side, label), 0) + r.errors
    finally:
        for server in servers.values():
            server.stop()

    def rps(side: str, label: str) -> float:
        return statistics.median(samples[(side, label)])

    print()
    print(f"machine: {machine()}")
    print(
        f"wrk -c{args.connections} -d{args.seconds}s, {args.rounds} alternating rounds (medians); "
        "one daphne process each; PostgreSQL (+ Redis for the project, local memory for spirit)"
    )
    print()
    print(
        "| page | this project req/s | spirit req/s | ratio | project ÷ its bare "
        "| spirit ÷ its bare | target | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    missed = []
    labels = ["bare view, visitor", "bare view, signed in", *measured]
    for label in labels:
        project, spirit = rps("project", label), rps("spirit", label)
        bare = "bare view, signed in" if label.endswith("signed in") else "bare view, visitor"
        target = TARGETS.get(label)
        verdict = ""
        if target:
            met = project / spirit >= target
            verdict = f"≥ {target:.0f}× {'met' if met else '**missed**'}"
            if not met:
                missed.append(label)
        n_errors = errors[("project", label)] + errors[("spirit", label)]
        print(
            f"| {label} | {project:,.0f} | {spirit:,.0f} | {project / spirit:.2f}× "
            f"| {project / rps('project', bare):.2f} | {spirit / rps('spirit', bare):.2f} "
            f"| {verdict} | {n_errors} |"
        )
    print()
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
