"""Library uploads: size enforced while streaming, type from content, random names, safe
downloads. Every refusal is a real multipart POST through the submit form."""

from __future__ import annotations

import re
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, RequestFactory, encode_multipart

from resources.models import Resource, ResourceFile
from resources.uploads import LimitedUploadHandler
from tests.resources.conftest import PDF, PNG, multipart_file

pytestmark = pytest.mark.django_db

LIMIT = 4096


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_BYTES = LIMIT
    return settings.MEDIA_ROOT


@pytest.fixture
def member(communities, make_member):
    return make_member(communities["innovation"], "uploader")


def form_data(**files) -> dict:
    return {
        "title": "Regional service centres",
        "summary": "What the pilots in three regions taught us.",
        "body": "",
        "kind": "case",
        "communities": ["innovation"],
        "language": "en",
        "year": "2023",
        "tags": "pilots, regions",
        **files,
    }


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("big.png", PNG + b"\0" * (LIMIT * 3), "is too big: the limit is 4.0"),
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "allowed type"),
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "allowed"),
        ("cat.gif", b"GIF89a\x01\x00\x01\x00<svg onload=alert(1)>", "web page markup"),
        ("scan.pdf", b"%PDF-1.4\n<html><body onload=alert(1)>", "web page markup"),
        ("empty.pdf", b"", "empty"),
        ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "allowed type"),
    ],
    ids=["oversize", "html-as-pdf", "svg-as-png", "gif-svg-polyglot", "pdf-html", "empty", "exe"],
)
def test_refused_upload_says_why_and_keeps_the_form(
    login, member, media_root, name, content, reason
):
    response = login(member).post(
        "/library/submit/", form_data(files=multipart_file(name, content))
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    errors = response.context["form"].errors["files"]
    assert any(reason in error for error in errors), errors
    assert reason.replace("“", "") in html.replace("&quot;", '"')
    # What was typed is shown again.
    assert 'value="Regional service centres"' in html
    assert "What the pilots in three regions taught us.</textarea>" in html
    assert re.search(r'value="innovation"[^>]* checked', html)
    assert 'value="pilots, regions"' in html
    assert not Resource.objects.exists()
    assert not ResourceFile.objects.exists()
    assert stored_files(media_root) == []


def test_the_size_limit_is_enforced_while_the_body_streams(settings):
    """The handler stops taking a file at the first chunk past the limit: the handlers behind
    it never see the rest, and the request remembers which file it was."""
    settings.UPLOAD_MAX_BYTES = 100_000
    body = encode_multipart(
        BOUNDARY,
        {
            "title": "Kept",
            "files": multipart_file("huge.pdf", PDF + b"\0" * 1_000_000),
            "other": multipart_file("small.pdf", PDF),
        },
    )
    request = RequestFactory().generic("POST", "/library/submit/", body, MULTIPART_CONTENT)
    received = []

    class Recorder(MemoryFileUploadHandler):
        def receive_data_chunk(self, raw_data, start):
            received.append((self.file_name, len(raw_data)))
            return super().receive_data_chunk(raw_data, start)

    handlers = [LimitedUploadHandler(request), Recorder(request)]
    parser = MultiPartParser(request.META, BytesIO(body), handlers, "utf-8")
    post, files = parser.parse()
    assert post["title"] == "Kept"
    assert list(files) == ["other"]
    assert request.uploads_too_large == ["huge.pdf"]
    huge = sum(size for name, size in received if name == "huge.pdf")
    assert huge <= settings.UPLOAD_MAX_BYTES  # never more than the limit went further


def test_accepted_file_is_stored_under_a_random_name(login, member, media_root):
    response = login(member).post(
        "/library/submit/",
        form_data(files=[multipart_file("Report (final).pdf", PDF), multipart_file("a.png", PNG)]),
    )
    assert response.status_code == HTTPStatus.FOUND
    resource = Resource.objects.get()
    assert response["Location"] == f"/library/{resource.pk}/"
    pdf, png = resource.files.all()
    assert (pdf.original_name, pdf.content_type, pdf.size) == (
        "Report (final).pdf",
        "application/pdf",
        len(PDF),
    )
    assert png.content_type == "image/png"
    assert pdf.file.name.startswith("library/")
    assert pdf.file.name.endswith(".pdf")
    assert "Report" not in pdf.file.name
    assert "final" not in pdf.file.name
    assert pdf.file.name != png.file.name
    assert (media_root / pdf.file.name).read_bytes() == PDF


def test_the_form_states_the_configured_limit(login, member):
    html = login(member).get("/library/submit/").content.decode()
    assert "up to 4.0\xa0KB each" in html


def test_downloads_are_attachments_never_sniffed_and_sandboxed(make_resource, client):
    from tests.resources.conftest import upload

    resource = make_resource(title="With file", files=[upload("Plan <b>.pdf", PDF)])
    item = resource.files.get()
    response = client.get(item.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Plan" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy


def test_a_file_of_another_resource_is_not_served(make_resource, client):
    from tests.resources.conftest import upload

    one = make_resource(title="One", files=[upload("a.pdf", PDF)])
    other = make_resource(title="Other")
    item = one.files.get()
    response = client.get(f"/library/{other.pk}/files/{item.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_submitter_can_remove_a_file_until_published(
    login, member, make_resource, curator, media_root, django_capture_on_commit_callbacks
):
    from resources import services
    from tests.resources.conftest import upload

    resource = make_resource(
        title="Draft",
        status="submitted",
        submitter=member,
        community="innovation",
        files=[upload("a.pdf", PDF), upload("b.pdf", PDF)],
    )
    first, second = resource.files.all()
    path = media_root / first.file.name
    assert path.exists()
    http = login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(f"/library/{resource.pk}/files/{first.pk}/remove/")
    assert response.status_code == HTTPStatus.FOUND
    assert list(resource.files.all()) == [second]
    assert not path.exists()
    assert resource.revisions.filter(note="file removed: a.pdf").exists()
    services.resource_publish(resource=resource, actor=curator)
    response = http.post(f"/library/{resource.pk}/files/{second.pk}/remove/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert list(resource.files.all()) == [second]


@pytest.mark.parametrize("offset", [9_000, 65_536 - 4, 200_000])
def test_markup_anywhere_in_the_file_is_refused(login, member, media_root, settings, offset):
    """Not only near the start: after 9,000 bytes, split across two chunks, near the end."""
    settings.UPLOAD_MAX_BYTES = 300_000
    content = PDF + b"\0" * (offset - len(PDF)) + b"<script>alert(1)</script>" + b"\0" * 100
    response = login(member).post(
        "/library/submit/", form_data(files=[multipart_file("scan.pdf", content)])
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "contains web page markup" in response.content.decode()
    assert not ResourceFile.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("report.html", PDF, "report.pdf"),
        ("image.svg", PNG, "image.png"),
        ("notes", PDF, "notes.pdf"),
        ("../../etc/passwd.pdf", PDF, "passwd.pdf"),
    ],
)
def test_files_are_stored_and_served_with_the_detected_types_extension(
    login, member, media_root, client, name, content, stored
):
    response = login(member).post(
        "/library/submit/", form_data(files=[multipart_file(name, content)])
    )
    assert response.status_code == HTTPStatus.FOUND
    item = ResourceFile.objects.get()
    assert item.original_name == stored
    assert item.file.name.endswith(stored[stored.rindex(".") :])
    download = login(member).get(item.get_absolute_url())
    assert download["Content-Disposition"] == f'attachment; filename="{stored}"'


def test_markup_split_between_two_chunks_is_found():
    from django.core.files.base import ContentFile

    from resources.uploads import _carries_markup

    boundary = ContentFile.DEFAULT_CHUNK_SIZE
    for start in range(boundary - 8, boundary + 1):
        content = b"\0" * start + b"<script>" + b"\0" * 1000
        assert _carries_markup(ContentFile(content)), start
    assert not _carries_markup(ContentFile(b"\0" * (boundary + 5000)))
