"""forums/services/chat.py: every chat write, the way the form and the websocket both make it."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Notification
from core.models import AuditEntry
from core.permissions import Refusal
from forums import realtime, services
from forums.frames import message_frame
from forums.models import ChatMessage, ChatMute, ChatReadState, ChatRoom, Thread

# The hub's own Kazakh text (tests/data).
SEED = (Path(__file__).resolve().parents[1] / "data" / "hub-conference-kk.txt").read_text()[:600]


def test_every_community_has_a_general_room_from_the_start(communities):
    rooms = ChatRoom.objects.filter(slug="general").select_related("community")
    assert sorted(room.community.slug for room in rooms) == sorted(communities)
    assert all(not room.is_archived and room.last_seq == 0 for room in rooms)


# --- Sending --------------------------------------------------------------------------------------


def test_messages_are_numbered_one_by_one_and_rendered_safely(room, alice, bob, say):
    first = say(alice, "**Сәлем!** <img src=x onerror=alert(1)> [сілтеме](javascript:alert(2))")
    second = say(bob, SEED)

    assert (first.seq, second.seq) == (1, 2)
    room.refresh_from_db()
    assert room.last_seq == 2
    assert "<strong>Сәлем!</strong>" in first.html
    assert "<img" not in first.html  # shown as text, never as a tag
    assert "&lt;img" in first.html
    assert 'href="javascript:' not in first.html
    assert second.body == SEED.strip()
    # Writing counts as reading: the author's unread marker moves past their own message.
    assert ChatReadState.objects.get(user=bob, room=room).last_seq == 2


def test_a_mention_notifies_the_person_named_and_no_one_else(room, alice, bob, moderator, say):
    message = say(alice, "@bob, @marat: келісесіздер ме? @nobody @alice")

    notes = Notification.objects.filter(kind=Notification.Kind.CHAT_MENTION).order_by("recipient")
    assert [(n.recipient.username, n.url) for n in notes] == [
        ("bob", message.get_absolute_url()),
        ("marat", message.get_absolute_url()),
    ]
    assert notes[0].data == {"room": room.pk, "seq": 1}
    assert 'href="/members/bob/"' in message.html


def test_a_reply_points_at_a_message_of_the_same_room_only(room, community, alice, bob, say):
    question = say(alice, "Сұрақ")
    elsewhere = ChatRoom.objects.create(community=community, slug="other", name="other")
    stranger, _created, _frame = services.message_send(
        room=elsewhere, author=alice, body="Басқа бөлме"
    )

    answer = say(bob, "Жауап", reply_to_id=question.pk)
    confused = say(bob, "Қате сілтеме", reply_to_id=stranger.pk)

    assert answer.reply_to == question
    frame = message_frame(answer)
    assert frame["reply_to"] == {
        "id": question.pk,
        "seq": 1,
        "author": "Әлия Сейітова",
        "excerpt": "Сұрақ",
    }
    assert confused.reply_to is None


def test_the_same_client_id_stores_one_message(room, alice, bob):
    first, created, _frame = services.message_send(
        room=room, author=alice, body="бір", client_id="abc"
    )
    again, created_again, _frame = services.message_send(
        room=room, author=alice, body="бір", client_id="abc"
    )
    # Another person may use the same client_id: ids are per author.
    _other, other_created, _frame = services.message_send(
        room=room, author=bob, body="екі", client_id="abc"
    )

    assert (created, created_again, other_created) == (True, False, True)
    assert again.pk == first.pk
    assert list(ChatMessage.objects.values_list("seq", "author__username")) == [
        (1, "alice"),
        (2, "bob"),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "empty"), (" \n\t ", "empty"), ("ә" * 4001, "too_long")],
)
def test_empty_and_too_long_bodies_are_refused_with_a_reason(room, alice, body, code):
    with pytest.raises(ValidationError) as refused:
        services.message_send(room=room, author=alice, body=body)
    assert refused.value.error_dict["body"][0].code == code
    assert not ChatMessage.objects.exists()
    room.refresh_from_db()
    assert room.last_seq == 0


def test_4000_characters_fit(room, alice, say):
    assert say(alice, "ә" * 4000).body == "ә" * 4000


# Who may write in the room: the role table and the object conditions (mute, archive).
@pytest.mark.parametrize(
    ("who", "state", "outcome"),
    [
        ("member", "open", "sent"),
        ("moderator", "open", "sent"),
        ("staff", "open", "sent"),
        ("outsider", "open", "not_member"),
        ("member", "muted", "muted"),
        ("moderator", "muted", "sent"),
        ("member", "mute expired", "sent"),
        ("member", "archived", "archived"),
        ("moderator", "archived", "archived"),
    ],
)
def test_who_may_send(room, alice, moderator, outsider, make_user, who, state, outcome):
    person = {
        "member": alice,
        "moderator": moderator,
        "outsider": outsider,
        "staff": make_user("root", staff=True),
    }[who]
    if state in ("muted", "mute expired"):
        until = timezone.now() + timedelta(minutes=10 if state == "muted" else -1)
        ChatMute.objects.create(room=room, user=person, until=until, muted_by=moderator)
    if state == "archived":
        ChatRoom.objects.filter(pk=room.pk).update(is_archived=True)
        room.refresh_from_db()

    if outcome == "sent":
        message, _created, _frame = services.message_send(room=room, author=person, body="Сәлем")
        assert message.seq == 1
    else:
        with pytest.raises(Refusal) as refused:
            services.message_send(room=room, author=person, body="Сәлем")
        assert refused.value.code == outcome
        assert str(refused.value.message)
        assert not ChatMessage.objects.exists()


def test_a_room_archived_after_it_was_loaded_takes_no_message_and_loses_no_number(
    room, alice, moderator, say
):
    say(alice, "before")
    stale = ChatRoom.objects.select_related("community").get(pk=room.pk)
    services.room_update(room=room, actor=moderator, name=room.name, description="", archived=True)
    with pytest.raises(Refusal) as refused:
        services.message_send(room=stale, author=alice, body="into the archive")
    assert refused.value.code == "archived"

    services.room_update(room=room, actor=moderator, name=room.name, description="", archived=False)
    assert say(alice, "after").seq == 2  # no gap left by the refused one


def test_the_flood_limit_counts_per_person_in_a_sliding_window(
    room, alice, bob, settings, monkeypatch
):
    settings.CHAT_FLOOD_MESSAGES = 8
    settings.CHAT_FLOOD_SECONDS = 10
    now = [1_000_000.0]
    monkeypatch.setattr("forums.services.flood.time.time", lambda: now[0])

    for n in range(8):
        services.message_send(room=room, author=alice, body=f"{n}", client_id=f"c{n}")
    with pytest.raises(Refusal) as refused:
        services.message_send(room=room, author=alice, body="9th")
    assert refused.value.code == "flood"
    services.message_send(room=room, author=bob, body="bob is not limited by alice")
    # A retry of a message already stored is not a new message: not refused.
    _message, created, _frame = services.message_send(
        room=room, author=alice, body="0", client_id="c0"
    )
    assert created is False

    now[0] += 15  # half of the previous window still counts: 8 * 0.5, so 4 more are allowed
    for n in range(4):
        services.message_send(room=room, author=alice, body=f"later {n}")
    with pytest.raises(Refusal):
        services.message_send(room=room, author=alice, body="too soon")
    now[0] += 10
    services.message_send(room=room, author=alice, body="calm again")
    assert ChatMessage.objects.filter(author=alice).count() == 13


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_get_numbers_without_gaps_or_duplicates(
    room, community, make_member, no_flood_limit
):
    """Several threads, each with its own database connection, send at once. PostgreSQL: the
    row lock on the room; SQLite: BEGIN IMMEDIATE (settings). Either way: 1..N exactly."""
    senders = [make_member(community, f"writer{n}") for n in range(6)]
    per_sender = 8
    start = threading.Barrier(len(senders))
    failures = []

    def write(user):
        try:
            start.wait()
            for k in range(per_sender):
                services.message_send(
                    room=room, author=user, body=f"{user.username} {k}", client_id=f"{k}"
                )
        except Exception as exc:  # reported below, with the thread's traceback lost
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = len(senders) * per_sender
    stored = list(ChatMessage.objects.filter(room=room).order_by("seq"))
    assert [m.seq for m in stored] == list(range(1, total + 1))
    room.refresh_from_db()
    assert room.last_seq == total
    for user in senders:  # each writer's messages in the order written
        mine = [m.body for m in stored if m.author_id == user.pk]
        assert mine == [f"{user.username} {k}" for k in range(per_sender)]


@pytest.mark.django_db(transaction=True)
async def test_a_message_is_announced_after_commit_and_never_if_rolled_back(room, alice):
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(realtime.room_group(room.pk), listener)

    def send_then_fail():
        with transaction.atomic():
            services.message_send(room=room, author=alice, body="rolled back")
            raise RuntimeError("the request failed after the message was written")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(send_then_fail)()
    await database_sync_to_async(services.message_send)(room=room, author=alice, body="kept")

    event = await asyncio.wait_for(layer.receive(listener), 10)
    assert event["frame"]["html"] == "<p>kept</p>\n"
    assert event["frame"]["seq"] == 1  # the rolled-back one left no number behind
    await layer.group_discard(realtime.room_group(room.pk), listener)
    await layer.flush()


# --- Editing and deleting -------------------------------------------------------------------------


def test_authors_edit_their_own_messages_only(room, alice, bob, moderator, say):
    message = say(alice, "бірінші нұсқа")

    edited = services.message_edit(message=message, actor=alice, body="*түзетілген*")
    assert (edited.body, edited.html) == ("*түзетілген*", "<p><em>түзетілген</em></p>\n")
    assert edited.edited_at is not None
    for other in (bob, moderator):
        with pytest.raises(Refusal) as refused:
            services.message_edit(message=message, actor=other, body="hijacked")
        assert refused.value.code == "not_author"
    message.refresh_from_db()
    assert message.body == "*түзетілген*"


@pytest.mark.parametrize(
    ("author", "actor", "outcome"),
    [
        ("alice", "alice", "deleted"),
        ("alice", "marat", "removed"),
        ("alice", "bob", "not_author"),
        ("alice", "olga", "not_member"),
        ("marat", "marat", "deleted"),
    ],
)
def test_who_may_delete_and_what_is_left(room, alice, bob, moderator, outsider, author, actor,
                                         outcome, say):  # fmt: skip
    people = {"alice": alice, "bob": bob, "marat": moderator, "olga": outsider}
    message = say(people[author], "жойылатын хабар")

    if outcome in ("deleted", "removed"):
        services.message_delete(message=message, actor=people[actor])
        message.refresh_from_db()
        assert message.is_deleted
        assert message.removed_by_moderator is (outcome == "removed")
        frame = message_frame(message)
        assert (frame["html"], frame["deleted"]) == ("", True)
    else:
        with pytest.raises(Refusal) as refused:
            services.message_delete(message=message, actor=people[actor])
        assert refused.value.code == outcome
        message.refresh_from_db()
        assert not message.is_deleted

    audit = list(AuditEntry.objects.filter(action="chat.delete"))
    if outcome == "removed":
        assert [(e.actor, e.target_id, e.before["body"]) for e in audit] == [
            (moderator, str(message.pk), "жойылатын хабар")
        ]
    else:
        assert audit == []


# --- Moderation -----------------------------------------------------------------------------------


def test_a_moderator_mutes_for_a_while_and_unmutes_with_audit(room, alice, moderator):
    mute = services.member_mute(
        room=room, actor=moderator, user=alice, minutes=60, reason="Жарнама"
    )
    with pytest.raises(Refusal):
        services.message_send(room=room, author=alice, body="still here?")

    services.member_unmute(room=room, actor=moderator, user=alice)
    services.message_send(room=room, author=alice, body="back")

    entries = list(AuditEntry.objects.order_by("created", "id"))
    assert [(e.action, e.actor, e.community_id) for e in entries] == [
        ("chat.mute", moderator, room.community_id),
        ("chat.unmute", moderator, room.community_id),
    ]
    assert entries[0].after == {"user": "alice", "room": "general", "minutes": 60}
    assert entries[0].reason == "Жарнама"
    assert 59 * 60 < (mute.until - mute.created).total_seconds() <= 60 * 60


@pytest.mark.parametrize(
    ("actor", "target", "minutes", "error"),
    [
        ("bob", "alice", 10, Refusal),
        ("marat", "alice", 0, ValidationError),
        ("marat", "alice", 60 * 24 * 31, ValidationError),
        ("marat", "marat", 10, ValidationError),
    ],
)
def test_mutes_that_are_refused(room, alice, bob, moderator, actor, target, minutes, error):
    people = {"alice": alice, "bob": bob, "marat": moderator}
    with pytest.raises(error):
        services.member_mute(room=room, actor=people[actor], user=people[target], minutes=minutes)
    assert not ChatMute.objects.exists()
    assert not AuditEntry.objects.exists()


def test_moderators_create_rename_describe_and_archive_rooms(community, moderator, bob):
    room = services.room_create(
        community=community, actor=moderator, name="  Цифрлық   кеңселер ", description="Тәжірибе"
    )
    latin = services.room_create(community=community, actor=moderator, name="Queue management")
    second = services.room_create(community=community, actor=moderator, name="Жаңалықтар")

    # Kazakh and Russian names have no ASCII slug; the URL still needs one.
    assert (room.slug, room.name, room.description) == ("room", "Цифрлық кеңселер", "Тәжірибе")
    assert (latin.slug, second.slug) == ("queue-management", "room-2")

    updated = services.room_update(
        room=room, actor=moderator, name="Кеңселер", description="Жаңа сипаттама", archived=True
    )
    assert (updated.slug, updated.name, updated.is_archived) == ("room", "Кеңселер", True)
    update = AuditEntry.objects.get(action="room.update")
    assert update.before == {"name": "Цифрлық кеңселер", "description": "Тәжірибе",
                             "archived": False}  # fmt: skip
    assert update.after["archived"] is True
    assert AuditEntry.objects.filter(action="room.create").count() == 3

    with pytest.raises(Refusal):
        services.room_create(community=community, actor=bob, name="Mine")
    with pytest.raises(Refusal):
        services.room_update(room=room, actor=bob, name="Mine", description="", archived=False)
    with pytest.raises(ValidationError) as duplicate:
        services.room_create(community=community, actor=moderator, name="queue MANAGEMENT")
    assert "name" in duplicate.value.error_dict
    with pytest.raises(ValidationError):
        services.room_update(
            room=latin, actor=moderator, name="Кеңселер", description="", archived=False
        )


# --- From chat to a thread ------------------------------------------------------------------------


def test_a_thread_started_from_chat_quotes_the_messages_and_links_back(
    room, alice, bob, moderator, say
):
    say(alice, "Кіріспе")
    first = say(alice, "Кезек басқару жүйесін\nқалай енгіздіңіздер?")
    say(bob, "Электрондық кезек арқылы.")
    say(moderator, "Жойылған")
    services.message_delete(message=ChatMessage.objects.get(seq=4), actor=moderator)
    say(alice, "Not included")

    thread = services.thread_from_chat(
        message=first, actor=bob, title="Кезек басқару тәжірибесі", through_seq=4, language="kk"
    )

    opening = thread.posts.get(number=1)
    assert thread.source_message == first
    assert thread.author == bob
    assert "> Кезек басқару жүйесін\n> қалай енгіздіңіздер?" in opening.body
    assert "> Электрондық кезек арқылы." in opening.body
    assert "Жойылған" not in opening.body
    assert "Not included" not in opening.body
    assert "Кіріспе" not in opening.body
    assert "/c/one-stop-shop/chat/general/?at=2#m2" in opening.body
    assert "/c/one-stop-shop/chat/general/?at=3#m3" in opening.body
    first.refresh_from_db()
    assert first.thread == thread
    assert message_frame(first)["thread_url"] == thread.get_absolute_url()


def test_a_thread_from_chat_needs_membership_and_at_most_50_messages(
    room, alice, outsider, say, no_flood_limit
):
    first = say(alice, "Бастау")
    with pytest.raises(Refusal):
        services.thread_from_chat(
            message=first, actor=outsider, title="Бөтен тақырып", language="kk"
        )
    with pytest.raises(ValidationError) as too_many:
        services.thread_from_chat(
            message=first, actor=alice, title="Тым көп хабар", through_seq=51, language="kk"
        )
    assert "through_seq" in too_many.value.error_dict
    assert not Thread.objects.exists()


# --- Read markers and presence --------------------------------------------------------------------


def test_read_markers_only_move_forward_and_stop_at_the_last_message(room, alice, bob, say):
    for n in range(3):
        say(alice, f"{n}")
    room.refresh_from_db()
    services.chat_mark_read(room=room, user=bob, seq=2)
    services.chat_mark_read(room=room, user=bob, seq=1)
    assert ChatReadState.objects.get(user=bob, room=room).last_seq == 2
    services.chat_mark_read(room=room, user=bob, seq=99)
    assert ChatReadState.objects.get(user=bob, room=room).last_seq == 3


def test_presence_counts_people_not_connections(room, alice, bob):
    assert services.presence_enter(room=room, user=alice, channel_name="a1") is True
    assert services.presence_enter(room=room, user=alice, channel_name="a2") is False
    assert services.presence_enter(room=room, user=bob, channel_name="b1") is True
    assert {p["username"] for p in services.presence_list(room=room)} == {"alice", "bob"}
    assert services.presence_leave(room=room, user=alice, channel_name="a1") is False
    assert services.presence_leave(room=room, user=alice, channel_name="a2") is True
    assert [p["username"] for p in services.presence_list(room=room)] == ["bob"]
