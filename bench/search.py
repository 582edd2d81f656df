"""Search benchmark: 100,000 library resources and 1,000,000 forum posts in the index on
PostgreSQL; p50/p95 latency of rare, common, prefix and Latin-script Kazakh queries with
ranking and facets (the search function the page and the API call), against a plain ILIKE scan
of the same rows in the same run.

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --resources 10000 --posts 100000 --runs 20   # quicker

Needs the local PostgreSQL. Seeding 1.1 million documents (normalised in Python, loaded with
COPY) takes a few minutes.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    env_for,
    fresh_pg_database,
    machine,
    manage,
    percentile,
)

SEEDS = Path(BASE_DIR) / "tests" / "data"
RUSSIAN = [
    "Развитие электронного правительства требует единых стандартов обмена данными",
    "Центры обслуживания населения сократили время ожидания государственных услуг",
    "Мы внедрили цифровую идентификацию граждан и электронную подпись",
    "Опыт реформы государственной службы показывает важность обучения сотрудников",
    "Открытые данные повышают доверие граждан к государственным органам",
    "Искусственный интеллект помогает анализировать обращения граждан",
    "Интероперабельность информационных систем ведомств остается главной задачей",
    "Инновационная лаборатория тестирует новые сервисы вместе с гражданами",
]
ENGLISH = [
    "The one-stop shop reduced waiting times for public services by half",
    "Digital identity and electronic signatures are the backbone of e-government",
    "Civil service reform depends on training and merit-based recruitment",
    "Open data builds trust between citizens and government agencies",
    "Artificial intelligence guidelines require human review of every output",
    "Interoperability between agency systems remains the main challenge",
    "The innovation lab tests new services with citizens before procurement",
    "Performance management at a distance was a lesson of the pandemic",
]
RARE = "хакатонзерде"  # a made-up word placed in exactly 50 documents
COUNTRIES = ["KZ", "KG", "UZ", "TJ", "AZ", "GE", "AM", "MN", "KR", "TR"]
KINDS = [
    "case",
    "practice-note",
    "journal",
    "publication",
    "toolkit",
    "recording",
    "dataset",
    "link",
]
TAGS = [f"tag-{i}" for i in range(30)]
QUERIES = {
    "rare word": RARE,
    "common word (kk)": "мемлекеттік",
    "common word (en)": "services",
    "two words (ru)": "государственных услуг",
    "prefix (kk)": "цифр",
    "Kazakh in Latin script": "memlekettik qyzmet",
}


def kazakh_sentences() -> list[str]:
    text = " ".join(p.read_text() for p in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in re.split(r"[.!?\n]", text) if len(s.split()) >= 5]


def documents(count: int, rng: random.Random, pools: dict[str, list[str]]):
    for _ in range(count):
        language = rng.choice(["kk", "kk", "ru", "en"])
        sentences = pools[language]
        yield language, rng.choice(sentences), " ".join(rng.sample(sentences, k=3))


def seed(resources: int, posts: int) -> None:
    from django.db import connection

    from core.models import Community
    from search.normalize import index_text

    rng = random.Random(2026)
    pools = {"kk": kazakh_sentences(), "ru": RUSSIAN, "en": ENGLISH}
    communities = {c.pk: c.slug for c in Community.objects.all()}
    now = datetime.now(UTC)
    entries, facets = io.StringIO(), io.StringIO()
    rare_ids = set(rng.sample(range(1, resources + posts + 1), 50))

    def clean(value: str) -> str:
        return value.replace("\\", " ").replace("\t", " ").replace("\n", " ")

    entry_id = 0
    for doc_type, count in (("resource", resources), ("post", posts)):
        for language, title, body in documents(count, rng, pools):
            entry_id += 1
            if entry_id in rare_ids:
                body = f"{body} {RARE}"
            community_id = rng.choice(list(communities))
            created = now - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            year = created.year
            kind = rng.choice(KINDS) if doc_type == "resource" else ""
            title_norm = index_text(title, language) if doc_type == "resource" else ""
            summary = title if doc_type == "resource" else ""
            entries.write(
                "\t".join(
                    [
                        str(entry_id),
                        doc_type,
                        str(entry_id),
                        "public",
                        str(community_id),
                        clean(title[:300]),
                        f"/bench/{entry_id}/",
                        language,
                        kind,
                        str(year),
                        created.isoformat(),
                        title_norm,
                        index_text(summary, language),
                        index_text(body, language),
                        clean(body),
                    ]
                )
                + "\n"
            )
            rows = [("type", doc_type), ("community", communities[community_id]),
                    ("language", language), ("year", str(year))]  # fmt: skip
            if doc_type == "resource":
                rows += [("kind", kind)] + [("country", c) for c in rng.sample(COUNTRIES, 2)]
            rows += [("tag", t) for t in rng.sample(TAGS, 2)]
            for name, value in rows:
                facets.write(f"{entry_id}\t{name}\t{value}\n")
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY resources_searchentry (id, doc_type, object_id, visibility, community_id, "
            "title, url, language, kind, year, created, title_norm, summary_norm, body_norm, "
            "text) FROM STDIN"
        ) as copy:
            copy.write(entries.getvalue())
        with cursor.copy("COPY resources_searchfacet (entry_id, name, value) FROM STDIN") as copy:
            copy.write(facets.getvalue())
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('resources_searchentry', 'id'), %s)",
            [entry_id],
        )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resources_searchentry")
        cursor.execute("VACUUM ANALYZE resources_searchfacet")


def ilike_scan(words: str) -> tuple[int, list[int]]:
    """The naive way: a case-insensitive substring scan, a count and the newest 20."""
    from django.db import connection

    clauses, args = [], []
    for word in words.split():
        clauses.append("(title ILIKE %s OR text ILIKE %s)")
        args += [f"%{word}%", f"%{word}%"]
    where = " AND ".join(clauses)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM resources_searchentry WHERE {where}", args)  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id FROM resources_searchentry WHERE {where} ORDER BY created DESC LIMIT 20",  # noqa: S608
            args,
        )
        return count, [row[0] for row in cursor.fetchall()]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    args = parser.parse_args()

    if args.reuse:
        database_url = (
            f"{os.environ.get('BENCH_PG', 'postgres://postgres@127.0.0.1:5432')}/cop_bench_search"
        )
    else:
        database_url = fresh_pg_database("cop_bench_search")
    env = env_for(database_url, redis=False)
    if not args.reuse:
        manage(env, "migrate", "--noinput", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser

    from search.query import SearchParams, search

    if not args.reuse:
        started = time.monotonic()
        seed(args.resources, args.posts)
        total = args.resources + args.posts
        print(f"seeded {total:,} documents in {time.monotonic() - started:.0f} s")

    anonymous = AnonymousUser()
    print()
    print(f"machine: {machine()}; PostgreSQL; {args.resources:,} resources + {args.posts:,} posts;")
    print(f"{args.runs} runs per query, in-process (no HTTP), first page of 20 with facets")
    print()
    print(
        "| query | matches | search p50 ms | search p95 ms | ILIKE p50 ms | ILIKE p95 ms | speed-up (p95) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, query in QUERIES.items():
        params = SearchParams(q=query)
        result = search(user=anonymous, params=params)
        ours = timed(lambda p=params: search(user=anonymous, params=p), args.runs)
        scan = timed(lambda q=query: ilike_scan(q), max(5, args.runs // 8))
        matches = f"{result.count:,}{'+' if result.capped else ''}"
        print(
            f"| {name}: `{query}` | {matches} | {percentile(ours, 50):.1f} | "
            f"{percentile(ours, 95):.1f} | {percentile(scan, 50):.0f} | {percentile(scan, 95):.0f} | "
            f"{percentile(scan, 95) / percentile(ours, 95):.0f}× |"
        )


if __name__ == "__main__":
    main()
