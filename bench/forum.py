"""Forum benchmark: thread list and a 1,000-post thread's first and last pages, against a bare
Django view served by the same daphne process in the same run.

    .venv/bin/python bench/forum.py                 # PostgreSQL: 10,000 threads, 1,000,000 posts
    .venv/bin/python bench/forum.py --sqlite        # SQLite: 1,000 threads, 100,000 posts

Needs wrk (apt-get install wrk) and, for the default, the local PostgreSQL. Requests are
anonymous reads (the common case: most visitors read). Prints a table; docs/benchmarks.md keeps
the figures of the last run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    env_for,
    fresh_pg_database,
    machine,
    manage,
    start_server,
    wrk,
)

BODY = (
    "Біздің орталықтарда мемлекеттік қызметтерді алу үшін кезек әлі де ұзақ. "
    "We reduced waiting times by half with online booking and daily workload analysis. "
    "Мы начинали с единого реестра сервисов и шины обмена данными."
)


def seed_postgres(threads: int, posts: int, big: int) -> None:
    """Bulk rows with generate_series: one thread of `big` posts, the rest spread evenly."""
    from django.db import connection

    per_thread = (posts - big) // (threads - 1)
    html = f"<p>{BODY}</p>"
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined, display_name, country, organisation,
                position, languages, bio, is_expert)
            SELECT '!', false, 'user' || g, '', '', 'user' || g || '@example.org', false, true,
                now(), 'Practitioner ' || g, (ARRAY['KZ','KG','UZ','AZ','GE','MN'])[1 + g % 6],
                'Agency ' || (g % 40), 'Specialist', '["ru"]', '', false
            FROM generate_series(1, 1000) g
            """
        )
        c.execute("SELECT min(id) FROM accounts_user")
        first_user = c.fetchone()[0]
        c.execute("SELECT id FROM cop_community ORDER BY position")
        community_ids = [row[0] for row in c.fetchall()]
        c.execute(
            """
            INSERT INTO forums_thread (community_id, author_id, title, language, is_pinned,
                is_locked, is_deleted, created, last_activity, reply_count, last_post_number, version)
            SELECT (%s::bigint[])[1 + g %% 4], %s + g %% 1000,
                'Thread ' || g || ': қызмет көрсету орталықтары / service centres', 'kk',
                g %% 2000 = 0, false, false,
                now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval,
                CASE WHEN g = 1 THEN %s - 1 ELSE %s - 1 END,
                CASE WHEN g = 1 THEN %s ELSE %s END, 0
            FROM generate_series(1, %s) g
            """,
            [community_ids, first_user, big, per_thread, big, per_thread, threads],
        )
        c.execute("SELECT min(id) FROM forums_thread")
        first_thread = c.fetchone()[0]
        c.execute(
            """
            INSERT INTO forums_post (thread_id, number, author_id, body, html, language,
                created, is_deleted, is_hidden, hidden_reason)
            SELECT t.id, n, %s + (t.id * 7 + n) %% 1000, %s, %s, 'kk',
                t.created + (n || ' seconds')::interval, false, false, ''
            FROM forums_thread t
            CROSS JOIN LATERAL generate_series(1, t.last_post_number) n
            """,
            [first_user, BODY, html],
        )
        c.execute(
            """
            UPDATE forums_thread t SET last_post_id = p.id, last_poster_id = p.author_id
            FROM forums_post p WHERE p.thread_id = t.id AND p.number = t.last_post_number
            """
        )
        c.execute("ANALYZE")
    return first_thread


def seed_sqlite(threads: int, posts: int, big: int) -> int:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from core.models import Community
    from forums.models import Post, Thread

    User = get_user_model()
    per_thread = (posts - big) // (threads - 1)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"user{i}", email=f"user{i}@example.org", display_name=f"P {i}")
            for i in range(1000)
        )
        communities = list(Community.objects.order_by("position"))
        made = Thread.objects.bulk_create(
            Thread(
                community=communities[i % 4],
                author=users[i % 1000],
                title=f"Thread {i}: қызмет көрсету орталықтары / service centres",
                language="kk",
                last_activity=now - timedelta(minutes=i),
                last_post_number=big if i == 0 else per_thread,
                reply_count=(big if i == 0 else per_thread) - 1,
            )
            for i in range(threads)
        )
        batch = []
        for thread in made:
            for n in range(1, thread.last_post_number + 1):
                batch.append(
                    Post(
                        thread=thread,
                        number=n,
                        author=users[(thread.pk * 7 + n) % 1000],
                        body=BODY,
                        html=f"<p>{BODY}</p>",
                        language="kk",
                    )
                )
            if len(batch) > 20000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
    return made[0].pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    if args.sqlite:
        db_file = BASE_DIR / "var" / "bench-forum.sqlite3"
        db_file.unlink(missing_ok=True)
        database_url = f"sqlite:///{db_file}"
        threads, posts = 1_000, 100_000
    else:
        database_url = fresh_pg_database("cop_bench_forum")
        threads, posts = 10_000, 1_000_000
    env = env_for(database_url, redis=not args.sqlite)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    started = time.monotonic()
    first_thread = (seed_sqlite if args.sqlite else seed_postgres)(threads, posts, 1_000)
    print(f"seeded {threads:,} threads and {posts:,} posts in {time.monotonic() - started:.0f} s")

    from forums.models import Thread
    from forums.selectors.threads import _cursor_encode

    thread = Thread.objects.select_related("community").get(pk=first_thread)
    community = thread.community
    listed = Thread.objects.filter(community=community, is_deleted=False, is_pinned=False)
    deep_index = min(30 * 60, listed.count() - 31)  # the row a deep "next page" starts after
    deep = listed.order_by("-last_activity", "-id")[deep_index]
    server = start_server(env)
    try:
        urls = {
            "bare Django view": "/bench/bare/",
            "thread list, page 1": f"/c/{community.slug}/threads/",
            f"thread list, page {deep_index // 30 + 2} (cursor)": (
                f"/c/{community.slug}/threads/?after={_cursor_encode(deep)}"
            ),
            "1,000-post thread, first page": f"/c/{community.slug}/threads/{thread.pk}/",
            "1,000-post thread, last page": f"/c/{community.slug}/threads/{thread.pk}/?page=50",
        }
        for path in urls.values():  # warm up caches and connections
            wrk(server.url + path, seconds=2, connections=4)
        results = {
            name: wrk(server.url + path, seconds=args.seconds, connections=args.connections)
            for name, path in urls.items()
        }
    finally:
        server.stop()
    bare = results["bare Django view"]
    print()
    print(f"machine: {machine()}; database: {'SQLite' if args.sqlite else 'PostgreSQL'};")
    print(f"wrk -c{args.connections} -d{args.seconds}s, one daphne process, anonymous requests")
    print()
    print("| page | req/s | p50 ms | p95 ms | p99 ms | vs bare | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        ratio = r.requests_per_second / bare.requests_per_second
        print(
            f"| {name} | {r.requests_per_second:,.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
            f"{r.p99_ms:.1f} | {ratio:.2f} | {r.errors} |"
        )
    first = results["1,000-post thread, first page"]
    last = results["1,000-post thread, last page"]
    print()
    print(f"last page p95 / first page p95: {last.p95_ms / first.p95_ms:.2f} (target <= 1.3)")
    print(
        f"thread page / bare throughput: {first.requests_per_second / bare.requests_per_second:.2f} (target >= 0.3)"
    )


if __name__ == "__main__":
    main()
