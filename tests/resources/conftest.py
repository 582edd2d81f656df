"""Factories for library and search tests: resources, threads, replies and chat messages, all
written through the services (so the search index is kept the way the application keeps it)."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forums import services as thread_services
from forums.models import ChatRoom
from forums.services import chat as chat_services
from resources import services
from resources.models import Resource

_numbers = itertools.count(1)

# The smallest files of each kind that the content checks recognise.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def curator(make_user):
    """A staff member: publishes test resources directly, in any community."""
    return make_user("curator", staff=True)


@pytest.fixture
def make_resource(communities, curator):
    """Create a resource through the services; ``status`` other than published goes through the
    submission workflow (submitted by ``submitter``, who must be a member)."""

    def make(
        *,
        title: str | None = None,
        summary: str = "A short summary.",
        body: str = "",
        kind: str = "case",
        language: str = "en",
        year: int | None = 2022,
        countries=("KZ",),
        community: str | list[str] = "e-government",
        tags=(),
        status: str = "published",
        submitter=None,
        files=(),
        **extra,
    ) -> Resource:
        slugs = [community] if isinstance(community, str) else list(community)
        data = {
            "title": title or f"Resource {next(_numbers)}",
            "summary": summary,
            "body": body,
            "kind": kind,
            "language": language,
            "year": year,
            "countries": list(countries),
            **extra,
        }
        chosen = [communities[slug] for slug in slugs]
        if status == "published" and submitter is None:
            return services.resource_submit(
                actor=curator, data=data, communities=chosen, tags=tags, files=files, publish=True
            )
        resource = services.resource_submit(
            actor=submitter or curator, data=data, communities=chosen, tags=tags, files=files
        )
        if status == "published":
            resource = services.resource_publish(resource=resource, actor=curator)
        elif status != "submitted":
            Resource.objects.filter(pk=resource.pk).update(status=status)
            resource.refresh_from_db()
        return resource

    return make


@pytest.fixture
def make_thread(communities, make_member):
    """A thread (and its opening post) by a fresh member of ``community``."""

    def make(*, title: str, body: str, community: str = "e-government", language="en", **kw):
        author = kw.pop("author", None) or make_member(communities[community])
        return thread_services.thread_create(
            community=communities[community],
            author=author,
            title=title,
            body=body,
            language=language,
            **kw,
        )

    return make


@pytest.fixture
def make_reply(make_member):
    def make(thread, body: str, author=None):
        author = author or make_member(thread.community)
        return thread_services.post_reply(thread=thread, author=author, body=body)

    return make


@pytest.fixture
def make_message(communities, make_member, no_flood_limit):
    """A chat message in the community's "general" room."""

    def make(body: str, community: str = "e-government", author=None):
        author = author or make_member(communities[community])
        room = ChatRoom.objects.get(community=communities[community], slug="general")
        message, _created, _frame = chat_services.message_send(room=room, author=author, body=body)
        return message

    return make


def multipart_file(name: str, content: bytes) -> io.BytesIO:
    """A file object for the test client's multipart encoder (a name and bytes)."""
    handle = io.BytesIO(content)
    handle.name = name
    return handle
