"""Relevance in the three languages, on whichever database the suite runs on: every match is
ranked (an old best answer is not lost among thousands of newer mentions), the thesaurus carries
a query across languages with its own language first, word forms meet, look-alike Kazakh words
do not, and a query that finds nothing gets a fallback and a suggestion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from search import evaluation, query
from search.documents import Document
from search.index import document_store
from search.models import SearchEntry
from search.query import SearchParams, search

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()
WORDFORMS = Path(__file__).resolve().parents[1] / "data" / "wordforms"


def run(q: str, **params):
    return search(user=ANONYMOUS, params=SearchParams(q=q, **params))


def ids(result) -> list[int]:
    return [hit.id for hit in result.results]


def notes(count: int, *, sentence: str, language: str, start: int = 1_000_000) -> None:
    """``count`` newer practice notes that mention the words once, deep in ordinary text, put in
    the index the way every app puts its documents there."""
    now = datetime.now(UTC)
    filler = {
        "kk": "Жоба аясында өңірлердегі тәжірибе талқыланды және ұсыныстар дайындалды.",
        "ru": "В рамках проекта обсуждался опыт регионов и готовились рекомендации.",
        "en": "The project discussed regional experience and prepared recommendations.",
    }[language]
    for n in range(count):
        document_store(
            Document(
                doc_type="resource",
                object_id=start + n,
                title=f"Note {n}",
                summary=filler,
                body=f"{filler} {sentence} {filler}",
                text=filler,
                url=f"/library/{start + n}/",
                language=language,
                created=now - timedelta(minutes=n),
                year=now.year,
            )
        )


def backdate(resource, year: int) -> None:
    SearchEntry.objects.filter(doc_type="resource", object_id=resource.pk).update(
        created=datetime(year, 3, 1, tzinfo=UTC)
    )


# --- Every match ranked ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "sentence", "q"),
    [
        (
            "kk",
            "Қазақстандағы мемлекеттік қызметтерді цифрландыру",
            "Цифрландыру туралы бір ескертпе.",
            "цифрландыру",
        ),
        (
            "en",
            "Procurement reform: what worked",
            "A remark on procurement reform.",
            "procurement reform",
        ),
        ("ru", "Реформа закупок в регионах", "Одно замечание про закупки.", "закупки"),
    ],
)
def test_an_old_best_answer_is_first_among_hundreds_of_newer_mentions(
    make_resource, language, title, sentence, q
):
    needle = make_resource(title=title, summary=title, language=language, year=2019)
    backdate(needle, 2019)
    # More newer mentions than the old bound ranked (500 newest), and than the boost window.
    notes(query.BOOST_WINDOW * 3, sentence=sentence, language=language)
    result = run(q)
    assert result.count == query.BOOST_WINDOW * 3 + 1
    assert ids(result)[0] == needle.pk
    # Recency stays available as an order, not as a filter.
    assert needle.pk not in ids(run(q, order="newest"))
    assert ids(run(q, order="oldest"))[0] == needle.pk


def test_counts_are_exact_up_to_ten_thousand_and_facets_count_every_match(make_resource):
    assert query.COUNT_CAP >= 10_000
    make_resource(title="Budget transparency", summary="Budget.", kind="toolkit")
    notes(30, sentence="Budget.", language="en")
    result = run("budget")
    assert (result.count, result.capped, result.facets_scope) == (31, False, "all")
    kinds = {item["value"]: item["count"] for item in result.facets["kind"]}
    assert kinds["toolkit"] == 1
    assert sum(item["count"] for item in result.facets["type"]) == 31


def test_above_the_cap_the_count_says_more_than_and_the_facets_say_what_they_describe(
    make_resource, client, monkeypatch
):
    monkeypatch.setattr(query, "COUNT_CAP", 20)
    monkeypatch.setattr(query, "FACET_SAMPLE", 5)
    notes(25, sentence="Budget.", language="en")
    result = run("budget")
    assert (result.count, result.capped, result.facets_scope) == (20, True, "best")
    assert sum(item["count"] for item in result.facets["type"]) == result.facets_counted == 5
    page = client.get("/search/", {"q": "budget"}).content.decode()
    assert "More than 20 results" in page
    assert "Counts describe the 5 best-ranked results." in page
    api = client.get("/api/v1/search", {"q": "budget"}).json()
    assert (api["count"], api["capped"], api["facets_scope"]) == (20, True, "best")


# --- Across languages ------------------------------------------------------------------------


@pytest.fixture
def procurement(make_resource):
    return {
        "kk": make_resource(
            title="Мемлекеттік сатып алу жүйесін реформалау",
            summary="Өңірлердегі тәжірибе.",
            language="kk",
        ),
        "ru": make_resource(
            title="Реформа системы государственных закупок",
            summary="Опыт регионов.",
            language="ru",
        ),
        "en": make_resource(
            title="Reforming public procurement",
            summary="Regional experience.",
            language="en",
        ),
        "other": make_resource(title="Budget planning", summary="Nothing else.", language="en"),
    }


@pytest.mark.parametrize(
    ("q", "own"),
    [
        ("public procurement", "en"),
        ("мемлекеттік сатып алу", "kk"),
        ("государственные закупки", "ru"),
    ],
)
def test_a_query_finds_the_same_concept_in_every_language_its_own_first(procurement, q, own):
    result = run(q)
    found = ids(result)
    assert set(found) == {procurement[lang].pk for lang in ("kk", "ru", "en")}
    assert found[0] == procurement[own].pk
    first, *others = result.results
    assert not first.translated
    assert all(hit.translated for hit in others)
    assert result.translated_count == 2
    # Each result says what found it, in which language.
    for hit in others:
        assert {word["via"] for word in hit.matched} == {"thesaurus"}
        assert hit.language in {word["language"] for word in hit.matched}
    assert {word["language"] for word in first.matched if word["via"] == "query"} == {own}
    assert result.expansions
    assert result.expansions[0]["terms"]


@pytest.mark.parametrize(
    ("title", "language", "queries"),
    [
        (
            "Жасанды интеллект мемлекеттік басқаруда",
            "kk",
            ["artificial intelligence", "искусственный интеллект", "жасанды интеллект"],
        ),
        (
            "Искусственный интеллект в госуправлении",
            "ru",
            ["artificial intelligence", "жасанды интеллект"],
        ),
        ("Artificial intelligence in the civil service", "en", ["жасанды интеллект"]),
        (
            "Цифрлық үкімет: Корея тәжірибесі",
            "kk",
            ["digital government", "цифровое правительство"],
        ),
        ("Цифровое правительство Кореи", "ru", ["digital government", "цифрлық үкімет"]),
        ("Digital government in Korea", "en", ["цифрлық үкімет", "цифровое правительство"]),
    ],
)
def test_cross_language_pairs_in_every_direction(make_resource, title, language, queries):
    wanted = make_resource(title=title, summary=title, language=language)
    make_resource(title="Budget planning", summary="Nothing else.", language="en")
    for q in queries:
        assert ids(run(q)) == [wanted.pk], q


def test_a_synonym_no_text_uses_finds_them_all(procurement):
    """ "госзакупки" is in none of the texts: every result is found through the thesaurus."""
    result = run("госзакупки")
    assert set(ids(result)) == {procurement[lang].pk for lang in ("kk", "ru", "en")}
    assert all(hit.translated for hit in result.results)


def test_digital_government_finds_the_demo_content(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    result = run("digital government")
    assert result.count > 0
    languages = {hit.language for hit in result.results}
    assert len(languages) >= 2, languages


# --- Word forms and look-alikes --------------------------------------------------------------


def test_held_out_kazakh_word_forms_meet_their_citation_form():
    """Floors under the rates docs/kazakh-stemmer.md reports (``bench/stemmer.py``)."""
    groups = evaluation.groups_read(WORDFORMS / "kk_heldout.tsv")
    floors = {"nouns": 0.92, "verbs": 0.85, "derived": 0.88, "loanwords": 0.95}
    for kind, floor in floors.items():
        chosen = [g for g in groups if _kind(g.key) == kind]
        assert chosen, kind
        report = evaluation.measure(chosen, [])
        assert report.conflation >= floor, (kind, report.conflation, report.missed[:10])


def _kind(key: str) -> str:
    if key.startswith("v-"):
        return "verbs"
    if key.startswith(("der-", "agent-")):
        return "derived"
    if key.startswith("loan-"):
        return "loanwords"
    return "nouns"


def test_russian_fleeting_vowels_and_irregular_plurals_meet():
    _pairs, same = evaluation.pairs_read(WORDFORMS / "precision.tsv")
    report = evaluation.measure(same, [], "ru")
    assert report.conflation == 1.0, report.missed


def test_kazakh_look_alikes_stay_apart():
    pairs, _same = evaluation.pairs_read(WORDFORMS / "precision.tsv")
    kazakh = [p for p in pairs if p.language == "kk"]
    report = evaluation.measure([], kazakh)
    assert report.collision <= 0.12, report.collisions


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        ("қол", "hand"),
        ("қолы", "hand"),
        ("көл", "lake"),
        ("көлдің", "lake"),
        ("сөз", "word"),
        ("соз", "stretch"),
        ("ән", "song"),
        ("аң", "beast"),
    ],
)
def test_a_cyrillic_query_finds_its_own_kazakh_word_not_its_look_alike(make_resource, q, wanted):
    texts = {
        "hand": "Оның қолы ауырды.",
        "lake": "Көлдің жағасында демалдық.",
        "word": "Бұл сөз маңызды.",
        "stretch": "Жіпті соз.",
        "song": "Ән шырқалды.",
        "beast": "Аң аулау маусымы.",
    }
    made = {
        key: make_resource(title=key, summary=text, language="kk") for key, text in texts.items()
    }
    assert ids(run(q)) == [made[wanted].pk]


def test_plain_latin_without_diacritics_finds_both_look_alikes(make_resource):
    hand = make_resource(title="hand", summary="Оның қолы ауырды.", language="kk")
    lake = make_resource(title="lake", summary="Көлдің жағасында демалдық.", language="kk")
    # "kol" cannot say қ or ө: it finds both, as the writer may have meant either.
    assert set(ids(run("kol"))) == {hand.pk, lake.pk}
    # The 2021 Latin alphabet can: "qol" is қол, "köl" is көл.
    assert ids(run("qol")) == [hand.pk]
    assert ids(run("köl")) == [lake.pk]


# --- When nothing matches --------------------------------------------------------------------


def test_no_document_with_every_word_falls_back_to_any_with_a_notice(make_resource, client):
    budget = make_resource(title="Budget planning", summary="Budget.")
    make_resource(title="Other", summary="Nothing.")
    result = run("budget zebra")
    assert (result.fallback, ids(result)) == ("any", [budget.pk])
    page = client.get("/search/", {"q": "budget zebra"}).content.decode()
    assert "No result has all of these words" in page
    assert client.get("/api/v1/search", {"q": "budget zebra"}).json()["fallback"] == "any"


def test_a_misspelt_word_gets_a_did_you_mean_from_the_vocabulary(make_resource, client):
    make_resource(title="Budget transparency", summary="Open contracting.")
    result = run("budjet")
    assert result.count == 0
    assert result.suggestion == "budget"
    page = client.get("/search/", {"q": "budjet"}).content.decode()
    assert "Did you mean:" in page
    assert "?q=budget" in page
    assert client.get("/api/v1/search", {"q": "budjet"}).json()["suggestion"] == "budget"
    # Kazakh too; a known word is not "corrected"; a typo inside a longer query is replaced
    # in place.
    make_resource(title="Цифрландыру", summary="Цифрландыру жобасы.", language="kk")
    assert run("цифрландру").suggestion == "цифрландыру"
    assert run("budget").suggestion == ""
    assert run("open budjet").suggestion == "open budget"


def test_only_stop_words_or_symbols_show_the_browse_view_with_a_notice(make_resource, client):
    made = [make_resource(title=f"Item {n}", summary="Text.") for n in range(3)]
    for q in ("и на в", "the of", "!!! ??? ***", "ә"):
        result = run(q)
        assert result.too_short, q
        assert ids(result) == [r.pk for r in reversed(made)], q
        page = client.get("/search/", {"q": q}).content.decode()
        assert "None of these words can be searched for" in page
        api = client.get("/api/v1/search", {"q": q}).json()
        assert api["too_short"] is True
        assert api["count"] == 3


def test_a_ten_thousand_character_query_is_cut_not_refused(make_resource, client):
    wanted = make_resource(title="Budget planning", summary="Budget.")
    q = "budget " + "планирование " * 800
    assert len(q) > 10_000
    assert ids(run(q)) == [wanted.pk]
    for path in ("/search/", "/library/", "/api/v1/search"):
        response = client.get(path, {"q": q})
        assert response.status_code == HTTPStatus.OK, path
    assert client.get("/api/v1/search", {"q": q}).json()["results"][0]["id"] == wanted.pk


# --- Tags and community names ----------------------------------------------------------------


def test_tags_find_what_they_label(make_resource, make_thread):
    tagged = make_resource(title="Case one", summary="A case.", tags=["open data"])
    make_resource(title="Case two", summary="A case.")
    assert ids(run("open data")) == [tagged.pk]


def test_a_community_name_in_any_language_is_offered_above_the_results(client):
    for q in ("e-government", "электрондық үкімет", "электронное правительство"):
        result = run(q)
        assert "e-government" in [c["slug"] for c in result.communities], q
    page = client.get("/search/", {"q": "электрондық үкімет"}).content.decode()
    assert 'href="/c/e-government/"' in page


# --- PostgreSQL: the RUM index, and without it --------------------------------------------------


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the RUM index is PostgreSQL's"
)


@pytest.fixture
def rum_cache():
    from search import postgres

    postgres._rum.clear()
    yield postgres
    postgres._rum.clear()


@postgres_only
def test_the_migrations_install_the_rum_gin_and_trigram_indexes(rum_cache):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                       "('resources_searchentry', 'search_word')")  # fmt: skip
        indexes = dict(cursor.fetchall())
    # RUM ranks the title-and-summary tier; GIN counts and finds the rest (postgres.py).
    assert "USING rum (head_vector" in indexes[rum_cache.HEAD_RUM_INDEX]
    assert "USING gin (search_vector" in indexes[rum_cache.GIN_INDEX]
    assert "gin_trgm_ops" in indexes["search_word_trgm"]
    assert rum_cache.rum_installed(head=True)
    assert not rum_cache.rum_installed()


@postgres_only
def test_without_rum_the_same_order_comes_from_ts_rank_with_a_warning(
    make_resource, rum_cache, caplog
):
    needle = make_resource(title="Procurement reform: what worked", summary="Procurement reform.")
    backdate(needle, 2019)
    notes(30, sentence="A remark on procurement reform.", language="en")
    with_rum = ids(run("procurement reform", per_page=50))
    with connection.cursor() as cursor:  # DDL is transactional: the test's rollback restores it
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before DDL
        cursor.execute(f"DROP INDEX {rum_cache.HEAD_RUM_INDEX}")
        cursor.execute(rum_cache.HEAD_GIN_CREATE)
    rum_cache._rum.clear()
    cache.clear()  # the same search again, run rather than read from the cache
    with caplog.at_level("WARNING", logger="search.postgres"):
        without = ids(run("procurement reform", per_page=50))
    assert "no RUM index" in caplog.text
    assert without[0] == with_rum[0] == needle.pk
    assert set(without) == set(with_rum)


def test_the_openapi_schema_documents_the_new_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    out = components["SearchOut"]["properties"]
    for name in ("suggestion", "fallback", "expansions", "translated_count", "facets_scope",
                 "facets_counted", "too_short", "communities"):  # fmt: skip
        assert out[name].get("description"), name
    hit = components["SearchHit"]["properties"]
    assert "language" in hit["matched"]["description"]
    assert hit["translated"]["description"]
    matched = components["MatchedWord"]["properties"]
    assert set(matched) == {"text", "language", "via"}


def test_a_search_takes_a_fixed_number_of_queries(
    make_resource, django_assert_num_queries, django_assert_max_num_queries
):
    for n in range(3):
        make_resource(title=f"Budget case {n}", summary="Budget.", tags=["open data"])
    run("budget")  # warm: the thesaurus is compiled once per process
    cache.clear()  # but not the results
    # vocabulary, two counts (the words; with the thesaurus's terms: "budget" is a concept),
    # first tier, facets, results, their communities, facet labels (communities, library tags,
    # forum tags), community names; PostgreSQL asks the planner's estimate before each count.
    postgres = connection.vendor == "postgresql"
    expected = 12 if postgres else 10
    with django_assert_num_queries(expected):
        result = run("budget")
    assert result.count == 3
    with django_assert_num_queries(0):  # the same search again: from the cache
        assert run("budget").count == 3
    with django_assert_num_queries(expected):
        assert run("budget case").count == 3  # more words, the same queries
    # No result with both words: the counts again for "any", and a "did you mean" lookup. On
    # PostgreSQL a count is skipped when the planner's estimate already answers it, which
    # depends on the table's statistics (what earlier tests left): at most 6 more.
    with django_assert_max_num_queries(expected + (6 if postgres else 3)):
        assert run("budget zebra").fallback == "any"
