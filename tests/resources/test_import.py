"""`manage.py import_resources`: the documented examples, per-line reports, idempotence and
exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resources.models import Collection, Resource
from search.models import SearchEntry
from search.query import SearchParams, search

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run_import(path: Path) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of the command, as a shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_resources", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), f"{err.getvalue()}{exc}"
    return 0, out.getvalue(), err.getvalue()


def jsonl(tmp_path: Path, *records, name: str = "import.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
        + "\n",
        encoding="utf-8",
    )
    return path


def good(external_id: str, **fields) -> dict:
    return {
        "external_id": external_id,
        "title": f"Title {external_id}",
        "summary": "Summary.",
        "kind": "case",
        "communities": ["e-government"],
        **fields,
    }


def found(q: str) -> set[str]:
    result = search(user=None, params=SearchParams(q=q, type="resource"))
    return {hit.title for hit in result.results}


@pytest.mark.parametrize(
    ("name", "count"), [("resources.jsonl", 5), ("resources.csv", 3)], ids=["jsonl", "csv"]
)
def test_documented_examples_import_cleanly_and_twice_safely(communities, name, count):
    status, out, err = run_import(EXAMPLES / name)
    assert status == 0, err
    assert f"{count} created, 0 updated, 0 unchanged, 0 rejected of {count} lines." in out
    assert f"import: {count}/{count} (100%)" in err  # the progress bar
    ids = set(Resource.objects.values_list("external_id", flat=True))
    assert len(ids) == count
    status, out, _err = run_import(EXAMPLES / name)
    assert status == 0
    assert f"0 created, 0 updated, {count} unchanged" in out
    assert Resource.objects.count() == count
    assert not Resource.objects.filter(revisions__isnull=False).exists()


def test_the_jsonl_example_fills_every_field(communities):
    run_import(EXAMPLES / "resources.jsonl")
    resource = Resource.objects.get(external_id="hub-2023-001")
    assert resource.status == "published"
    assert resource.published_at is not None
    assert (resource.kind, resource.language, resource.year) == ("case", "kk", 2023)
    assert sorted(str(c) for c in resource.countries) == ["AZ", "KG", "KZ"]
    assert set(resource.communities.values_list("slug", flat=True)) == {
        "e-government",
        "innovation",
    }
    assert set(resource.tags.values_list("name", flat=True)) == {"цифрландыру", "әлеует"}
    assert resource.url == "https://www.astanacivilservicehub.org/"
    assert (resource.source, resource.authors, resource.licence) == (
        "Astana Civil Service Hub",
        "Ақзер Сегізбай",
        "CC BY 4.0",
    )
    assert "<h4>Жоба туралы</h4>" in resource.html  # headings sit below the page's own
    assert Collection.objects.get(slug="digital-capabilities").items.get().resource == resource
    # Semicolon-separated lists in a JSON string work like arrays.
    russian = Resource.objects.get(external_id="hub-2022-014")
    assert sorted(str(c) for c in russian.countries) == ["AM", "AZ", "GE", "KZ", "MD"]
    assert russian.tags.count() == 2
    draft = Resource.objects.get(external_id="ai-toolkit-draft")
    assert draft.status == "draft"
    # Imported resources are searchable at once (drafts are not).
    assert found("цифрландыруға") == {resource.title}
    assert found("нұсқаулық") == set()


def test_the_csv_example_keeps_multiline_cells_and_lists(communities):
    run_import(EXAMPLES / "resources.csv")
    resource = Resource.objects.get(external_id="hub-2024-031")
    assert "Екінші абзац" in resource.body
    assert resource.html.count("<p>") == 2
    webinar = Resource.objects.get(external_id="hub-2020-101")
    assert webinar.authors == "Smith, J.; Nurlanova, A."
    assert set(webinar.communities.values_list("slug", flat=True)) == {"innovation", "ai"}
    assert webinar.status == "published"  # an empty status means published


def test_bad_lines_are_reported_and_good_lines_go_in(communities, tmp_path):
    path = jsonl(
        tmp_path,
        good("ok-1"),
        good("bad-community", communities=["e-government", "Atlantis"]),
        good("bad-kind", kind="essay"),
        "",  # a blank line is skipped, but line numbers stay those of the file
        good("bad-year", year="20x1"),
        '{"external_id": "broken", "title": ',
        good("no-title", title=" "),
        good("bad-country", countries=["KZ", "XX"]),
        good("bad-url", url="javascript:alert(1)"),
        good("extra", colour="blue"),
        good("ok-1", title="Second copy"),
        good("OK-2", kind="Case", language="RU", status="Draft"),
        good("bad-language", language="fr"),
        good("bad-status", status="submitted"),
        "[1, 2]",
    )
    status, out, err = run_import(path)
    assert status == 1
    assert out == ""
    problems = [line for line in err.splitlines() if line.startswith("line ")]
    assert problems == [
        "line 2: field “communities”: unknown community “atlantis” (known: one-stop-shop, "
        "e-government, innovation, ai)",
        "line 3: field “kind”: unknown kind “essay” (known: case, practice-note, journal, "
        "publication, toolkit, recording, dataset, link)",
        "line 5: field “year”: “20x1” is not a year",
        "line 6: not valid JSON (Expecting value at column 36)",
        "line 7: field “title”: required",
        "line 8: field “countries”: “XX” is not an ISO 3166 alpha-2 country code",
        "line 9: field “url”: must be an http(s) address of at most 500 characters",
        "line 10: field “colour”: unknown field (known: external_id, title, summary, body, kind, "
        "communities, countries, year, language, tags, url, source, authors, licence, "
        "collection, status)",
        "line 11: field “external_id”: repeats line 1 of this file",
        "line 13: field “language”: unknown language “fr” (known: kk, ru, en, other)",
        "line 14: field “status”: unknown status “submitted” (known: published, draft)",
        "line 15: a line must be a JSON object",
    ]
    assert "2 created, 0 updated, 0 unchanged, 12 rejected of 14 lines." in err
    assert set(Resource.objects.values_list("external_id", flat=True)) == {"ok-1", "OK-2"}
    assert Resource.objects.get(external_id="ok-1").title == "Title ok-1"
    normalised = Resource.objects.get(external_id="OK-2")
    assert (normalised.kind, normalised.language, normalised.status) == ("case", "ru", "draft")


def test_csv_problems_name_the_physical_line(communities, tmp_path):
    path = tmp_path / "import.csv"
    path.write_text(
        "external_id,title,summary,kind,communities\n"
        'a,"A title\nover two lines",Summary,case,ai\n'
        "b,B title,Summary,novel,ai\n"
        "c,C title,Summary,case,ai,surplus\n"
        "d,D title,Summary,case,ai;innovation\n",
        encoding="utf-8",
    )
    status, _out, err = run_import(path)
    assert status == 1
    assert "line 4: field “kind”: unknown kind “novel”" in err
    assert "line 5: more cells than header columns" in err
    assert "2 created, 0 updated, 0 unchanged, 2 rejected of 4 lines." in err
    assert Resource.objects.get(external_id="a").title == "A title\nover two lines"
    assert Resource.objects.get(external_id="d").communities.count() == 2


def test_a_rerun_updates_in_place_keeps_a_revision_and_reindexes(communities, tmp_path):
    path = jsonl(tmp_path, good("x-1", title="Pastoral economics"), good("x-2"))
    run_import(path)
    first = Resource.objects.get(external_id="x-1")
    assert found("pastoral") == {"Pastoral economics"}
    path = jsonl(
        tmp_path,
        good("x-1", title="Nomadic economics", communities=["ai"], tags=["herding"]),
        good("x-2", status="draft"),
        good("x-3"),
    )
    status, out, _err = run_import(path)
    assert status == 0
    assert "1 created, 2 updated, 0 unchanged, 0 rejected of 3 lines." in out
    assert Resource.objects.count() == 3
    updated = Resource.objects.get(external_id="x-1")
    assert updated.pk == first.pk
    assert updated.title == "Nomadic economics"
    assert list(updated.communities.values_list("slug", flat=True)) == ["ai"]
    revision = updated.revisions.get()
    assert (revision.note, revision.data["title"], revision.data["communities"]) == (
        "import",
        "Pastoral economics",
        ["e-government"],
    )
    assert found("pastoral") == set()
    assert found("nomadic") == {"Nomadic economics"}
    assert Resource.objects.get(external_id="x-2").status == "draft"
    assert not SearchEntry.objects.filter(object_id=Resource.objects.get(external_id="x-2").pk)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", b"", "cannot tell the format of list.txt"),
        ("headerless.csv", b"title,kind\nA,case\n", "the CSV header must name the fields"),
        ("latin1.jsonl", '{"title": "caf\xe9"}'.encode("latin-1"), "codec can't decode"),
    ],
)
def test_an_unreadable_file_exits_with_status_2(communities, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    status, _out, err = run_import(path)
    assert status == 2
    assert message in err
    assert not Resource.objects.exists()


def test_exit_status_seen_by_a_shell_for_a_missing_file(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "import_resources", str(tmp_path / "nope.jsonl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "No such file" in done.stderr
