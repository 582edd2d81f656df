"""Asking for one's account to be deleted closes every open websocket of the person at once
(chat rooms and live pages), in every session, without waiting for a frame."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from accounts import deletion

from .conftest import joined

pytestmark = pytest.mark.django_db(transaction=True)


async def test_every_connection_of_the_person_closes_when_they_ask_for_deletion(
    connect, room, alice, bob
):
    first = await joined(await connect(bob))
    second = await joined(await connect(bob))  # another session (another browser)
    theirs = await joined(await connect(alice))
    assert first.session_key != second.session_key

    await database_sync_to_async(deletion.deletion_request)(user=bob, remove_content=False)

    assert await first.closed() == 4401
    assert await second.closed() == 4401
    assert first.of_type("error")[-1]["code"] == "signed_out"
    assert await theirs.nothing_more()  # others stay connected
