"""Search benchmark: 100,000 library resources and 1,000,000 forum posts in the index on
PostgreSQL; p50/p95 latency of rare, common, two-word, prefix, cross-language and Latin-script
queries with every match ranked, counts and facets (the search function the page and the API
call), with the GIN index ranking by ts_rank and with the RUM index ranking inside the index,
against a plain ILIKE scan of the same rows in the same run; and the rank of three "needles"
(an old case with the query in its title, among many newer mentions in passing).

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --resources 10000 --posts 100000 --runs 20   # quicker
    .venv/bin/python bench/search.py --reuse --indexes hybrid                     # one layout

Needs the local PostgreSQL with the rum extension (``postgresql-15-rum``). Seeding 1.1 million
documents (normalised in Python, loaded with COPY) takes a few minutes.
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
    "Procurement reform made public tenders open to every supplier",
    "Public procurement portals publish every contract and its supplier",
]
RUSSIAN += [
    "Реформа государственных закупок сделала тендеры открытыми для поставщиков",
    "Порталы государственных закупок публикуют каждый контракт",
]
# Seed text has no sentence on procurement; this one is the hub's wording of it.
KAZAKH_EXTRA = ["Мемлекеттік сатып алу жүйесін реформалау тендерлерді барлық жеткізушілерге ашты"]
# Old cases, each the best answer to its query, among many newer documents that mention the
# query's words in passing: (language, title, query).
NEEDLES = [
    ("kk", "Цифрландыру: хабтың 2019 жылғы аналитикалық кейсі", "цифрландыру"),
    ("en", "Procurement reform: an analytical case", "procurement reform"),
    ("ru", "Реформа закупок: аналитический кейс", "закупки"),
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
    "common word (ru)": "граждан",
    "two words (ru)": "государственных услуг",
    "prefix (kk)": "цифр",
    "cross-language (en → kk, ru)": "public procurement",
    "cross-language (kk → ru, en)": "жасанды интеллект",
    "Kazakh in Latin script": "memlekettik qyzmet",
}


def kazakh_sentences() -> list[str]:
    text = " ".join(p.read_text() for p in sorted(SEEDS.glob("*.txt")))
    sentences = [s.strip() for s in re.split(r"[.!?\n]", text) if len(s.split()) >= 5]
    return sentences + KAZAKH_EXTRA


def documents(count: int, rng: random.Random, pools: dict[str, list[str]]):
    """(language, title, body): bodies from any sentence; titles only from sentences that do
    not say all of a needle's words, so that each needle is the one title that says what its
    query asks (and the others mention it in passing)."""
    from search.normalize import index_text, query_terms

    needles = [query_terms(query) for _l, _t, query in NEEDLES]

    def says(sentence: str, language: str, words: list[list[str]]) -> bool:
        keys = set(index_text(sentence, language).split())
        return all(keys & set(word) for word in words)

    titles = {
        language: [s for s in sentences if not any(says(s, language, w) for w in needles)]
        for language, sentences in pools.items()
    }
    for _ in range(count):
        language = rng.choice(["kk", "kk", "ru", "en"])
        sentences = pools[language]
        yield language, rng.choice(titles[language]), " ".join(rng.sample(sentences, k=3))


def seed(resources: int, posts: int) -> dict[str, int]:
    """Load the index with COPY, the full-text indexes dropped meanwhile; returns the needles'
    entry ids by query."""
    from django.db import connection

    from core.models import Community
    from search.normalize import index_text
    from search.vocabulary import words_of

    rng = random.Random(2026)
    pools = {"kk": kazakh_sentences(), "ru": RUSSIAN, "en": ENGLISH}
    communities = {c.pk: c.slug for c in Community.objects.all()}
    now = datetime.now(UTC)
    entries, facets = io.StringIO(), io.StringIO()
    rare_ids = set(rng.sample(range(1, resources + posts + 1), 50))
    vocabulary: set[str] = set()

    def clean(value: str) -> str:
        return value.replace("\\", " ").replace("\t", " ").replace("\n", " ")

    def write(entry_id, doc_type, language, title, summary, body, created, community_id, kind):
        year = created.year
        title_norm = index_text(title, language) if doc_type == "resource" else ""
        entries.write(
            "\t".join(
                [
                    str(entry_id),
                    doc_type,
                    str(entry_id),
                    "public",
                    str(community_id),
                    clean(title[:300]),
                    clean(title[:300].casefold()),
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

    entry_id = 0
    for doc_type, count in (("resource", resources), ("post", posts)):
        for language, title, body in documents(count, rng, pools):
            entry_id += 1
            if entry_id in rare_ids:
                body = f"{body} {RARE}"
            if entry_id <= 2000 or doc_type == "resource":
                vocabulary |= words_of(title, body)
            write(
                entry_id,
                doc_type,
                language,
                title if doc_type == "resource" else "",
                title if doc_type == "resource" else "",
                body,
                now - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60)),
                rng.choice(list(communities)),
                rng.choice(KINDS) if doc_type == "resource" else "",
            )
    needles = {}
    for language, title, query in NEEDLES:
        entry_id += 1
        needles[query] = entry_id
        vocabulary |= words_of(title)
        write(
            entry_id,
            "resource",
            language,
            title,
            title,
            rng.choice(pools[language]),
            now - timedelta(days=7 * 365),
            rng.choice(list(communities)),
            "case",
        )
    raw = connection.connection
    with raw.cursor() as cursor:
        for pair in _indexes().values():
            for index, _create in pair:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
        with cursor.copy(
            "COPY resources_searchentry (id, doc_type, object_id, visibility, community_id, "
            "title, title_key, url, language, kind, year, created, title_norm, summary_norm, "
            "body_norm, text) FROM STDIN"
        ) as copy:
            copy.write(entries.getvalue())
        with cursor.copy("COPY resources_searchfacet (entry_id, name, value) FROM STDIN") as copy:
            copy.write(facets.getvalue())
        with cursor.copy("COPY search_word (word) FROM STDIN") as copy:
            copy.write("".join(f"{word}\n" for word in sorted(vocabulary)))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('resources_searchentry', 'id'), %s)",
            [entry_id],
        )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resources_searchentry")
        cursor.execute("VACUUM ANALYZE resources_searchfacet")
        cursor.execute("VACUUM ANALYZE search_word")
    return needles


def _indexes():
    from search import postgres

    gin = (postgres.GIN_INDEX, postgres.GIN_CREATE)
    rum = (postgres.RUM_INDEX, postgres.RUM_CREATE)
    head_gin = (postgres.HEAD_GIN_INDEX, postgres.HEAD_GIN_CREATE)
    head_rum = (postgres.HEAD_RUM_INDEX, postgres.HEAD_RUM_CREATE)
    return {
        "gin": [gin, head_gin],
        "hybrid": [gin, head_rum],
        "rum": [rum, head_rum],
    }


LABELS = {
    "gin": "GIN on both vectors: ts_rank over every match of a tier",
    "hybrid": "GIN on the whole text, RUM on title and summary",
    "rum": "RUM on both vectors",
}


def use_index(kind: str) -> float:
    """Make ``kind`` (a key of _indexes) the full-text indexes; returns the seconds it took to
    build them."""
    from django.db import connection

    from search import postgres

    wanted = _indexes()[kind]
    every = {name for pair in _indexes().values() for name, _create in pair}
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name in every - {name for name, _create in wanted}:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for name, create in wanted:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(create)
        cursor.execute("ANALYZE resources_searchentry")
    postgres._rum.clear()
    return time.monotonic() - started


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


def needle_rank(search, anonymous, query: str, needle: int) -> str:
    from search.models import SearchEntry
    from search.query import SearchParams

    object_id = SearchEntry.objects.get(pk=needle).object_id
    for page in range(1, 6):
        result = search(user=anonymous, params=SearchParams(q=query, page=page, per_page=50))
        for position, hit in enumerate(result.results, start=1):
            if hit.id == object_id:
                return str((page - 1) * 50 + position)
    return "> 250"


def measure(search, anonymous, runs: int, *, with_scan: bool) -> None:
    from search.query import SearchParams

    header = "| query | matches | p50 ms | p95 ms |"
    rule = "|---|---:|---:|---:|"
    if with_scan:
        header += " ILIKE p50 ms | ILIKE p95 ms | speed-up (p95) |"
        rule += "---:|---:|---:|"
    print(header)
    print(rule)
    for name, query in QUERIES.items():
        params = SearchParams(q=query)
        result = search(user=anonymous, params=params)
        ours = timed(lambda p=params: search(user=anonymous, params=p), runs)
        matches = f"{result.count:,}{'+' if result.capped else ''}"
        line = f"| {name}: `{query}` | {matches} | {percentile(ours, 50):.1f} | "
        line += f"{percentile(ours, 95):.1f} |"
        if with_scan:
            scan = timed(lambda q=query: ilike_scan(q), max(5, runs // 8))
            line += (
                f" {percentile(scan, 50):.0f} | {percentile(scan, 95):.0f} | "
                f"{percentile(scan, 95) / percentile(ours, 95):.0f}× |"
            )
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument(
        "--indexes",
        default="gin,rum,hybrid",
        help="which index layouts to measure, in order (gin, rum, hybrid); the ILIKE scan is "
        "measured with the last",
    )
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

    from search.models import SearchEntry
    from search.query import search

    if args.reuse:
        needles = {
            query: SearchEntry.objects.get(title=title).pk for _lang, title, query in NEEDLES
        }
    else:
        started = time.monotonic()
        needles = seed(args.resources, args.posts)
        total = args.resources + args.posts + len(NEEDLES)
        print(f"seeded {total:,} documents in {time.monotonic() - started:.0f} s")

    anonymous = AnonymousUser()
    print()
    print(f"machine: {machine()}; PostgreSQL; {args.resources:,} resources + {args.posts:,} posts;")
    print(
        f"{args.runs} runs per query, in-process (no HTTP): first page of 20, every match "
        "ranked, counts up to 10,000, facets"
    )
    indexes = args.indexes.split(",")
    for kind in indexes:
        built = use_index(kind)
        print()
        print(f"### {LABELS[kind]} (indexes built in {built:.0f} s)")
        print()
        measure(search, anonymous, args.runs, with_scan=kind == indexes[-1])
        print()
        print("| needle query | rank of the old case |")
        print("|---|---:|")
        for query, needle in needles.items():
            print(f"| `{query}` | {needle_rank(search, anonymous, query, needle)} |")


if __name__ == "__main__":
    main()
