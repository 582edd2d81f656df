"""Threads in a real browser: start a thread, reply with a quote and a mention, see the
notification and the quote; a reply being written survives a reload until the server has it."""

import re

import pytest

from forums import services
from forums.models import Post, Thread

from .conftest import _session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forum(communities, make_member):
    community = communities["one-stop-shop"]
    alice = make_member(community, "alice", display_name="Alice Abenova")
    bob = make_member(community, "bob", display_name="Bob Bekov")
    moderator = make_member(community, "moderator", role="moderator")
    services.tag_create(community=community, actor=moderator, name="Queues")
    return {"community": community, "alice": alice, "bob": bob}


def test_start_reply_with_quote_and_mention_then_see_the_notification(new_context, forum):
    community = forum["community"]
    alice = new_context(forum["alice"]).new_page()

    # Alice starts a thread; the preview shows her Markdown rendered as she types.
    alice.goto(f"/c/{community.slug}/threads/new/")
    alice.fill("input[name=title]", "Queue tickets by SMS")
    alice.fill("textarea[name=body]", "Do you send **queue tickets** by SMS?")
    alice.locator("#preview strong").filter(has_text="queue tickets").wait_for()
    alice.get_by_label("Queues").check()
    alice.get_by_role("button", name="Start the thread").click()
    alice.wait_for_url(re.compile(r"/threads/\d+/$"))
    thread = Thread.objects.get(title="Queue tickets by SMS")
    opening = Post.objects.get(thread=thread, number=1)
    assert alice.locator("h1").inner_text() == "Queue tickets by SMS"

    # Bob quotes her post and mentions her.
    bob = new_context(forum["bob"]).new_page()
    bob.goto(thread.get_absolute_url())
    bob.locator("#p1").get_by_role("link", name="Quote").click()
    body = bob.locator("textarea[name=body]")
    assert body.input_value().startswith(f"> [@alice]({opening.get_absolute_url()}):")
    body.fill(body.input_value() + "@alice yes, since last year.")
    bob.get_by_role("button", name="Post the reply").click()
    bob.wait_for_url(re.compile(r"#p2$"))
    assert "yes, since last year." in bob.locator("#p2").inner_text()

    # Alice sees one unread notification, opens it and lands on Bob's post with the quote.
    alice.goto("/")
    assert alice.locator("[data-live-count]").inner_text() == "1"
    alice.locator("a.bell").click()
    entry = alice.get_by_role("button", name="Bob Bekov mentioned you in “Queue tickets by SMS”")
    entry.click()
    alice.wait_for_url(re.compile(r"/threads/\d+/\?page=1#p2$"))
    quote = alice.locator("#p2 blockquote")
    assert "Do you send queue tickets by SMS?" in quote.inner_text()
    assert quote.locator("a").get_attribute("href") == opening.get_absolute_url()
    assert alice.locator("[data-live-count]").inner_text() == "0"


def test_a_reply_being_written_survives_a_reload_until_it_is_sent(new_context, forum):
    thread = services.thread_create(
        community=forum["community"],
        author=forum["alice"],
        title="Draft test thread",
        body="Opening.",
        language="en",
    )
    key = f"draft:bob:reply-{thread.pk}"
    page = new_context(forum["bob"]).new_page()
    page.goto(thread.get_absolute_url())
    body = page.locator("textarea[name=body]")

    body.fill("A long answer I do not want to lose")
    page.reload()

    assert body.input_value() == "A long answer I do not want to lose"
    assert page.evaluate(f"localStorage.getItem('{key}')") == body.input_value()

    page.get_by_role("button", name="Post the reply").click()
    page.wait_for_url(re.compile(r"#p2$"))

    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    assert body.input_value() == ""
    page.reload()
    assert body.input_value() == ""
    assert Post.objects.get(thread=thread, number=2).body == "A long answer I do not want to lose"


