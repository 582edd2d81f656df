"""The chat pages: readable and usable without JavaScript, with the same rules as the websocket."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import deletion
from core.models import AuditEntry
from forums import services
from forums.models import ChatMessage, ChatMute, ChatRoom, Thread
from tests.htmltree import parse

from .conftest import page_of

ROOM_URL = "/c/one-stop-shop/chat/general/"


# --- Reading --------------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, room):
    for url in (ROOM_URL, ROOM_URL + "history/", "/c/one-stop-shop/chat/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/login/?next=")


# Who sees what on the room page: history for every signed-in reader, a composer for those who
# may write now, an invitation to join for the others, tools for moderators.
@pytest.mark.parametrize(
    ("who", "composer", "join_button", "notice", "moderation_links", "live"),
    [
        ("outsider", False, True, "Join this community to take part.", False, "0"),
        ("member", True, False, None, False, "1"),
        ("muted", False, False, "You are muted in this room for now.", False, "1"),
        ("moderator", True, False, None, True, "1"),
    ],
)
def test_the_room_page_for_each_reader(
    login, room, alice, bob, moderator, outsider, say, who, composer, join_button, notice,
    moderation_links, live,
):  # fmt: skip
    say(alice, "Сәлем, **әріптестер**!")
    if who == "muted":
        services.member_mute(room=room, actor=moderator, user=bob, minutes=10)
    reader = {"outsider": outsider, "member": bob, "muted": bob, "moderator": moderator}[who]

    response = login(reader).get(ROOM_URL)

    assert response.status_code == HTTPStatus.OK
    page = page_of(response)
    [(seq, text)] = page.messages
    assert seq == 1
    assert text.startswith("ӘС Әлия Сейітова")  # the avatar's initials, then the name
    assert "Сәлем, әріптестер!" in text
    assert "<strong>әріптестер</strong>" in page.text
    assert page.has("form", data_composer="") is composer
    assert page.has("form", action="/c/one-stop-shop/join/") is join_button
    if notice:
        assert notice in page.text
    assert page.has("a", href=ROOM_URL + "moderation/") is moderation_links
    assert page.has("a", href=ROOM_URL + "settings/") is moderation_links
    assert page.has("div", data_live=live)


def test_the_page_shows_the_latest_messages_and_offers_older_ones(login, room, alice, bob, say,
                                                                  no_flood_limit):  # fmt: skip
    for n in range(1, 61):
        say(alice, f"Хабар {n}")

    page = page_of(login(bob).get(ROOM_URL))
    assert [seq for seq, _text in page.messages] == list(range(11, 61))
    assert page.has("button", data_older="")

    linked = page_of(login(bob).get(ROOM_URL + "?at=5"))
    assert [seq for seq, _text in linked.messages] == list(range(1, 30))


def test_the_unread_marker_sits_after_the_last_message_read(login, room, alice, bob, say):
    for n in range(3):
        say(alice, f"ескі {n}")
    client = login(bob)
    client.get(ROOM_URL)  # reads 1..3
    say(alice, "жаңа 4")
    say(alice, "жаңа 5")

    html = client.get(ROOM_URL).content.decode()
    marker = html.index("data-unread-marker")
    assert html.index('id="m3"') < marker < html.index('id="m4"')
    # ...and the visit moved it: next time nothing is new.
    assert "data-unread-marker" not in client.get(ROOM_URL).content.decode()


def test_the_room_page_costs_the_same_few_queries_however_many_messages(
    login, room, community, alice, bob, moderator, make_member, say, no_flood_limit,
    django_assert_max_num_queries,
):  # fmt: skip
    people = [make_member(community, f"p{n}") for n in range(10)]
    previous = None
    for n in range(50):
        previous = say(
            people[n % 10], f"@alice хабар {n}", reply_to_id=previous.pk if previous else None
        )
    for seq in (5, 10, 15):
        services.thread_from_chat(
            message=ChatMessage.objects.get(seq=seq), actor=alice,
            title=f"Тақырып {seq} бойынша", language="kk",
        )  # fmt: skip
    services.message_delete(message=ChatMessage.objects.get(seq=20), actor=moderator)
    client = login(bob)
    client.get(ROOM_URL)  # warm the session and caches

    # Session, user, the room with the reader's marker and whether they are muted; its 50
    # messages (with authors, quotes and threads) come from the cache, kept under the room's
    # version. Read again: no write (nothing new was read).
    with django_assert_max_num_queries(3):
        response = client.get(ROOM_URL)
    page = page_of(response)
    assert len(page.messages) == 50
    assert sum("Continued in a thread" in text for _seq, text in page.messages) == 3
    assert "Removed by a moderator." in page.text


def test_history_pages_are_frames_keyed_by_seq(login, room, alice, outsider, say, no_flood_limit,
                                               django_assert_max_num_queries):  # fmt: skip
    for n in range(1, 61):
        say(alice, f"Хабар {n}")
    client = login(outsider)  # readers need not be members

    with django_assert_max_num_queries(6):
        older = client.get(ROOM_URL + "history/?before=11").json()
    newer = client.get(ROOM_URL + "history/?after=55").json()
    latest = client.get(ROOM_URL + "history/").json()

    assert [m["seq"] for m in older["messages"]] == list(range(1, 11))
    assert older["messages"][0]["html"] == "<p>Хабар 1</p>\n"
    assert older["messages"][0]["author"]["username"] == "alice"
    assert older["last_seq"] == 60
    assert [m["seq"] for m in newer["messages"]] == [56, 57, 58, 59, 60]
    assert [m["seq"] for m in latest["messages"]] == list(range(11, 61))


@pytest.mark.parametrize(("who", "live"), [("member", True), ("muted", True), ("outsider", False)])
def test_the_history_endpoint_tells_a_refused_browser_whether_to_keep_trying(
    login, room, bob, moderator, outsider, who, live
):
    # The websocket handshake of a non-member is refused; a browser cannot see why, so chat.js
    # asks here before reconnecting.
    if who == "muted":
        services.member_mute(room=room, actor=moderator, user=bob, minutes=10)
    reader = outsider if who == "outsider" else bob
    assert login(reader).get(ROOM_URL + "history/").json()["live"] is live


def test_room_list_shows_open_and_archived_rooms(login, community, room, moderator, bob):
    archive = services.room_create(community=community, actor=moderator, name="Archive 2024")
    services.room_update(
        room=archive, actor=moderator, name="Archive 2024", description="Өткен жыл", archived=True
    )

    member_view = page_of(login(bob).get("/c/one-stop-shop/chat/"))
    assert member_view.has("a", href=ROOM_URL)
    assert member_view.has("a", href="/c/one-stop-shop/chat/archive-2024/")
    assert "Өткен жыл" in member_view.text
    assert not member_view.has("a", href="/c/one-stop-shop/chat/new/")
    assert page_of(login(moderator).get("/c/one-stop-shop/chat/")).has(
        "a", href="/c/one-stop-shop/chat/new/"
    )


# --- Writing without JavaScript -------------------------------------------------------------------


def test_a_member_posts_with_the_plain_form(login, room, bob):
    client = login(bob)
    page = page_of(client.get(ROOM_URL))
    client_id = next(
        a["value"] for tag, a in page.tags if tag == "input" and a.get("name") == "client_id"
    )
    assert len(client_id) == 32

    response = client.post(ROOM_URL, {"body": "Форма арқылы", "client_id": client_id})
    again = client.post(ROOM_URL, {"body": "Форма арқылы", "client_id": client_id})

    assert response.status_code == again.status_code == HTTPStatus.FOUND
    assert response["Location"] == ROOM_URL
    assert list(ChatMessage.objects.values_list("seq", "body", "author")) == [
        (1, "Форма арқылы", bob.pk)
    ]


@pytest.mark.parametrize(
    ("who", "body", "status", "error"),
    [
        ("outsider", "Сәлем", HTTPStatus.FORBIDDEN, "Join this community to take part."),
        ("muted", "Сәлем", HTTPStatus.FORBIDDEN, "You are muted in this room for now."),
        ("member", "ә" * 4001, HTTPStatus.UNPROCESSABLE_ENTITY, "The text is too long"),
        ("member", "   ", HTTPStatus.UNPROCESSABLE_ENTITY, "Please write something first."),
    ],
)
def test_refused_posts_say_why_and_keep_the_text(
    login, room, bob, moderator, outsider, who, body, status, error
):
    if who == "muted":
        services.member_mute(room=room, actor=moderator, user=bob, minutes=10)
    reader = outsider if who == "outsider" else bob

    response = login(reader).post(ROOM_URL, {"body": body})

    assert response.status_code == status
    assert error in response.content.decode()
    if body.strip() and who == "member":
        assert body in response.content.decode()  # the text is kept in the composer
    assert not ChatMessage.objects.exists()


def test_flooding_through_the_form_is_refused_too(login, room, bob, settings):
    settings.CHAT_FLOOD_MESSAGES = 2
    client = login(bob)
    for n in range(2):
        assert client.post(ROOM_URL, {"body": f"{n}"}).status_code == HTTPStatus.FOUND
    response = client.post(ROOM_URL, {"body": "үшінші"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too quickly" in response.content.decode()
    assert ChatMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("author", "actor", "status", "placeholder"),
    [
        ("bob", "bob", HTTPStatus.FOUND, "Deleted by the author."),
        ("bob", "moderator", HTTPStatus.FOUND, "Removed by a moderator."),
        ("bob", "alice", HTTPStatus.FORBIDDEN, None),
    ],
)
def test_deleting_from_the_page(login, room, alice, bob, moderator, say, author, actor, status,
                                placeholder):  # fmt: skip
    people = {"alice": alice, "bob": bob, "moderator": moderator}
    message = say(people[author], "Өшірілетін хабар")

    response = login(people[actor]).post(f"/messages/{message.pk}/delete/")

    assert response.status_code == status
    page = page_of(login(alice).get(ROOM_URL))
    if placeholder:
        assert response["Location"] == f"{ROOM_URL}?at=1#m1"
        assert placeholder in page.text
        assert "Өшірілетін хабар" not in page.text
    else:
        assert "Өшірілетін хабар" in page.text


# --- Moderators -----------------------------------------------------------------------------------


def test_moderators_manage_rooms_from_the_settings_pages(login, community, moderator, bob):
    client = login(moderator)
    response = client.post(
        "/c/one-stop-shop/chat/new/", {"name": "Open data", "description": "Ашық деректер"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/c/one-stop-shop/chat/open-data/"

    response = client.post(
        "/c/one-stop-shop/chat/open-data/settings/",
        {"name": "Open data 2025", "description": "Мұрағат", "archived": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    room = ChatRoom.objects.get(community=community, slug="open-data")
    assert (room.name, room.description, room.is_archived) == ("Open data 2025", "Мұрағат", True)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "room.create",
        "room.update",
    ]

    duplicate = client.post("/c/one-stop-shop/chat/new/", {"name": "open data 2025"})
    assert duplicate.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "already has a room with this name" in duplicate.content.decode()

    member = login(bob)
    assert member.get("/c/one-stop-shop/chat/new/").status_code == HTTPStatus.FORBIDDEN
    assert (
        member.post("/c/one-stop-shop/chat/open-data/settings/", {"name": "Mine"}).status_code
        == HTTPStatus.FORBIDDEN
    )
    room.refresh_from_db()
    assert room.name == "Open data 2025"


def test_moderators_mute_and_unmute_from_the_moderation_page(login, room, moderator, bob):
    client = login(moderator)
    url = ROOM_URL + "moderation/"

    response = client.post(url, {"username": "bob", "minutes": "60", "reason": "Спам"})
    assert response.status_code == HTTPStatus.FOUND
    mute = ChatMute.objects.get()
    assert (mute.user, mute.muted_by, mute.reason) == (bob, moderator, "Спам")
    assert "Болат Жұмабаев" in client.get(url).content.decode()

    unknown = client.post(url, {"username": "nobody", "minutes": "60"})
    assert unknown.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "No member with this username." in unknown.content.decode()
    themselves = client.post(url, {"username": "marat", "minutes": "60"})
    assert "Moderators cannot be muted." in themselves.content.decode()
    assert client.post(url, {"unmute": "not-a-number"}).status_code == HTTPStatus.BAD_REQUEST

    assert client.post(url, {"unmute": str(bob.pk)}).status_code == HTTPStatus.FOUND
    assert not services.message_send(room=room, author=bob, body="free again")[0].is_deleted
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "chat.mute",
        "chat.unmute",
    ]
    assert login(bob).get(url).status_code == HTTPStatus.FORBIDDEN


# --- From chat to a thread ------------------------------------------------------------------------


def test_starting_a_thread_from_a_message(login, room, alice, bob, outsider, say):
    first = say(alice, "Цифрлық кезек жүйесі туралы тәжірибе керек")
    say(bob, "Бізде бар, бөлісемін")
    url = f"/messages/{first.pk}/thread/"
    client = login(bob)

    form = client.get(url)
    assert form.status_code == HTTPStatus.OK
    assert "Цифрлық кезек жүйесі туралы тәжірибе керек" in form.content.decode()

    response = client.post(
        url, {"title": "Цифрлық кезек жүйесі", "through_seq": "2", "language": "kk"}
    )
    thread = Thread.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == thread.get_absolute_url()
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert "Бізде бар, бөлісемін" in thread_page
    assert f'href="{first.get_absolute_url()}"' in thread_page.replace("&amp;", "&")
    room_page = page_of(client.get(ROOM_URL))
    assert room_page.has("a", href=thread.get_absolute_url())

    assert login(outsider).get(url).status_code == HTTPStatus.FORBIDDEN
    short = client.post(url, {"title": "Қыс", "language": "kk"})
    assert short.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert Thread.objects.count() == 1


def test_links_to_a_message_land_next_to_it(login, room, alice, bob, say, no_flood_limit):
    for n in range(1, 101):
        say(alice, f"#{n}")
    message = ChatMessage.objects.get(seq=40)
    page = page_of(login(bob).get(message.get_absolute_url()))
    seqs = [seq for seq, _text in page.messages]
    assert 40 in seqs
    assert seqs == sorted(seqs)
    assert reverse("room_detail", kwargs={"slug": "one-stop-shop", "room": "general"}) == ROOM_URL


# --- The history's cached messages (forums/fragments.render_messages) ---------------------------

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _history(client) -> dict[int, object]:
    tree = parse(client.get(ROOM_URL).content.decode())
    return {
        int(node.attrs["data-seq"]): node
        for node in tree.find_all("li")
        if "data-seq" in node.attrs and not any(a.tag == "template" for a in node.ancestors())
    }


@pytest.mark.parametrize("caches", ["warm", "none"])
@pytest.mark.parametrize(
    "change", ["edit", "delete", "remove", "rename", "quoted", "thread", "new", "erased"]
)
def test_every_change_to_a_message_reaches_readers_at_once(
    login, settings, room, alice, bob, moderator, say, no_flood_limit, change, caches
):
    if caches == "none":  # a cache that is down or keeps nothing
        settings.CACHES = NO_CACHE
    first = say(alice, "Алғашқы хабар")
    say(bob, "Жауап", reply_to_id=first.pk)
    reader = login(bob)
    before = _history(reader)  # warms the cache
    assert "Алғашқы хабар" in before[1].text

    if change == "edit":
        services.message_edit(message=first, actor=alice, body="Түзетілген хабар")
    elif change == "delete":
        services.message_delete(message=first, actor=alice)
    elif change == "remove":
        services.message_delete(message=first, actor=moderator)
    elif change == "rename":
        alice.display_name = "Әлия Жаңа"
        alice.save(update_fields=["display_name"])
    elif change == "quoted":
        services.message_edit(message=first, actor=alice, body="Түзетілген хабар")
    elif change == "new":
        say(alice, "Жаңа хабар")
    elif change == "erased":
        # Alice deleted it, then left with her content removed.
        services.message_delete(message=first, actor=alice)
        deletion.deletion_request(user=alice, remove_content=True)
        deletion.account_erase(user=alice)
    else:
        reader.post(
            f"/messages/{first.pk}/thread/",
            {"title": "Хабардан тақырып", "through_seq": "2", "language": "kk"},
        )

    after = _history(reader)
    first_text, reply_text = after[1].text, after[2].text
    if change in ("edit", "quoted"):
        assert "Түзетілген хабар" in first_text
        assert "(edited)" in first_text
        assert "Түзетілген хабар" in reply_text  # the quote under the reply follows
    elif change == "delete":
        assert "Deleted by the author." in first_text
        assert "Алғашқы" not in first_text
        assert "deleted message" in reply_text
    elif change == "remove":
        assert "Removed by a moderator." in first_text
    elif change == "rename":
        assert "Әлия Жаңа" in first_text
        assert "Әлия Жаңа" in reply_text
    elif change == "new":
        assert "Жаңа хабар" in after[3].text
    elif change == "erased":
        assert "a former member" in first_text
        assert "Алғашқы" not in first_text
        assert after[1].find("a", data_tool="profile") is None  # no profile to go to
    else:
        thread = Thread.objects.get()
        assert after[1].find("a", href=thread.get_absolute_url()) is not None


def test_cached_messages_offer_each_reader_their_own_actions_and_token(
    login, room, alice, bob, moderator, say
):
    say(alice, "Әлияның хабары")
    for reader, may_delete in ((bob, False), (alice, True), (moderator, True), (bob, False)):
        client = login(reader)
        message = _history(client)[1]
        form = message.find("form")
        assert (form is not None) is may_delete, reader.username
        # Anyone but the author may report it to moderators.
        report = message.find("a", **{"data-tool": "report"})
        assert (report is not None) is (reader != alice), reader.username
        if may_delete:
            token = form.find("input", name="csrfmiddlewaretoken").attrs["value"]
            # The reader's own token: the delete goes through with it.
            response = client.post(
                form.attrs["action"], {"csrfmiddlewaretoken": token}, enforce_csrf_checks=True
            )
            assert response.status_code == HTTPStatus.FOUND
            ChatMessage.objects.filter(seq=1).update(is_deleted=False, removed_by_moderator=False)
