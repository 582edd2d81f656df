"""The library in a real browser: searching from the header in Kazakh, submitting a resource
with a refused file and then a good one."""

from __future__ import annotations

import re

import pytest

from resources import services
from resources.models import Resource
from search import thesaurus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _server_media(monkeypatch, tmp_path):
    """Uploads of the server under test go to a temporary directory (the server process
    inherits this environment; autouse makes it apply before the server starts)."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))


def test_header_search_finds_inflected_kazakh_and_highlights_it(
    communities, make_user, new_context
):
    staff = make_user("librarian", staff=True)
    resource = services.resource_submit(
        actor=staff,
        data={
            "title": "Мемлекеттік қызметтегі цифрландыру",
            "summary": "Цифрландыру саласындағы мемлекеттік қызметкерлердің әлеуетін арттыру.",
            "kind": "case",
            "language": "kk",
            "year": 2023,
        },
        communities=[communities["e-government"]],
        publish=True,
    )
    page = new_context(locale="kk-KZ").new_page()
    page.goto("/")
    page.fill("#site-search-q", "цифрландырудың")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    result = page.locator("li.result").first
    assert result.locator("mark").first.inner_text() == "цифрландыру"
    assert page.locator("li.result").count() == 1
    # The library tab keeps the hit; the hit leads to the resource.
    page.locator('.tabs a[href*="type=resource"]').click()
    page.wait_for_url(re.compile(r"type=resource"))
    page.locator("li.result h3 a").click()
    page.wait_for_url(f"**{resource.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Мемлекеттік қызметтегі цифрландыру"


def test_a_refused_file_keeps_the_form_then_a_good_file_goes_in(
    communities, make_member, new_context
):
    member = make_member(communities["innovation"], "contributor")
    page = new_context(member).new_page()
    page.goto("/library/submit/")
    page.fill("input[name=title]", "Innovation lab handbook")
    page.fill("textarea[name=summary]", "How a ministry ran its first innovation lab.")
    page.select_option("select[name=kind]", "toolkit")
    page.check("input[name=communities][value=innovation]")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "handbook.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}],
    )
    page.locator("form.panel button[type=submit]").first.click()
    error = page.locator(".errorlist").first
    assert "is not of an allowed type" in error.inner_text()
    assert page.input_value("input[name=title]") == "Innovation lab handbook"
    assert page.input_value("textarea[name=summary]").startswith("How a ministry")
    assert page.is_checked("input[name=communities][value=innovation]")
    assert not Resource.objects.exists()
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "handbook.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("form.panel button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/library/\d+/$"))
    resource = Resource.objects.get()
    assert resource.status == "submitted"
    assert resource.files.get().original_name == "handbook.pdf"
    assert "Waiting for review" in page.locator(".message.warning").inner_text()


def test_an_english_query_finds_the_kazakh_case_and_a_typo_is_offered_a_fix(
    communities, make_user, new_context
):
    # The thesaurus comes with the migrations; a transactional test before this one flushed it.
    thesaurus.load()
    staff = make_user("librarian", staff=True)
    case = services.resource_submit(
        actor=staff,
        data={
            "title": "Мемлекеттік сатып алу жүйесін реформалау",
            "summary": "Өңірлердегі тәжірибе.",
            "kind": "case",
            "language": "kk",
            "year": 2019,
        },
        communities=[communities["e-government"]],
        publish=True,
    )
    page = new_context(locale="en-GB").new_page()
    page.goto("/")
    page.fill("#site-search-q", "public procurement")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    result = page.locator("li.result").first
    assert result.locator("h3").inner_text() == case.title
    found = result.locator(".matched")
    assert "Found through the thesaurus" in found.inner_text()
    assert found.locator("[lang=kk]").first.inner_text() == "мемлекеттік сатып алу"
    # A misspelt word: nothing found, and the suggestion is one click away.
    page.fill("#search-q", "реформаллау")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=%D1%80%D0%B5"))
    page.get_by_role("link", name="реформалау").click()
    page.wait_for_url(re.compile(r"q=%D1%80%D0%B5%D1%84"))
    assert page.locator("li.result h3").first.inner_text() == case.title