def test_a_draft_is_the_persons_own_and_goes_when_they_sign_out(new_context, forum, live_daphne):
    thread = services.thread_create(
        community=forum["community"],
        author=forum["alice"],
        title="Shared computer thread",
        body="Opening.",
        language="en",
    )
    context = new_context(forum["bob"])
    page = context.new_page()
    page.goto(thread.get_absolute_url())
    body = page.locator("textarea[name=body]")
    body.fill("Bob's words, not yet sent")

    # Alice signs in on the same browser without Bob signing out: his draft is not in her box.
    context.clear_cookies()
    context.add_cookies([_session_cookie(forum["alice"], live_daphne.url)])
    page.reload()
    assert page.locator("body").get_attribute("data-user") == "alice"
    assert body.input_value() == ""

    # Back to Bob: his draft is still his.
    context.clear_cookies()
    context.add_cookies([_session_cookie(forum["bob"], live_daphne.url)])
    page.reload()
    assert body.input_value() == "Bob's words, not yet sent"

    # Bob signs out from the account menu: the browser forgets every draft it kept, and chat's
    # unsent messages with them.
    page.evaluate("localStorage.setItem('chat-outbox:bob:/ws/chat/1/', '[]')")
    page.locator("summary:has-text('Your account')").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("a:has-text('Sign in')")
    kept = "Object.keys(localStorage).filter((name) => /^(draft|chat-outbox):/.test(name))"
    assert page.evaluate(kept) == []


def test_a_refused_reply_keeps_its_draft(new_context, forum, make_member):
    moderator = make_member(forum["community"], role="moderator")
    thread = services.thread_create(
        community=forum["community"],
        author=forum["alice"],
        title="Soon locked thread",
        body="Opening.",
        language="en",
    )
    page = new_context(forum["bob"]).new_page()
    page.goto(thread.get_absolute_url())
    page.locator("textarea[name=body]").fill("Written before the lock")
    services.thread_set_locked(thread=thread, actor=moderator, locked=True)

    page.get_by_role("button", name="Post the reply").click()

    page.get_by_text("This thread is locked: it takes no new replies.").first.wait_for()
    assert page.locator("textarea[name=body]").input_value() == "Written before the lock"
    key = f"draft:bob:reply-{thread.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") == "Written before the lock"
    assert not Post.objects.filter(thread=thread, number=2).exists()


def test_react_from_the_picker_and_use_the_post_menu_by_keyboard(new_context, forum):
    community = forum["community"]
    thread = services.thread_create(
        community=community, author=forum["alice"], title="Opening hours", body="Open at 8?",
        language="en",
    )  # fmt: skip
    services.post_reply(thread=thread, author=forum["alice"], body="Or at 9.")
    bob = new_context(forum["bob"]).new_page()
    bob.goto(thread.get_absolute_url())

    # One form of reactions per post: the picker's Thanks adds Bob's reaction in place.
    reply = bob.locator("#p2")
    reply.locator("details.reaction-picker summary").click()
    reply.locator("details.reaction-picker").get_by_role("button", name="Thanks").click()
    pressed = reply.locator('button[data-kind="thanks"][aria-pressed="true"]')
    pressed.wait_for()
    assert " ".join(pressed.inner_text().split()) == "Thanks 1"

    # After a reload (the post's fragment comes from the cache) it is still his, and pressing
    # it again takes it back.
    bob.reload()
    pressed = bob.locator('#p2 button[data-kind="thanks"]')
    assert pressed.get_attribute("aria-pressed") == "true"
    pressed.click()
    bob.locator('#p2 button[data-kind="thanks"]').wait_for(state="detached")

    # The post's other actions are behind one menu, opened from the keyboard.
    menu = bob.locator("#p2 details.post-menu summary")
    menu.focus()
    bob.keyboard.press("Enter")
    bob.locator("#p2 details.post-menu").get_by_role("button", name="Bookmark").click()
    bob.wait_for_url(re.compile(r"#p2$"))
    # Back on the post, the (closed) menu now offers to remove the bookmark.
    again = bob.locator("#p2 details.post-menu")
    assert again.get_by_role("button", name="Remove bookmark", include_hidden=True).count() == 1
