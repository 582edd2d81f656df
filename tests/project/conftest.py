"""Fixtures of the community core's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_thread():
    """A thread started through the forum service (the author must be allowed to)."""
    from forums import services as forum_services

    def make(community, author, title: str, *, body: str = "", language: str = "kk", replies=()):
        thread = forum_services.thread_create(
            community=community,
            author=author,
            title=title,
            body=body or f"{title}: толығырақ.",
            language=language,
        )
        for person, text in replies:
            forum_services.post_reply(thread=thread, author=person, body=text)
        return thread

    return make


@pytest.fixture
def make_resource(make_user):
    """A published library resource, added by a staff member through the library service."""
    from resources import services as library_services

    curator = {}

    def make(communities, title: str, *, kind: str = "case", language: str = "kk", **data):
        if "user" not in curator:
            curator["user"] = make_user("curator", staff=True)
        fields = {
            "title": title,
            "summary": data.pop("summary", f"{title}: қысқаша."),
            "body": data.pop("body", ""),
            "kind": kind,
            "language": language,
            "year": data.pop("year", 2024),
            "countries": data.pop("countries", ["KZ"]),
            "url": "",
            "source": "",
            "authors": "",
            "licence": "",
            **data,
        }
        return library_services.resource_submit(
            actor=curator["user"], data=fields, communities=list(communities), publish=True
        )

    return make
