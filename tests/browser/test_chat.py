"""Live chat and live thread pages in Chromium, two people at once, with the network failing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forums import services
from forums.models import ChatMessage, ChatRoom

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expectations"),
]

ROOM_URL = "/c/one-stop-shop/chat/general/"


@pytest.fixture
def moderator(two_members, make_member):
    community, _alice, _bob = two_members
    return make_member(community, "marat", role="moderator")


def open_room(context):
    page = context.new_page()
    page.goto(ROOM_URL)
    expect(page.locator("[data-connection]")).to_have_attribute("data-state", "online")
    return page


def say(page, text: str) -> None:
    page.fill("#chat-body", text)
    page.press("#chat-body", "Enter")


def shown(page) -> list[tuple[int, str]]:
    """The messages on the page: (seq, text of the message body), in page order."""
    return page.eval_on_selector_all(
        "[data-messages] li[data-seq]",
        """items => items.map(li => [
            Number(li.dataset.seq),
            (li.querySelector('.user-content') || {}).textContent || '',
        ])""",
    )


def test_two_members_chat_live_and_a_reader_who_went_offline_misses_nothing(
    new_context, two_members
):
    _community, alice, bob = two_members
    page_a = open_room(new_context(alice))
    context_b = new_context(bob)
    page_b = open_room(context_b)
    expect(page_a.locator("[data-presence]")).to_contain_text("Болат")

    say(page_a, "Сәлем, **Болат**!")
    expect(page_b.locator("#m1 .user-content strong")).to_have_text("Болат")

    context_b.set_offline(True)
    expect(page_b.locator("[data-connection]")).to_have_attribute("data-state", "offline")
    for n in range(2, 5):
        say(page_a, f"Хабар {n}")
        expect(page_a.locator(f"#m{n}")).to_be_visible()

    # Typed while offline: kept, shown as sending, sent when the connection returns.
    say(page_b, "Мен пойызда едім")
    expect(page_b.locator("li.pending")).to_contain_text("Мен пойызда едім")

    context_b.set_offline(False)
    expect(page_b.locator("[data-connection]")).to_have_attribute("data-state", "online")
    expect(page_b.locator("#m5")).to_contain_text("Мен пойызда едім")
    expect(page_b.locator("li.pending")).to_have_count(0)
    expect(page_a.locator("#m5")).to_contain_text("Мен пойызда едім")

    expected = [
        (1, "Сәлем, Болат!"),
        (2, "Хабар 2"),
        (3, "Хабар 3"),
        (4, "Хабар 4"),
        (5, "Мен пойызда едім"),
    ]
    for page in (page_a, page_b):  # every message exactly once, in order
        assert [(seq, text.strip()) for seq, text in shown(page)] == expected
    assert list(ChatMessage.objects.order_by("seq").values_list("seq", "author__username")) == [
        (1, "alice"),
        (2, "alice"),
        (3, "alice"),
        (4, "alice"),
        (5, "bob"),
    ]


def test_a_refused_message_stays_in_the_composer_marked_not_sent(
    new_context, two_members, moderator
):
    community, _alice, bob = two_members
    page_b = open_room(new_context(bob))
    room = ChatRoom.objects.get(community=community, slug="general")
    services.member_mute(room=room, actor=moderator, user=bob, minutes=10)

    say(page_b, "Маған да сөз берсеңіз")

    failed = page_b.locator("li.failed")
    expect(failed).to_contain_text("Маған да сөз берсеңіз")
    expect(failed).to_contain_text("Not sent — retry")
    expect(failed).to_contain_text("You are muted in this room for now.")
    assert not ChatMessage.objects.exists()

    services.member_unmute(room=room, actor=moderator, user=bob)
    failed.get_by_role("button", name="Retry").click()
    expect(page_b.locator("#m1")).to_contain_text("Маған да сөз берсеңіз")
    expect(page_b.locator("li.failed, li.pending")).to_have_count(0)
    assert ChatMessage.objects.get().body == "Маған да сөз берсеңіз"


def test_a_thread_page_shows_new_replies_and_the_badge_counts_live(new_context, two_members):
    community, alice, bob = two_members
    thread = services.thread_create(
        community=community,
        author=alice,
        title="Электрондық кезек тәжірибесі",
        body="Тәжірибе бөлісейік.",
        language="kk",
    )
    reader = new_context(bob).new_page()
    reader.goto(thread.get_absolute_url())
    expect(reader.locator("[data-live-count]")).to_have_text("0")

    # Replies go through the server (the doorbell rings in its process, not in this one).
    writer = new_context(alice).new_page()
    writer.goto(thread.get_absolute_url())
    for text in ("Бірінші жауап, @bob", "Екінші жауап"):
        writer.fill("#reply textarea[name=body]", text)
        writer.locator("#reply button[type=submit]").click()
        expect(writer.locator("article.post").last).to_contain_text(text)

    bar = reader.locator("[data-new-posts-bar]")
    expect(bar).to_contain_text("2 new replies")
    expect(reader.locator("[data-live-count]")).to_have_text("1")
    assert reader.locator("article.post").count() == 1
    bar.get_by_role("button").click()
    expect(reader.locator("article.post")).to_have_count(3)
    expect(reader.locator("#p3")).to_contain_text("Екінші жауап")
    expect(bar).to_be_hidden()


def test_scrolling_up_loads_older_messages_once_each(new_context, two_members, no_flood_limit):
    community, alice, bob = two_members
    room = ChatRoom.objects.get(community=community, slug="general")
    for n in range(1, 121):
        services.message_send(room=room, author=alice, body=f"Хабар {n}")
    page = open_room(new_context(bob))
    assert [seq for seq, _text in shown(page)] == list(range(71, 121))

    for expected_first in (21, 1):  # two pages of 50 back, then the button is gone
        page.locator("[data-log]").evaluate("log => { log.scrollTop = 0; }")
        expect(page.locator(f"#m{expected_first}")).to_be_attached()
    expect(page.locator("[data-older]")).to_have_count(0)
    assert [seq for seq, _text in shown(page)] == list(range(1, 121))
