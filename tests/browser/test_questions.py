"""Ask this expert, in a real browser: a member finds an expert in the roster and asks with the
keyboard alone; the expert's bell rings on the page they have open, they follow it to the
question and answer; the member's bell rings in turn and the answer is there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import ExpertiseArea
from forums.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Бір терезе қағидаты бойынша кеңес"
QUESTION = "Халыққа қызмет көрсету орталығында **кезекті** қалай қысқарттыңыздар?"
ANSWER = "Алдын ала онлайн жазылуды енгіздік."


@pytest.fixture
def roster(communities, make_member, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    community = communities["one-stop-shop"]
    alice = make_member(community, "alice", display_name="Әлия Серікқызы")
    bob = make_member(
        community, "bob", display_name="Болат Сарапшы", is_expert=True, languages=["kk", "ru"]
    )
    bob.expertise.set(ExpertiseArea.objects.order_by("slug")[:1])
    return alice, bob


def _tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until ``locator`` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"{locator} was not reached with {limit} presses of Tab")


def test_a_member_asks_an_expert_by_keyboard_and_the_expert_answers(
    new_context, roster, patient_expectations
):
    alice, bob = roster
    # Bob has a page open: his bell rings when the question arrives.
    bob_page = new_context(bob).new_page()
    bob_page.goto("/questions/")
    bob_bell = bob_page.locator("[data-live-count]")
    expect(bob_bell).to_have_text("0")

    # Alice finds Bob in the roster and asks, with the keyboard alone.
    page = new_context(alice).new_page()
    page.goto("/experts/")
    ask = page.get_by_role("link", name=re.compile(r"^Ask a question\W+Болат Сарапшы$"))
    _tab_to(page, ask)
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/bob/ask/")
    expect(page.locator("h1")).to_have_text("Ask Болат Сарапшы a question")
    _tab_to(page, page.get_by_label("Subject"))
    page.keyboard.type(SUBJECT)
    _tab_to(page, page.get_by_label("Your question"))
    page.keyboard.type(QUESTION)
    expect(page.locator("#preview strong")).to_have_text("кезекті")  # the live preview
    # The browser keeps what she typed, under her name, until the server has it.
    assert page.evaluate("localStorage.getItem('draft:alice:ask-bob')") == QUESTION
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/questions/\d+/$"))
    sent = page.get_by_text("Your question was sent. Болат Сарапшы has been notified.")
    expect(sent).to_be_visible()
    # The draft the browser kept while she typed is forgotten once the server has it.
    assert page.evaluate("localStorage.getItem('draft:alice:ask-bob')") is None
    question = Question.objects.get()
    assert (question.asker, question.expert, question.subject) == (alice, bob, SUBJECT)

    # Bob's bell rang on the page he had open; he follows it to the question.
    expect(bob_bell).to_have_text("1")
    bob_page.locator("a.bell").click()
    bob_page.get_by_role("button", name=f"Әлия Серікқызы asked you a question: “{SUBJECT}”").click()
    bob_page.wait_for_url(re.compile(rf"/questions/{question.pk}/#m1$"))
    expect(bob_page.locator("#m1 strong")).to_have_text("кезекті")
    expect(bob_bell).to_have_text("0")

    # He answers; Alice's bell rings and the answer is in the conversation.
    alice_bell = page.locator("[data-live-count]")
    expect(alice_bell).to_have_text("0")
    bob_page.get_by_label("Your reply").fill(ANSWER)
    bob_page.get_by_role("button", name="Send the reply").click()
    bob_page.wait_for_url(re.compile(r"#m2$"))
    expect(alice_bell).to_have_text("1")
    page.goto("/questions/")
    row = page.locator("li.question-row")
    expect(row).to_contain_text("answered")
    row.get_by_role("link", name=SUBJECT).click()
    expect(page.locator("#m2")).to_contain_text(ANSWER)
