"""Fixtures of the accounts app's tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forums.models import ChatRoom
from forums.services import chat as chat_services
from forums.services.posts import post_reply
from forums.services.reactions import post_bookmark, post_react
from forums.services.threads import thread_create, thread_follow
from mail.models import SavedSearch
from tests.mail.conftest import work  # noqa: F401 - the worker fixture, for the export tests

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def active_person(communities, make_member, make_user, media, no_flood_limit):
    """Someone who has done a bit of everything: threads, replies, chat, reactions, bookmarks,
    follows, a library submission with a file, a saved search, an event registration, an
    inbox; and a colleague who replied to them (whose content must survive a deletion)."""
    from events.services import registration_create
    from resources.services import resource_submit
    from tests.events.conftest import data as event_data

    community = communities["e-government"]
    person = make_member(
        community,
        "zarina",
        display_name="Zarina Deletova",
        email="zarina.deletova@example.org",
        first_name="Zarina",
        last_name="Deletova",
        organisation="Digital Agency",
        position="Analyst",
        country="KZ",
        bio="Works on registries.",
    )
    colleague = make_member(community, "bakyt", display_name="Bakyt Stays")
    moderator = make_member(community, "moder", role="moderator", display_name="Mira Moderator")
    thread = thread_create(
        community=community,
        author=person,
        title="Registries that talk to each other",
        body="Our base registries do not share identifiers.",
        language="en",
    )
    reply = post_reply(thread=thread, author=colleague, body="Ours neither; we used a hub.")
    mine = post_reply(thread=thread, author=person, body="Which hub did you use?")
    post_react(post=reply, user=person, kind="thanks")
    post_bookmark(post=reply, user=person)
    thread_follow(thread=thread, user=person, follow=True)
    room = ChatRoom.objects.get(community=community, slug="general")
    chat_services.message_send(room=room, author=person, body="Hello from the registry team")
    chat_services.message_send(room=room, author=colleague, body="Welcome!")
    resource = resource_submit(
        actor=person,
        data={
            "title": "Registry interoperability case",
            "summary": "How two agencies joined their registries.",
            "kind": "case",
            "language": "en",
            "year": 2024,
            "countries": ["KZ"],
        },
        communities=[community],
        files=[SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")],
    )
    SavedSearch.objects.create(user=person, name="Registries", params={"q": "registry"})
    staff = make_user("organiser", staff=True)
    from events import services as event_services

    event = event_services.event_create(
        actor=staff, community=community, data=event_data(speakers=[])
    )
    registration_create(user=person, event=event)
    return {
        "person": person,
        "colleague": colleague,
        "moderator": moderator,
        "thread": thread,
        "reply": reply,
        "mine": mine,
        "room": room,
        "resource": resource,
        "event": event,
    }
