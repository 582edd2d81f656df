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
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import env_for, free_port, fresh_pg_database, machine, manage

THREADS = 400
REPLIES = 4000
RESOURCES = 150


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()

    database_url = fresh_pg_database("cop_bench_digest")
    env = env_for(database_url, redis=False)
    manage(env, "migrate", "--noinput", "-v", "0")
    sink_port = free_port()
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    os.environ.update(
        {
            "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
            "DEFAULT_FROM_EMAIL": "community@bench.example.org",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()
    import logging

    logging.getLogger("django_tasks").setLevel(logging.ERROR)
    logging.getLogger("django_tasks_db").setLevel(logging.ERROR)
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.worker import tasks_run
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
    print(
        f"seeded {args.members:,} members and a week of activity in {time.monotonic() - started:.0f} s"
    )

    now = datetime.now(UTC)
    started = time.monotonic()
    planned = digests.plan(now)
    plan_seconds = time.monotonic() - started
    # One digest, measured alone: its queries.
    sample = Delivery.objects.filter(kind="digest").order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        send(sample.pk)
    per_digest = len(queries.captured_queries)

    memory = [rss_mb()]
    started = time.monotonic()
    done = 0
    while True:
        ran = 0
        # Like the worker: a task at a time; memory sampled every 1,000.
        for _n in range(1000):
            count = tasks_run_one()
            if not count:
                break
            ran += count
        done += ran
        memory.append(rss_mb())
        if not ran:
            break
    seconds = time.monotonic() - started
    controller.stop()
    sent = Delivery.objects.filter(kind="digest", status="sent").count()
    empty = Delivery.objects.filter(kind="digest", status="skipped").count()
    print()
    print(f"machine: {machine()}; PostgreSQL; one worker process, SMTP to a local sink")
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| members | {args.members:,} |")
    print(f"| digests planned | {planned:,} (in {plan_seconds:.1f} s) |")
    print(f"| digests sent / empty (not sent) | {sent:,} / {empty:,} |")
    print(f"| e-mails received by the sink | {Sink.received:,} |")
    print(f"| whole run (planning excluded) | {seconds:.0f} s |")
    print(f"| e-mails per second | {Sink.received / seconds:.1f} |")
    print(f"| queries for one digest | {per_digest} |")
    print(
        f"| worker memory: start / peak / end | {memory[0]:.0f} / {max(memory):.0f} / {memory[-1]:.0f} MB |"
    )
    print()
    print("target: the whole weekly digest in under 10 minutes on one worker, memory flat")
    _ = tasks_run


def tasks_run_one() -> int:
    """Run one ready task (the worker's loop, one step)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    global _RUNNER
    if _RUNNER is None:
        _RUNNER = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                         startup_delay=False, max_tasks=None, worker_id="bench",
                         excluded_queue_names=[])  # fmt: skip
    with exclusive_transaction(DBTaskResult.objects.db):
        result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if result is not None:
            result.claim(_RUNNER.worker_id)
    if result is None:
        return 0
    _RUNNER.run_task(result)
    return 1


_RUNNER = None

if __name__ == "__main__":
    main()
