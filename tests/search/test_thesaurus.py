"""The trilingual thesaurus: the reviewed file is well formed and covers the communities'
vocabulary; a malformed line is reported with its number; moderators edit concepts in the admin
and the next search uses them, without a deploy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from search import thesaurus
from search.models import ThesaurusConcept, ThesaurusTerm
from search.normalize import query_terms
from search.query import SearchParams, search

AREAS = [
    "one-stop-shop", "public-service-delivery", "e-government", "digital-government",
    "digital-identity", "open-data", "innovation", "innovation-lab", "artificial-intelligence",
    "civil-service", "civil-service-reform", "training", "evaluation", "anti-corruption",
    "public-procurement",
]  # fmt: skip


def test_the_shipped_file_is_well_formed_and_covers_the_communities():
    concepts = thesaurus.read()
    assert len(concepts) >= 600
    keys = {concept.key for concept in concepts}
    assert set(AREAS) <= keys
    for concept in concepts:
        for language in thesaurus.LANGUAGES:
            assert concept.terms[language], (concept.line, language)
            for term in concept.terms[language]:
                assert query_terms(term), (concept.line, term)  # every term is searchable


def test_the_migration_loaded_every_concept(db):
    assert ThesaurusConcept.objects.filter(source="file").count() == len(thesaurus.read())
    procurement = ThesaurusConcept.objects.get(key="public-procurement")
    texts = {(t.language, t.text) for t in procurement.terms.all()}
    assert ("kk", "мемлекеттік сатып алу") in texts
    assert ("en", "public procurement") in texts


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("bad key\tа\tб\tc", "line 3: the key 'bad key'"),
        ("only-two\tа", "line 3: expected 4 fields"),
        ("empty-term\tа | \tб\tc", "line 3: an empty kk term"),
        ("twice\tа | а\tб\tc", "line 3: a kk term twice"),
        ("first\tа\tб\tc", "line 3: the key 'first' is already on line 2"),
        ("long\t" + "а" * 81 + "\tб\tc", "line 3: a kk term longer than 80"),
    ],
)
def test_a_malformed_line_is_reported_with_its_number(tmp_path, line, message):
    path = tmp_path / "thesaurus.tsv"
    path.write_text(f"# comment\nfirst\tа\tб\tc\n{line}\n", encoding="utf-8")
    with pytest.raises(thesaurus.ThesaurusFormatError, match=message):
        thesaurus.read(path)


def test_the_load_command_names_the_line_and_loads_nothing_of_a_bad_file(db, tmp_path):
    path = tmp_path / "thesaurus.tsv"
    path.write_text("new-concept\tжаңа\tновое\tnew thing\nbroken\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("thesaurus_load", str(path))
    assert not ThesaurusConcept.objects.filter(key="new-concept").exists()


def test_loading_again_keeps_what_moderators_edited(db):
    concept = ThesaurusConcept.objects.get(key="public-procurement")
    concept.edited = True
    concept.save()
    concept.terms.filter(language="en").delete()
    counts = thesaurus.load()
    assert counts["kept"] == 1
    assert counts["created"] == 0
    assert not concept.terms.filter(language="en").exists()


def _search(q: str):
    return search(user=AnonymousUser(), params=SearchParams(q=q))


def test_a_concept_added_in_the_admin_is_used_by_the_next_search(
    client, make_user, make_resource, django_capture_on_commit_callbacks
):
    staff = make_user("editor", staff=True, is_superuser=True)
    kazakh = make_resource(title="Бюджеттік жоспарлау", summary="Өңірлер.", language="kk")
    assert _search("zebrafication").count == 0
    client.force_login(staff)
    data = {
        "key": "zebrafication",
        "terms-TOTAL_FORMS": "2",
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
        "terms-0-language": "en",
        "terms-0-text": "zebrafication",
        "terms-0-position": "0",
        "terms-1-language": "kk",
        "terms-1-text": "бюджеттік жоспарлау",
        "terms-1-position": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/search/thesaurusconcept/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    concept = ThesaurusConcept.objects.get(key="zebrafication")
    assert concept.source == "admin"
    assert [hit.id for hit in _search("zebrafication").results] == [kazakh.pk]


def test_editing_a_file_concept_in_the_admin_marks_it_edited(
    client, make_user, django_capture_on_commit_callbacks
):
    staff = make_user("editor", staff=True, is_superuser=True)
    client.force_login(staff)
    concept = ThesaurusConcept.objects.get(key="public-procurement")
    terms = list(concept.terms.order_by("id"))
    data = {
        "key": concept.key,
        "terms-TOTAL_FORMS": str(len(terms) + 1),
        "terms-INITIAL_FORMS": str(len(terms)),
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for n, term in enumerate(terms):
        data |= {
            f"terms-{n}-id": str(term.pk),
            f"terms-{n}-concept": str(concept.pk),
            f"terms-{n}-language": term.language,
            f"terms-{n}-text": term.text,
            f"terms-{n}-position": str(term.position),
        }
    n = len(terms)
    data |= {
        f"terms-{n}-language": "en",
        f"terms-{n}-text": "tendering",
        f"terms-{n}-position": "5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/search/thesaurusconcept/{concept.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    concept.refresh_from_db()
    assert concept.edited
    assert ThesaurusTerm.objects.filter(concept=concept, text="tendering").exists()
    expansions = thesaurus.expansions(query_terms("tendering"))
    assert [e.matched.text for e in expansions] == ["tendering"]


def test_a_term_with_nothing_to_search_by_is_refused_in_the_admin(client, make_user):
    staff = make_user("editor", staff=True, is_superuser=True)
    client.force_login(staff)
    data = {
        "key": "empty-words",
        "terms-TOTAL_FORMS": "1",
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
        "terms-0-language": "ru",
        "terms-0-text": "и в на",
        "terms-0-position": "0",
    }
    response = client.post("/admin/search/thesaurusconcept/add/", data)
    assert response.status_code == 200
    assert "This term has no word search can use" in response.content.decode()
    assert 'value="и в на"' in response.content.decode()  # what was typed is kept
    assert not ThesaurusConcept.objects.filter(key="empty-words").exists()
