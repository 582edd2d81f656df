"""Fixtures of the chat tests: people in every role around one room, websocket clients speaking
the protocol of docs/realtime.md to the real ASGI application (project.asgi) over whichever channel
layer the settings give (in-memory or channels-redis), and translations for error frames."""

from __future__ import annotations

import contextlib
import itertools
import json
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from forums import services
from forums.models import ChatRoom
from tests.htmltree import parse

ORIGIN = b"http://testserver"
HOST = b"testserver"
_client_ids = itertools.count(1)


# --- People and rooms -----------------------------------------------------------------------------


@pytest.fixture
def community(communities):
    return communities["one-stop-shop"]


@pytest.fixture
def room(community) -> ChatRoom:
    return ChatRoom.objects.select_related("community").get(community=community, slug="general")


@pytest.fixture
def alice(community, make_member):
    return make_member(community, "alice", display_name="Әлия Сейітова")


@pytest.fixture
def bob(community, make_member):
    return make_member(community, "bob", display_name="Болат Жұмабаев")


@pytest.fixture
def moderator(community, make_member):
    return make_member(community, "marat", role="moderator", display_name="Марат Ахметов")


@pytest.fixture
def outsider(communities, make_member):
    """Signed in, a member of another community only."""
    return make_member(communities["e-government"], "olga", display_name="Ольга Ким")


@pytest.fixture
def say(room):
    """Post a message through the service, as the form and the websocket do."""

    def send(author, body: str, **kwargs):
        message, _created, _frame = services.message_send(
            room=room, author=author, body=body, **kwargs
        )
        return message

    return send


# --- Websocket clients ----------------------------------------------------------------------------


def _application():
    import project.asgi

    return project.asgi.application


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class Chat:
    """One websocket connection and the frames it has received so far."""

    communicator: WebsocketCommunicator
    session_key: str = ""
    close_code: int | None = None  # of a refused handshake
    seen: list[dict] = field(default_factory=list)

    async def send(self, frame: dict) -> None:
        await self.communicator.send_json_to(frame)

    async def say(self, body: str, client_id: str = "", **extra) -> dict:
        """Send a message and return the server's acknowledgement: the ``message`` frame with
        this client_id (others' messages arriving meanwhile are kept in ``seen``)."""
        client_id = client_id or f"c{next(_client_ids)}"
        await self.send({"type": "send", "body": body, "client_id": client_id, **extra})
        while True:
            frame = await self.expect("message")
            if frame["client_id"] == client_id:
                return frame

    async def receive(self, wait: float = 10) -> dict:
        frame = await self.communicator.receive_json_from(timeout=wait)
        self.seen.append(frame)
        return frame

    async def expect(self, kind: str, wait: float = 10) -> dict:
        """The next frame of this type; presence and typing frames in between are kept in
        ``seen`` but skipped (they interleave with everything)."""
        while True:
            frame = await self.receive(wait)
            if frame["type"] == kind:
                return frame
            assert frame["type"] in {"presence", "typing", "pong"}, frame

    async def messages(self, count: int) -> list[dict]:
        return [await self.expect("message") for _ in range(count)]

    async def nothing_more(self, kinds=("message", "update", "error", "resync")) -> bool:
        """True if no frame of these types arrives within a short while."""
        while not await self.communicator.receive_nothing(timeout=0.3):
            frame = await self.receive()
            if frame["type"] in kinds:
                return False
        return True

    async def closed(self, wait: float = 10) -> int:
        """Wait for the server to close the connection; return its close code. Frames before
        the close are kept in ``seen``."""
        while True:
            output = await self.communicator.receive_output(timeout=wait)
            if output["type"] == "websocket.close":
                return output.get("code")
            self.seen.append(json.loads(output["text"]))

    def of_type(self, kind: str) -> list[dict]:
        return [frame for frame in self.seen if frame["type"] == kind]


@pytest.fixture
async def connect():
    """Open websocket connections as a person (or anonymously) with the session cookie and the
    Origin header a browser sends (``refused=True``: expect the handshake to be refused); all
    are closed at the end of the test."""
    opened: list[WebsocketCommunicator] = []
    await get_channel_layer().flush()  # no group memberships left over from earlier tests

    async def open_(
        user=None,
        path: str = "/ws/chat/one-stop-shop/general/",
        *,
        origin: bytes = ORIGIN,
        headers: tuple = (),
        cookies: dict | None = None,
        session_key: str | None = None,
        refused: bool = False,
    ) -> Chat:
        all_cookies = dict(cookies or {})
        if user is not None and session_key is None:
            session_key = await database_sync_to_async(session_cookie)(user)
        if session_key:
            all_cookies[settings.SESSION_COOKIE_NAME] = session_key
        all_headers = [(b"origin", origin), *headers]
        if not any(name == b"host" for name, _value in headers):
            all_headers.append((b"host", HOST))  # browsers always send it
        if all_cookies:
            cookie = "; ".join(f"{name}={value}" for name, value in all_cookies.items())
            all_headers.append((b"cookie", cookie.encode()))
        communicator = WebsocketCommunicator(_application(), path, headers=all_headers)
        opened.append(communicator)
        connected, close_code = await communicator.connect()
        assert connected is not refused, f"handshake accepted: {connected}, code {close_code}"
        return Chat(communicator, session_key or "", close_code=close_code)

    yield open_
    for communicator in opened:
        with contextlib.suppress(Exception):  # already closed by the server or the test
            await communicator.disconnect()
    await get_channel_layer().flush()


async def joined(chat: Chat) -> Chat:
    """Wait for the first frame of a chat connection (the presence list)."""
    frame = await chat.receive()
    assert frame["type"] == "presence", frame
    assert "users" in frame, frame
    return chat


# --- Reading pages --------------------------------------------------------------------------------


@dataclass
class Page:
    messages: list[tuple[int, str]]
    tags: list[tuple[str, dict]]
    text: str

    def has(self, tag: str, **attrs) -> bool:
        """An element with this tag whose attributes include these (``data_x`` is data-x)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return any(t == tag and all(a.get(k) == v for k, v in wanted.items()) for t, a in self.tags)


def page_of(response) -> Page:
    """A rendered page: its chat messages (``li[data-seq]``: seq, text) and every element's
    attributes by tag, enough for asserting what a reader sees."""
    html = response.content.decode()
    tree = parse(html)
    messages = [
        (int(node.attrs["data-seq"]), node.text)
        for node in tree.find_all("li")
        if "data-seq" in node.attrs
        and not any(a.tag == "li" and "data-seq" in a.attrs for a in node.ancestors())
        # The <template> chat.js clones for live messages is not a message.
        and not any(a.tag == "template" for a in node.ancestors())
    ]
    tags = [(node.tag, node.attrs) for node in tree.iter()]
    return Page(messages=messages, tags=tags, text=" ".join(html.split()))
