"""Search over the library, threads, replies and chat: one suite for both backends.

CI runs the whole suite on SQLite (FTS5) and on PostgreSQL (tsvector + GIN); nothing here
depends on which one answers. Kazakh sentences come from the hub's own texts
(tests/data).
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command

from forums import services as thread_services
from forums.services import chat as chat_services
from resources import services
from search import query
from search.models import SearchEntry
from search.query import SearchParams, search

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()

# Real Kazakh sentences (seeds 000 and 003), chosen so that each query below finds a known set.
KK_KOREA = (
    "Корея үкіметі қаржыландыратын Орталық Азия мен Кавказ елдері үшін цифрландыру саласындағы "
    "мемлекеттік қызметкерлердің әлеуетін арттыруға бағытталған өте бірегей, ауқымды жоба."
)
KK_REFORMS = (
    "Сонымен қатар алғаш рет посткеңестік кеңістіктегі барлық 15 мемлекетті біріктіріп, осы "
    "елдердегі әкімшілік реформаларға шолу жасадық."
)
KK_DIRECTIONS = (
    "Негізгі қызмет бағыттары: әріптестік және ынтымақтастық, әлеуетті нығайту және тең "
    "дәрежеде білім алмасу."
)
KK_INNOVATION = (
    "Үш күн ішінде қатысушылар цифрлық инновацияларды енгізу, адами ресурстарды басқарудағы "
    "ішкі коммуникациялардың рөлі туралы әңгімелеп, жаңа тәсілдер мен идеяларды талқылайды."
)


def titles(result) -> set[str]:
    return {hit.title for hit in result.results}


def run(q: str = "", user=ANONYMOUS, **params):
    return search(user=user, params=SearchParams(q=q, **params))


# --- Languages ------------------------------------------------------------------------------


@pytest.fixture
def kazakh_library(make_resource):
    for title, body in (
        ("K-korea", KK_KOREA),
        ("K-reforms", KK_REFORMS),
        ("K-directions", KK_DIRECTIONS),
        ("K-innovation", KK_INNOVATION),
    ):
        make_resource(title=title, summary="Хаб.", body=body, language="kk")


STATE = {"K-korea", "K-reforms"}
DIGITAL = {"K-korea"}
SERVICE = {"K-korea", "K-directions"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # мемлекет / мемлекеттік / мемлекеттердің
        ("мемлекет", STATE),
        ("мемлекеттік", STATE),
        ("мемлекеттердің", STATE),
        # цифрландыру / цифрландыруға / цифрландырудың (not the unrelated "цифрлық")
        ("цифрландыру", DIGITAL),
        ("цифрландыруға", DIGITAL),
        ("цифрландырудың", DIGITAL),
        # қызмет / қызметшілер / қызметтің
        # A complete word is matched as itself: қызмет (service) does not find қызметкер
        # (employee), a word of its own; a word still being typed does (below, "қызм").
        ("қызмет", {"K-directions"}),
        ("қызметшілер", SERVICE),
        ("қызметтің", SERVICE),
        # Case folding of every Kazakh letter, and a capitalised inflected form.
        ("ҚЫЗМЕТТІҢ", SERVICE),
        ("МЕМЛЕКЕТТЕРДІҢ", STATE),
        ("ӘЛЕУЕТІН", {"K-korea", "K-directions"}),
        ("ІШКІ ҮШ КҮН", {"K-innovation"}),
        # No text has both words: those with either, and a notice (tested below).
        ("ұйымдар ынтымақтастығы", {"K-directions"}),
        ("ынтымақтастығы", {"K-directions"}),
        # Prefixes.
        ("мемле", STATE),
        ("цифрл", {"K-korea", "K-innovation"}),
        ("қызм", SERVICE),
        # Kazakh Latin (2021 alphabet) finds the Cyrillic text.
        ("memlekettik qyzmetkerler", {"K-korea"}),
        ("sifrlandyru", DIGITAL),
        ("tsifrlandyru", DIGITAL),
        ("Memlekettı", STATE),
        ("äleuet", {"K-korea", "K-directions"}),
        ("innovasialar", set()),  # not a 2021 spelling of инновация: found nothing, no error
        ("ınnovatsiialar", {"K-innovation"}),
    ],
)
def test_kazakh_inflected_forms_prefixes_and_latin_find_each_other(kazakh_library, q, expected):
    assert titles(run(q, type="resource")) == expected


def test_a_half_typed_word_ending_in_a_voiced_letter_finds_the_longer_word(make_resource):
    """Kazakh respells a final ғ/б as қ/п in a complete stem (бағ → baq), but a half-typed "бағ"
    is the start of бағдарлама, and must be asked as written too."""
    programme = make_resource(title="Бағдарлама", summary="Мемлекеттік бағдарлама.", language="kk")
    residents = make_resource(title="Тұрғындар", summary="Тұрғындар пікірі.", language="kk")
    assert [hit.id for hit in run("бағ").results] == [programme.pk]
    assert [hit.id for hit in run("тұрғ").results] == [residents.pk]


def test_cyrillic_query_finds_a_text_written_in_kazakh_latin(make_resource):
    make_resource(
        title="Latin",
        summary="Memlekettık qyzmet habynyñ däs­türlı konferensiasy bastaldy.",
        language="kk",
    )
    make_resource(title="Other", summary="Басқа мәтін.", language="kk")
    assert titles(run("мемлекеттік қызметтің")) == {"Latin"}
    assert titles(run("хабының")) == {"Latin"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("государственных услуг", {"R-one-stop"}),
        ("государственные услуги", {"R-one-stop"}),
        ("ГОСУДАРСТВО", {"R-one-stop"}),
        ("цифровизации", {"R-digital"}),
        ("цифровизацией регионов", {"R-digital"}),
        ("опыта", {"R-digital", "R-one-stop"}),
        ("опыт", {"R-digital", "R-one-stop"}),
        ("ёлка", set()),
    ],
)
def test_russian_word_forms_match(make_resource, q, expected):
    make_resource(
        title="R-one-stop",
        summary="Опыт предоставления государственной услуги по принципу одного окна.",
        body="Государство переводит услуги в центры обслуживания населения.",
        language="ru",
    )
    make_resource(
        title="R-digital",
        summary="Цифровизация регионов: обзор опыта пяти стран.",
        language="ru",
    )
    assert titles(run(q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("governments", {"E-gov"}),
        ("government", {"E-gov"}),
        ("Governing", {"E-gov"}),
        ("innovations", {"E-innovation"}),
        ("innovating", {"E-innovation"}),
        ("service delivery", {"E-gov"}),
        ("servic", {"E-gov"}),  # a prefix
        ("the", None),  # a stop word alone: nothing to look for, no error
        ("a", None),
    ],
)
def test_english_word_forms_match(make_resource, q, expected):
    make_resource(title="E-gov", summary="How governments redesign service delivery.")
    make_resource(title="E-innovation", summary="An innovation lab in a ministry.")
    result = run(q)
    if expected is None:
        # Nothing to search by: the browse view (everything, newest first) with a notice.
        assert result.too_short
        assert [hit.title for hit in result.results] == ["E-innovation", "E-gov"]
    else:
        assert titles(result) == expected
        assert not result.too_short


@pytest.mark.parametrize(
    "q",
    ["и", "ә", "x", "на в и", '"', "*", "AND", "NOT OR", "NEAR(", "a:*", "'; DROP", "((", "-", "…"],
)
def test_stop_words_single_letters_and_syntax_do_not_explode(make_resource, client, q):
    make_resource(title="Anything", summary="AND OR NOT NEAR drop in on a b c.")
    result = run(q)
    assert result.count == len(result.results)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    api = client.get("/api/v1/search", {"q": q})
    assert api.status_code == 200
    assert api.json()["count"] == result.count


# --- Ranking, order, pagination, snippets ----------------------------------------------------


def test_title_outranks_summary_outranks_body_and_newest_order_ignores_score(make_resource):
    body = make_resource(title="Third", summary="Nothing here.", body="Procurement reform.")
    summary = make_resource(title="Second", summary="A procurement study.")
    title = make_resource(title="Procurement portal", summary="Nothing here.")
    # Published in this order: the title match is the newest, so reverse the dates to make
    # sure the ranking, not the recency, puts it first.
    for days, resource in enumerate((title, summary, body)):
        SearchEntry.objects.filter(doc_type="resource", object_id=resource.pk).update(
            created=resource.published_at.replace(year=2020 + days)
        )
    relevance = run("procurements")
    assert [hit.id for hit in relevance.results] == [title.pk, summary.pk, body.pk]
    assert relevance.results[0].score > relevance.results[1].score > relevance.results[2].score
    newest = run("procurements", order="newest")
    assert [hit.id for hit in newest.results] == [body.pk, summary.pk, title.pk]
    oldest = run("procurements", order="oldest")
    assert [hit.id for hit in oldest.results] == [title.pk, summary.pk, body.pk]


def test_title_order_ignores_case_and_script(make_resource):
    for title in ("Zeta grain", "Ақ grain", "alpha grain", "Mu grain"):
        make_resource(title=title, summary="Grain.")
    assert [h.title for h in run("grain", order="title").results] == [
        "alpha grain",
        "Mu grain",
        "Zeta grain",
        "Ақ grain",
    ]
    assert run("grain", order="newest").results[0].title == "Mu grain"


def test_counts_are_capped_and_facets_then_describe_the_best_ranked(make_resource, monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 3)
    monkeypatch.setattr(query, "FACET_SAMPLE", 3)
    made = [make_resource(title=f"Budget {n}", summary="Budget.") for n in range(4)]
    made.append(make_resource(title="Budget budget", summary="Budget budget budget."))
    result = run("budget")
    assert (result.capped, result.count, result.facets_scope) == (True, 3, "best")
    # Every match is ranked, not only the newest: the one that says it most comes first.
    assert result.results[0].id == made[-1].pk
    assert sum(item["count"] for item in result.facets["type"]) == 3
    below = run("budget", type="resource", year_from=1900)
    assert below.capped


def test_pagination(make_resource):
    made = [make_resource(title=f"Audit {n:02}", summary="Audit report.") for n in range(25)]
    first = run("audit", order="newest", page=1)
    second = run("audit", order="newest", page=2)
    assert (first.count, first.pages, second.page) == (25, 2, 2)
    assert [h.id for h in first.results + second.results] == [r.pk for r in reversed(made)]
    beyond = run("audit", page=9)
    assert beyond.page == 2
    assert len(beyond.results) == 5


def test_snippets_highlight_inflected_words_and_escape_markup(make_resource):
    make_resource(
        title="Мемлекеттік қызмет",
        summary="Барлық 15 мемлекетті <script>alert(1)</script> біріктіріп.",
        language="kk",
    )
    hit = run("мемлекеттердің").results[0]
    assert "<mark>мемлекетті</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert str(hit.title_html) == "<mark>Мемлекеттік</mark> қызмет"


def test_snippet_is_cut_around_the_match(make_resource):
    filler = "lorem ipsum dolor " * 40
    make_resource(title="Long", summary="Intro.", body=f"{filler} decentralisation {filler}")
    snippet = str(run("decentralisation").results[0].snippet)
    assert "<mark>decentralisation</mark>" in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert len(snippet) < 300


# --- Facets ---------------------------------------------------------------------------------


def test_facet_counts_cover_every_type_and_field(make_resource, make_thread, make_reply):
    make_resource(
        title="Water A",
        kind="case",
        year=2021,
        countries=["KZ", "KG"],
        language="en",
        community=["e-government", "ai"],
        tags=["Open data"],
    )
    make_resource(
        title="Water B", kind="toolkit", year=2021, countries=["KZ"], language="ru", tags=[]
    )
    make_resource(title="Water C", kind="case", year=2019, countries=[], community="innovation")
    thread = make_thread(title="Water meters", body="Smart water meters.", community="ai")
    make_reply(thread, "Water tariffs too.")
    result = run("water")
    assert result.count == 5
    facets = {
        name: {i["value"]: i["count"] for i in items} for name, items in result.facets.items()
    }
    assert facets["type"] == {"resource": 3, "thread": 1, "post": 1}
    assert facets["community"] == {"e-government": 2, "ai": 3, "innovation": 1}
    assert facets["kind"] == {"case": 2, "toolkit": 1}
    assert facets["country"] == {"KZ": 2, "KG": 1}
    assert facets["language"] == {"en": 4, "ru": 1}
    assert facets["tag"] == {"open-data": 1}
    year = thread.created.year
    expected_years = {"2021": 2, "2019": 1}
    expected_years[str(year)] = expected_years.get(str(year), 0) + 2
    assert facets["year"] == expected_years
    labels = {i["value"]: i["label"] for i in result.facets["country"]}
    assert labels == {"KZ": "Kazakhstan", "KG": "Kyrgyzstan"}
    assert result.facets["tag"] == [{"value": "open-data", "label": "Open data", "count": 1}]
    # Filtering narrows the results and the counts together.
    narrowed = run("water", kind="case", country="kz")
    assert titles(narrowed) == {"Water A"}
    assert narrowed.facets["kind"] == [{"value": "case", "label": "Analytical case", "count": 1}]
    assert titles(run("water", community="ai", type="resource")) == {"Water A"}
    assert titles(run("water", year_from=2020, year_to=2021)) == {"Water A", "Water B"}
    assert titles(run("water", tag="open-data")) == {"Water A"}
    assert titles(run("water", language="ru")) == {"Water B"}
    assert {h.type for h in run("water", type="post").results} == {"post"}


# --- Permissions: nothing private leaks into results, counts, facets or snippets -------------

SECRET = "zorblaxian"


@pytest.fixture
def private_items(make_resource, make_thread, make_reply, make_message, communities, make_member):
    """One public item with a common word, and private items carrying SECRET (and the common
    word): each in a state that must keep it out of search."""
    moderator = make_member(communities["e-government"], role="moderator")
    submitter = make_member(communities["e-government"])
    make_resource(
        title="Public lantern", summary="A lantern for everyone.", kind="toolkit", countries=[]
    )
    for status in ("submitted", "changes", "rejected", "archived", "draft"):
        make_resource(
            title=f"{SECRET} {status}",
            summary=f"{SECRET} lantern {status}.",
            kind="dataset",
            countries=["FR"],
            tags=[SECRET],
            status=status,
            submitter=submitter,
        )
    thread = make_thread(title="Lanterns", body="The opening post about lanterns.")
    hidden = make_reply(thread, f"A lantern reply with {SECRET}.")
    thread_services.post_set_hidden(post=hidden, actor=moderator, hidden=True, reason="spam")
    deleted = make_reply(thread, f"Another lantern reply with {SECRET}.")
    thread_services.post_delete(post=deleted, actor=deleted.author)
    gone = make_thread(title=f"Lantern {SECRET}", body=f"{SECRET} lantern.", community="ai")
    make_reply(gone, f"Lantern {SECRET} in a deleted thread.")
    ai_moderator = make_member(communities["ai"], role="moderator")
    thread_services.thread_delete(thread=gone, actor=ai_moderator)
    hidden_opening = make_thread(title="Quiet lanterns", body=f"Lantern opening {SECRET}.")
    opening = hidden_opening.posts.get(number=1)
    thread_services.post_set_hidden(post=opening, actor=moderator, hidden=True, reason="spam")
    message = make_message(f"Lantern {SECRET} in chat, deleted.")
    chat_services.message_delete(message=message, actor=message.author)
    make_message("A lantern in chat, for signed-in readers.", community="innovation")
    return moderator


@pytest.mark.parametrize("who", ["anonymous", "signed_in", "moderator", "staff"])
def test_private_items_never_leak(private_items, who, make_user, client, login):
    user = {
        "anonymous": ANONYMOUS,
        "signed_in": make_user(),
        "moderator": private_items,
        "staff": make_user(staff=True),
    }[who]
    secret = run(SECRET, user=user)
    assert (secret.count, secret.results, secret.facets) == (0, [], {})
    common = run("lantern", user=user)
    chat = {"message"} if who != "anonymous" else set()
    assert {h.type for h in common.results} == {"resource", "thread"} | chat
    assert common.count == 3 + len(chat)
    facets = {
        name: {i["value"]: i["count"] for i in items} for name, items in common.facets.items()
    }
    assert facets["kind"] == {"toolkit": 1}
    assert "country" not in facets
    assert "tag" not in facets
    assert facets["type"] == {"resource": 1, "thread": 2} | ({"message": 1} if chat else {})
    for hit in common.results:
        assert SECRET not in str(hit.snippet).lower()
        assert SECRET not in hit.title.lower()
    # The same through the page and the API, for the pages' own rendering of facets.
    http = login(user) if who != "anonymous" else client
    page = http.get("/search/", {"q": "lantern"}).content.decode()
    api = http.get("/api/v1/search", {"q": "lantern"}).content.decode()
    assert "Public <mark>lantern</mark>" in page
    assert "Public lantern" in api
    for text in (page, api):
        assert SECRET not in text.lower()
        assert "Dataset" not in text
        assert "France" not in text


def test_chat_messages_are_for_signed_in_readers_only(make_message, make_user, client, login):
    make_message("Kumis tasting in the chat room.")
    assert run("kumis").count == 0
    assert client.get("/api/v1/search", {"q": "kumis"}).json()["count"] == 0
    reader = make_user()
    result = run("kumis", user=reader)
    assert [h.type for h in result.results] == ["message"]
    assert result.results[0].url.endswith("?at=1#m1")
    body = login(reader).get("/api/v1/search", {"q": "kumis"}).json()
    assert body["results"][0]["type"] == "message"


# --- The index follows the services at once ----------------------------------------------------


def test_editing_a_resource_reindexes_it(make_resource, curator):
    resource = make_resource(title="Old heading", summary="Pastures.")
    services.resource_update(resource=resource, actor=curator, data={"title": "New ledger"})
    assert run("heading").count == 0
    assert titles(run("ledger")) == {"New ledger"}


@pytest.mark.parametrize("action", ["archive", "request_changes", "reject"])
def test_unpublishing_a_resource_removes_it_at_once(make_resource, curator, action):
    resource = make_resource(title="Caravan", summary="Caravanserai.")
    assert run("caravan").count == 1
    if action == "archive":
        services.resource_archive(resource=resource, actor=curator)
    elif action == "request_changes":
        services.resource_request_changes(resource=resource, actor=curator, comment="Fix.")
    else:
        services.resource_reject(resource=resource, actor=curator, comment="No.")
    assert run("caravan").count == 0
    services.resource_publish(resource=resource, actor=curator)
    assert run("caravan").count == 1


def test_hiding_deleting_and_editing_posts_update_results(
    make_thread, make_reply, make_member, communities
):
    moderator = make_member(communities["e-government"], role="moderator")
    thread = make_thread(title="Steppe", body="Opening about yurts.", author=moderator)
    reply = make_reply(thread, "Reply about felt.")
    assert titles(run("felt")) == {"Steppe"}
    thread_services.post_set_hidden(post=reply, actor=moderator, hidden=True)
    assert run("felt").count == 0
    thread_services.post_set_hidden(post=reply, actor=moderator, hidden=False)
    assert run("felt").count == 1
    thread_services.post_edit(post=reply, editor=reply.author, body="Reply about saddles.")
    assert (run("felt").count, run("saddles").count) == (0, 1)
    thread_services.post_delete(post=reply, actor=reply.author)
    assert run("saddles").count == 0
    opening = thread.posts.get(number=1)
    thread_services.post_edit(post=opening, editor=moderator, body="About horses.", title="Herders")
    assert (run("yurts").count, run("horses").count, run("steppe").count) == (0, 1, 0)
    assert titles(run("herders")) == {"Herders"}


def test_deleting_or_moving_a_thread_updates_its_replies(make_thread, make_reply, communities):
    thread = make_thread(title="Nomads", body="Opening.", community="ai")
    make_reply(thread, "Reply about nomads.")
    staff = thread.author
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    thread_services.thread_move(thread=thread, actor=staff, to=communities["innovation"])
    moved = run("nomads")
    assert moved.count == 2
    assert moved.facets["community"] == [
        {"value": "innovation", "label": communities["innovation"].name, "count": 2}
    ]
    assert titles(run("nomads", community="ai")) == set()
    thread_services.thread_delete(thread=thread, actor=staff)
    assert run("nomads").count == 0


def test_chat_edits_and_deletions_update_results(make_message, make_user):
    reader = make_user()
    message = make_message("Talking about dombra.")
    chat_services.message_edit(message=message, actor=message.author, body="Talking about kobyz.")
    assert (run("dombra", user=reader).count, run("kobyz", user=reader).count) == (0, 1)
    chat_services.message_delete(message=message, actor=message.author)
    assert run("kobyz", user=reader).count == 0


def test_reindex_rebuilds_the_index_with_progress(make_resource, make_thread, make_reply):
    make_resource(title="Archive shelf", summary="Shelf.")
    make_resource(title="Pending shelf", summary="Shelf.", status="submitted")
    thread = make_thread(title="Shelf talk", body="Shelves.")
    make_reply(thread, "More shelf space.")
    before = {(h.type, h.id) for h in run("shelf").results}
    SearchEntry.objects.all().delete()  # behind the index's back: its version stays
    assert run("shelf").count == 3  # so the cached results are still served
    cache.clear()
    assert run("shelf").count == 0
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert {(h.type, h.id) for h in run("shelf").results} == before
    assert len(before) == 3  # the submitted resource is not indexed
    assert "Indexed 3 objects." in out.getvalue()
    assert "reindex: 3/3 (100%)" in err.getvalue()


# --- The search page --------------------------------------------------------------------------


def test_search_page_tabs_facets_snippets_and_order(make_resource, make_thread, client):
    make_resource(title="Tax portal", summary="Online tax filing.", kind="toolkit")
    make_thread(title="Tax questions", body="Who files taxes online?")
    response = client.get("/search/", {"q": "taxes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 results" in html
    assert "<mark>Tax</mark> portal" in html
    assert "<mark>taxes</mark>" in html
    assert 'href="?q=taxes&amp;type=resource"' in html  # a type tab
    assert '<span>Toolkit or guide</span> <span class="count">1</span>' in html  # a facet count
    only_threads = client.get("/search/", {"q": "taxes", "type": "thread"}).content.decode()
    assert "<mark>Tax</mark> questions" in only_threads
    assert "<mark>Tax</mark> portal" not in only_threads
    assert 'aria-current="page">Threads' in only_threads


def test_empty_query_shows_the_library_browse_view(make_resource, client):
    make_resource(title="Browsable")
    response = client.get("/search/", {"q": "  "})
    assert response.status_code == 200
    assert "resources/library.html" in [t.name for t in response.templates]
    assert "Browsable" in response.content.decode()


def test_search_page_budget(make_resource, make_thread, client, django_assert_max_num_queries):
    for n in range(30):
        make_resource(title=f"Harvest {n}", tags=[f"tag {n}"], community=["ai", "innovation"])
    for n in range(10):
        make_thread(title=f"Harvest thread {n}", body="Harvest.")
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "harvest"})
    assert "40 results" in response.content.decode()


def test_search_page_drops_a_malformed_parameter_and_keeps_the_others(make_resource, client):
    make_resource(title="Grain toolkit", kind="toolkit", summary="Grain.")
    make_resource(title="Grain case", kind="case", summary="Grain.")
    response = client.get("/search/", {"q": "grain", "kind": "toolkit", "page": "abc"})
    assert response.status_code == 200
    assert [hit.title for hit in response.context["result"].results] == ["Grain toolkit"]
    # A long query is cut at 200 characters, not refused: "grain" and a 194-letter word that
    # no text has, so the results are those with any of the words, with the notice.
    long = client.get("/search/", {"q": "grain " + "x" * 300})
    assert long.status_code == 200
    assert long.context["result"].fallback == "any"
    assert long.context["result"].count == 2
    assert "No result has all of these words" in long.content.decode()
