"""Digest benchmark: a weekly digest for 10,000 members, planned and sent by one worker through
a local SMTP sink, on PostgreSQL. Prints the run's time, e-mails per second, the worker's memory
along the way (it must stay flat) and the queries one digest takes.

    .venv/bin/python bench/digest.py
    .venv/bin/python bench/digest.py --members 2000    # quicker

A week of activity is seeded first: threads and replies in the four communities, new library
resources, accepted answers; each member belongs to one to three communities.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, env_for, free_port, fresh_pg_database, machine, manage

THREADS = 400
REPLIES = 4000
RESOURCES = 150


def seed(members: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from core.models import Community, Membership
    from forums.models import Post, Thread
    from resources.models import Resource

    rng = random.Random(2026)
    User = get_user_model()
    now = datetime.now(UTC)
    communities = list(Community.objects.all())
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=f"member{n}",
                    email=f"member{n}@bench.example.org",
                    password="!",
                    display_name=f"Member {n}",
                    language=rng.choice(["kk", "ru", "en"]),
                )
                for n in range(members)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, community=community)
                for user in users
                for community in rng.sample(communities, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        authors = users[:200]
        threads = Thread.objects.bulk_create(
            [
                Thread(
                    community=rng.choice(communities),
                    author=rng.choice(authors),
                    title=f"Practice question {n}: one-stop shops and digital services",
                    language=rng.choice(["kk", "ru", "en"]),
                    last_activity=now - timedelta(hours=rng.randint(1, 150)),
                )
                for n in range(THREADS)
            ]
        )
        numbers = dict.fromkeys((t.pk for t in threads), 0)
        posts = []
        for thread in threads:
            numbers[thread.pk] = 1
            posts.append(Post(thread=thread, number=1, author=thread.author, body="Question.",
                              html="<p>Question.</p>", language=thread.language))  # fmt: skip
        for _n in range(REPLIES):
            thread = rng.choice(threads)
            numbers[thread.pk] += 1
            posts.append(
                Post(thread=thread, number=numbers[thread.pk], author=rng.choice(authors),
                     body="An answer.", html="<p>An answer.</p>", language=thread.language)
            )  # fmt: skip
        Post.objects.bulk_create(posts, batch_size=5000)
        Post.objects.filter(thread__in=threads).update(
            created=now - timedelta(days=rng.randint(0, 6))
        )
        for thread in threads:
            Thread.objects.filter(pk=thread.pk).update(
                last_post_number=numbers[thread.pk], reply_count=numbers[thread.pk] - 1
            )
        for n in range(RESOURCES):
            resource = Resource.objects.create(
                title=f"Analytical case {n}",
                summary="A case from the hub's participating countries.",
                kind="case",
                language=rng.choice(["kk", "ru", "en"]),
                status=Resource.Status.PUBLISHED,
                published_at=now - timedelta(days=rng.randint(0, 6)),
            )
            resource.communities.set(rng.sample(communities, rng.randint(1, 2)))


def rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()

    database_url = fresh_pg_database("cop_bench_digest")
    sink_port = free_port()
    env = env_for(
        database_url,
        redis=False,
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        DEFAULT_FROM_EMAIL="community@bench.example.org",
        SITE_URL="https://hub.example.org",
        LOG_LEVEL="ERROR",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.ERROR)
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from mail import digests
    from mail.deliveries import send
    from mail.models import Delivery

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=sink_port)
    controller.start()
    started = time.monotonic()
    seed(args.members)
    print(f"seeded {args.members:,} members and a week of activity "
          f"in {time.monotonic() - started:.0f} s")  # fmt: skip

    started = time.monotonic()
    planned = digests.plan(datetime.now(UTC))
    plan_seconds = time.monotonic() - started
    # One digest, sent here and measured alone: its queries. Its queued task then finds it sent.
    sample = Delivery.objects.filter(kind="digest").order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        send(sample.pk)
    per_digest = len(queries.captured_queries)
    connection.close()

    # The real worker, as production runs it, until every digest is sent or found empty.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    memory: list[float] = []
    started = time.monotonic()
    try:
        while True:
            time.sleep(2)
            memory.append(rss_of(worker.pid))
            pending = Delivery.objects.filter(kind="digest", status__in=["queued", "sending"])
            if not pending.exists() and not DBTaskResult.objects.ready().exists():
                break
            if time.monotonic() - started > 3600:
                print("stopped after an hour")
                break
        seconds = time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        controller.stop()
    sent = Delivery.objects.filter(kind="digest", status="sent").count()
    empty = Delivery.objects.filter(kind="digest", status="skipped").count()
    quarter = max(1, len(memory) // 4)
    print()
    print(f"machine: {machine()}; PostgreSQL; one worker process, SMTP to a local sink")
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| members | {args.members:,} |")
    print(f"| digests planned | {planned:,} (in {plan_seconds:.1f} s) |")
    print(f"| digests sent / empty (not sent) | {sent:,} / {empty:,} |")
    print(f"| e-mails received by the sink | {Sink.received:,} |")
    print(f"| whole run, worker start to last digest (≤ 2 s late) | {seconds:.0f} s |")
    print(f"| e-mails per second | {Sink.received / seconds:.1f} |")
    print(f"| queries for one digest | {per_digest} |")
    print(
        f"| worker memory: first quarter peak / last quarter peak / max | "
        f"{max(memory[:quarter]):.0f} / {max(memory[-quarter:]):.0f} / {max(memory):.0f} MB |"
    )
    print()
    print("target: the whole weekly digest in under 10 minutes on one worker, memory flat")


if __name__ == "__main__":
    main()
