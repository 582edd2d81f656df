"""/ws/live/: new replies on thread pages and the notification badge, as they happen."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from accounts import services as account_services
from forums import services

from .conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

LIVE = "/ws/live/"
run = database_sync_to_async


@pytest.fixture
def thread(community, alice):
    return services.thread_create(
        community=community,
        author=alice,
        title="Халыққа қызмет көрсету орталықтары",
        body="Тәжірибе алмасайық.",
        language="kk",
    )


@pytest.mark.parametrize("reader", [None, "bob", "outsider"])
async def test_readers_of_a_thread_hear_of_each_new_reply(
    request, connect, thread, alice, bob, outsider, reader
):
    user = request.getfixturevalue(reader) if reader else None
    live = await connect(user, LIVE)
    if user is not None:
        assert await live.expect("notifications") == {"type": "notifications", "unread": 0}

    await live.send({"type": "watch", "thread": thread.pk})
    # The thread's current last number first, so a page that reconnects learns what it missed.
    assert await live.expect("thread.post") == {
        "type": "thread.post",
        "thread": thread.pk,
        "number": 1,
    }
    await run(services.post_reply)(thread=thread, author=alice, body="Бірінші жауап")
    await run(services.post_reply)(thread=thread, author=alice, body="Екінші жауап")

    assert [(await live.expect("thread.post"))["number"] for _ in range(2)] == [2, 3]


async def test_the_badge_count_follows_the_inbox_live(connect, room, alice, bob):
    live = await connect(bob, LIVE)
    assert (await live.expect("notifications"))["unread"] == 0

    await run(services.message_send)(room=room, author=alice, body="@bob, қарап жіберіңізші")
    assert (await live.expect("notifications"))["unread"] == 1

    await run(account_services.notification_mark_read)(user=bob)
    assert (await live.expect("notifications"))["unread"] == 0


async def test_a_moderators_badge_counts_what_waits_live(connect, say, alice, bob, moderator):
    live = await connect(moderator, LIVE)
    assert (await live.expect("notifications"))["unread"] == 0
    assert await live.expect("moderation") == {"type": "moderation", "pending": 0}
    member = await connect(bob, LIVE)
    assert (await member.expect("notifications"))["unread"] == 0

    message = await run(say)(alice, "Арзан несие! Сілтемені басыңыз.")
    report = await run(services.message_report_create)(message=message, reporter=bob, reason="spam")
    assert (await live.expect("notifications"))["unread"] == 1  # the report in the inbox
    assert (await live.expect("moderation"))["pending"] == 1

    await run(services.message_report_resolve)(report=report, actor=moderator, remove=False)
    assert (await live.expect("moderation"))["pending"] == 0
    # Someone who moderates nothing is never sent a moderation badge.
    assert await member.nothing_more(kinds=("moderation",))


async def test_watching_needs_a_readable_thread_and_bad_frames_keep_the_connection(
    connect, community, thread, alice, moderator
):
    deleted = await run(services.thread_create)(
        community=community, author=alice, title="Жойылатын тақырып", body="...", language="kk"
    )
    await run(services.thread_delete)(thread=deleted, actor=moderator)
    live = await connect(None, LIVE)

    frames = [
        ({"type": "watch", "thread": deleted.pk}, "forbidden"),
        ({"type": "watch", "thread": 999_999}, "forbidden"),
        ({"type": "watch", "thread": "1"}, "bad_frame"),
        ({"type": "subscribe"}, "unknown_type"),
    ]
    for frame, code in frames:
        await live.send(frame)
        error = await live.expect("error")
        assert error["code"] == code
        assert error["message"]
    await live.communicator.send_to(text_data="not json")
    assert (await live.expect("error"))["code"] == "bad_json"

    await live.send({"type": "ping"})
    assert await live.expect("pong") == {"type": "pong"}


async def test_one_connection_watches_at_most_ten_threads(connect, community, alice):
    threads = [
        await run(services.thread_create)(
            community=community, author=alice, title=f"Тақырып нөмір {n}", body=".", language="kk"
        )
        for n in range(11)
    ]
    live = await connect(None, LIVE)
    for thread in threads[:10]:
        await live.send({"type": "watch", "thread": thread.pk})
        assert (await live.expect("thread.post"))["thread"] == thread.pk
    await live.send({"type": "watch", "thread": threads[0].pk})  # again: not one more
    assert (await live.expect("thread.post"))["thread"] == threads[0].pk
    await live.send({"type": "watch", "thread": threads[10].pk})
    assert (await live.expect("error"))["code"] == "too_many"


async def test_signing_out_closes_the_live_connection_of_that_session(connect, bob):
    from django.test import Client
    from django.urls import reverse

    key = await run(session_cookie)(bob)
    live = await connect(bob, LIVE, session_key=key)
    await live.expect("notifications")

    def log_out():
        client = Client()
        client.cookies["sessionid"] = key
        client.post(reverse("account_logout"))

    await run(log_out)()
    assert await live.closed() == 4401
