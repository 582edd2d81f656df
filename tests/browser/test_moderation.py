"""Moderators in a real browser: the header's badge leads to the dashboard, whose counts lead to
the queues; a collection is edited by searching and adding, reordering with the keyboard and
with the mouse, and removing, each step still there after a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forums import services as forum_services
from forums.models import ChatMessage, ChatRoom, MessageReport
from resources import services as library_services
from resources.models import CollectionItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submission(person, community, title):
    return library_services.resource_submit(
        actor=person,
        data={"title": title, "summary": "Қысқаша.", "kind": "case", "language": "kk"},
        communities=[community],
    )


def test_the_badge_leads_to_the_dashboard_and_its_counts_to_the_queues(
    communities, make_member, new_context
):
    community = communities["one-stop-shop"]
    member = make_member(community, "member", display_name="Арман Садықов")
    reader = make_member(community, "reader")
    moderator = make_member(community, "moderator", role="moderator")
    _submission(member, community, "Кезек стандарттары")
    _submission(member, community, "ХҚКО тәжірибесі")
    room = ChatRoom.objects.get(community=community, slug="general")
    message, _created, _frame = forum_services.message_send(
        room=room, author=member, body="Арзан несие! Сілтемені басыңыз."
    )
    forum_services.message_report_create(message=message, reporter=reader, reason="spam")

    page = new_context(moderator).new_page()
    page.goto("/library/")
    badge = page.locator("a[data-moderation-link]")
    expect(badge.locator(".badge")).to_have_text("3")
    badge.click()

    page.wait_for_url("**/c/one-stop-shop/moderation/")
    expect(page.locator("h1")).to_have_text("Moderation")
    cards = page.locator("a.stat-card")
    expect(cards.filter(has_text="Library submissions to review").locator(".number")).to_have_text(
        "2"
    )
    expect(cards.filter(has_text="Reported posts").locator(".number")).to_have_text("0")
    chat = cards.filter(has_text="Reported chat messages")
    expect(chat.locator(".number")).to_have_text("1")
    expect(page.locator("#queue-review ~ ul li").first).to_contain_text("Кезек стандарттары")
    chat.click()

    page.wait_for_url("**/c/one-stop-shop/reports/chat/")
    expect(page.locator("main blockquote")).to_contain_text("Арзан несие!")
    page.get_by_role("button", name="Remove the message").click()
    expect(page.locator(".messages")).to_contain_text("Message removed.")
    expect(page.locator("a[data-moderation-link] .badge")).to_have_text("2")


def test_the_badge_counts_what_waits_live(communities, make_member, new_context):
    community = communities["one-stop-shop"]
    member = make_member(community, "member", display_name="Арман Садықов")
    reader = make_member(community, "reader")
    moderator = make_member(community, "moderator", role="moderator")
    room = ChatRoom.objects.get(community=community, slug="general")
    message, _created, _frame = forum_services.message_send(
        room=room, author=member, body="Арзан несие! Сілтемені басыңыз."
    )
    moderating = new_context(moderator)
    page = moderating.new_page()
    page.goto("/library/")
    badge = page.locator("a[data-moderation-link]")
    expect(badge.locator(".badge")).to_have_text("0")

    # A report sent while the page is open shows there without a reload.
    reporting = new_context(reader).new_page()
    reporting.goto(f"/messages/{message.pk}/report/")
    reporting.get_by_label("Spam or advertising").check()
    reporting.get_by_role("button", name="Send to moderators").click()
    reporting.wait_for_url(re.compile(r"/chat/general/"))
    expect(badge.locator(".badge")).to_have_text("1")
    expect(badge).to_have_attribute("aria-label", "Moderation: 1 item waiting")

    # Decided in another tab: the first one's badge empties.
    queue = moderating.new_page()
    queue.goto("/c/one-stop-shop/reports/chat/")
    queue.get_by_role("button", name="Dismiss").click()
    expect(queue.locator(".messages")).to_be_visible()
    expect(badge.locator(".badge")).to_have_text("0")
    expect(badge).to_have_attribute("aria-label", "Moderation: 0 items waiting")


@pytest.fixture
def collection_scene(communities, make_member, make_user):
    community = communities["e-government"]
    moderator = make_member(community, "curator", role="moderator")
    staff = make_user("librarian", staff=True)

    def publish(title, language="kk"):
        return library_services.resource_submit(
            actor=staff,
            data={"title": title, "summary": "Қысқаша.", "kind": "case", "language": language},
            communities=[community],
            publish=True,
        )

    first, second, third = publish("Бірінші кейс"), publish("Екінші кейс"), publish("Үшінші кейс")
    candidate = publish("Электрондық кезек жүйесі")
    collection = library_services.collection_save(
        actor=staff, data={"title_en": "Queues"}, communities=[community]
    )
    library_services.collection_set_items(
        collection=collection, actor=staff, resource_ids=[first.pk, second.pk, third.pk]
    )
    return {
        "moderator": moderator,
        "collection": collection,
        "resources": (first, second, third),
        "candidate": candidate,
    }


def _order(page) -> list[str]:
    return page.locator("ol[data-sortable] li .sortable-body > a").all_inner_texts()


def _saved(collection) -> list[str]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .order_by("position", "id")
        .values_list("resource__title", flat=True)
    )


def test_a_collection_is_edited_by_search_keyboard_drag_and_remove(
    collection_scene, new_context, patient_expectations
):
    collection = collection_scene["collection"]
    page = new_context(collection_scene["moderator"]).new_page()
    page.goto(f"/library/collections/{collection.slug}/edit/")
    assert _order(page) == ["Бірінші кейс", "Екінші кейс", "Үшінші кейс"]

    # Search as you type (htmx): the results come without pressing Enter; Add is a plain form.
    page.locator("#candidate-q").press_sequentially("кезек", delay=30)
    results = page.locator("#candidates ul[data-candidates] li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Электрондық кезек жүйесі")
    assert "q=" not in page.url  # the page itself did not change
    results.first.get_by_role("button", name=re.compile("^Add")).click()
    expect(page.locator(".messages")).to_contain_text("Added “Электрондық кезек жүйесі”.")
    assert _order(page)[-1] == "Электрондық кезек жүйесі"
    expect(page.locator("#candidate-q")).to_have_value("кезек")  # the search is kept

    # Keyboard: Tab to the first handle, Space picks it up, ArrowDown moves it, Space drops.
    page.locator("main h1").click()
    handle = page.locator("ol[data-sortable] li", has_text="Бірінші кейс").locator("[data-handle]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if handle.evaluate("node => node === document.activeElement"):
            break
    expect(handle).to_be_focused()
    status = page.locator("[data-sortable-status]")
    page.keyboard.press("Space")
    expect(status).to_contain_text("Picked up “Бірінші кейс”, position 1 of 4.")
    page.keyboard.press("ArrowDown")
    expect(status).to_contain_text("“Бірінші кейс”: position 2 of 4.")
    page.keyboard.press("Space")
    expect(status).to_have_text("“Бірінші кейс” is now at position 2 of 4.")
    expect(handle).to_be_focused()
    # Escape puts an item back where it was, and nothing is saved.
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(status).to_contain_text("Cancelled. “Бірінші кейс” is back at position 2 of 4.")
    page.reload()
    assert _order(page) == [
        "Екінші кейс",
        "Бірінші кейс",
        "Үшінші кейс",
        "Электрондық кезек жүйесі",
    ]
    assert _saved(collection) == _order(page)

    # The mouse: drag the last item by its handle onto the first.
    items = page.locator("ol[data-sortable] li")
    items.last.locator("[data-handle]").drag_to(items.first, target_position={"x": 20, "y": 2})
    expect(status).to_contain_text("is now at position 1 of 4.")
    page.reload()
    assert _order(page)[0] == "Электрондық кезек жүйесі"

    # Remove, without any script involved.
    page.locator("ol[data-sortable] li", has_text="Үшінші кейс").get_by_role(
        "button", name=re.compile("^Remove")
    ).click()
    expect(page.locator(".messages")).to_contain_text("Removed “Үшінші кейс”.")
    page.reload()
    assert _order(page) == ["Электрондық кезек жүйесі", "Екінші кейс", "Бірінші кейс"]
    assert _saved(collection) == _order(page)


def test_a_live_chat_message_is_reported_from_its_menu(
    two_members, new_context, patient_expectations
):
    _community, alice, bob = two_members
    pages = {}
    for person in (alice, bob):
        pages[person.username] = new_context(person).new_page()
        pages[person.username].goto("/c/one-stop-shop/chat/general/")
        expect(pages[person.username].locator("[data-connection]")).to_have_attribute(
            "data-state", "online"
        )
    page_a, page_b = pages["alice"], pages["bob"]
    page_a.fill("#chat-body", "Арзан несие! Сілтемені басыңыз.")
    page_a.press("#chat-body", "Enter")

    # Bob sees it arrive live; its menu (built by chat.js) offers to report it. Alice's own
    # copy offers no such thing.
    live = page_b.locator("#m1")
    expect(live.locator(".user-content")).to_contain_text("Арзан несие!")
    message = ChatMessage.objects.get(seq=1, room__slug="general")
    report = live.locator('[data-tool="report"]')
    expect(report).to_have_attribute("href", f"/messages/{message.pk}/report/")
    expect(page_a.locator('#m1 [data-tool="report"]')).to_have_count(0)
    live.locator("summary").click()
    report.click()

    page_b.wait_for_url(f"**/messages/{message.pk}/report/")
    page_b.get_by_label("Spam or advertising").check()
    page_b.get_by_role("button", name="Send to moderators").click()
    page_b.wait_for_url("**/c/one-stop-shop/chat/general/**")
    expect(page_b.locator(".messages")).to_contain_text("A moderator will look at this message.")
    assert MessageReport.objects.get().reporter == bob
