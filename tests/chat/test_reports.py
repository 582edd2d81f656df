"""Reporting a chat message to the community's moderators, and their answer: the form without
JavaScript, the queue, removing or dismissing, who may do which."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.models import Notification
from core.models import AuditEntry
from forums import services
from forums.models import ChatMessage, MessageReport
from mail.registry import content_for
from tests.htmltree import parse

QUEUE = "/c/one-stop-shop/reports/chat/"


@pytest.fixture
def people(communities, community, alice, bob, moderator, make_member, make_user):
    return {
        "anonymous": None,
        "non_member": make_user("nobody"),
        "member": bob,
        "author": alice,
        "other_mod": make_member(communities["e-government"], "othermod", role="moderator"),
        "moderator": moderator,
        "staff": make_user("staffer", staff=True),
        "reader": make_member(community, "reader"),  # who reported first
    }


def _browser(people, role, client, login):
    return login(people[role]) if people[role] else client


# --- Reporting ------------------------------------------------------------------------------------


def test_a_reader_reports_a_message_without_javascript(login, alice, bob, say):
    message = say(alice, "Арзан несие! **Сілтемені** басыңыз.")
    browser = login(bob)
    url = f"/messages/{message.pk}/report/"

    form = parse(browser.get(url))
    assert form.one("h1").text == "Report a chat message"
    assert "Сілтемені" in form.one("blockquote").text  # the message being reported
    # No reason: a clear error, and what was typed stays.
    refused = browser.post(url, {"comment": "Жарнама сияқты"})
    assert refused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = parse(refused)
    assert "Choose a reason." in page.one("main").text
    assert page.one("textarea", name="comment").text == "Жарнама сияқты"
    assert not MessageReport.objects.exists()

    sent = browser.post(url, {"reason": "spam", "comment": "Жарнама сияқты"})
    again = browser.post(url, {"reason": "spam"})

    assert sent.status_code == HTTPStatus.FOUND
    assert sent["Location"] == message.get_absolute_url()
    assert again.status_code == HTTPStatus.FOUND
    report = MessageReport.objects.get()  # reporting twice makes one open report
    assert (report.reporter, report.reason, report.comment) == (bob, "spam", "Жарнама сияқты")
    assert report.status == MessageReport.Status.OPEN
    shown = browser.get(sent["Location"], follow=True).content.decode()
    assert "Thank you. A moderator will look at this message." in shown


def test_the_moderators_are_told_in_their_inbox_and_by_email(
    login, alice, bob, moderator, outsider, communities, make_member, say,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    elsewhere = make_member(communities["e-government"], "elsewhere", role="moderator")
    message = say(alice, "Арзан несие! Сілтемені басыңыз.")

    with django_capture_on_commit_callbacks(execute=True):
        report = services.message_report_create(message=message, reporter=bob, reason="spam")
        # Reporting again while it is open tells nobody twice.
        services.message_report_create(message=message, reporter=bob, reason="spam")

    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.actor) == (moderator, "report", bob)
    assert told.url == message.get_absolute_url()
    assert told.data == {"room": message.room_id, "seq": message.seq, "report": report.pk}
    inbox = parse(login(moderator).get("/notifications/")).one("main").text
    assert f"Болат Жұмабаев reported a chat message in “{message.room.name}”" in inbox
    # The e-mail quotes the message to a moderator, and to nobody who does not moderate here.
    assert content_for(moderator, told.data).html == message.html
    for reader in (alice, bob, outsider, elsewhere):
        assert content_for(reader, told.data) is None

    # Once the message is removed, its words leave the inbox.
    services.message_report_resolve(report=report, actor=moderator, remove=True)
    assert not Notification.objects.exists()


def test_a_deleted_message_cannot_be_reported(login, alice, bob, say):
    message = say(alice, "Қате жазылды")
    services.message_delete(message=message, actor=alice)

    response = login(bob).post(f"/messages/{message.pk}/report/", {"reason": "spam"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not MessageReport.objects.exists()


def test_the_room_offers_reporting_on_other_peoples_messages(login, alice, bob, say):
    mine, theirs = say(bob, "Менікі"), say(alice, "Басқаныкі")

    page = parse(login(bob).get("/c/one-stop-shop/chat/general/"))

    def tool(message):
        item = page.one("li", id=f"m{message.seq}")
        return item.find("a", data_tool="report")

    assert tool(theirs).attrs["href"] == f"/messages/{theirs.pk}/report/"
    assert tool(mine) is None
    # Live messages get the link from chat.js, built from this address.
    assert page.one("div", data_chat="").attrs["data-report-url"] == "/messages/0/report/"


# --- Deciding -------------------------------------------------------------------------------------


def _reported(say, alice, readers, body="Арзан несие!") -> ChatMessage:
    message = say(alice, body)
    for reader in readers:
        services.message_report_create(message=message, reporter=reader, reason="spam")
    return message


def test_moderators_see_the_queue_and_remove_the_message(
    login, alice, bob, moderator, make_member, community, say
):
    carol = make_member(community, "carol")
    message = _reported(say, alice, [bob, carol])
    report = MessageReport.objects.filter(message=message).first()
    browser = login(moderator)

    queue = parse(browser.get(QUEUE))
    items = queue.one("main").find_all("li", id=f"report-{report.pk}")
    assert len(queue.one("main").find_all("blockquote")) == 2  # one per report
    assert "Арзан несие!" in items[0].one("blockquote").text
    assert "reported by Болат Жұмабаев" in items[0].text
    assert items[0].find("a", href=message.get_absolute_url())

    response = browser.post(f"{QUEUE}{report.pk}/", {"decision": "remove"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == QUEUE
    message.refresh_from_db()
    assert message.is_deleted
    assert message.removed_by_moderator
    statuses = set(MessageReport.objects.values_list("status", flat=True))
    assert statuses == {MessageReport.Status.REMOVED}  # every report on it is answered
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["chat.delete", "chat_report.remove"]
    entry = AuditEntry.objects.get(action="chat_report.remove")
    assert (entry.before, entry.after) == ({"report": "open"}, {"report": "removed"})
    assert "Spam or advertising" in entry.reason
    empty = parse(browser.get(QUEUE))
    assert "No reported chat messages." in empty.one("main").text


def test_dismissing_keeps_the_message(login, alice, bob, moderator, say):
    message = _reported(say, alice, [bob])
    report = MessageReport.objects.get()

    login(moderator).post(f"{QUEUE}{report.pk}/", {"decision": "dismiss"})

    message.refresh_from_db()
    assert not message.is_deleted
    report.refresh_from_db()
    assert report.status == MessageReport.Status.DISMISSED
    assert report.resolved_by == moderator
    assert AuditEntry.objects.get().action == "chat_report.dismiss"


def test_a_message_its_author_deletes_leaves_no_open_report(alice, bob, say):
    message = _reported(say, alice, [bob])

    services.message_delete(message=message, actor=alice)

    assert MessageReport.objects.get().status == MessageReport.Status.REMOVED


def test_the_first_decision_stands(alice, bob, moderator, say):
    _reported(say, alice, [bob])
    report = MessageReport.objects.get()
    services.message_report_resolve(report=report, actor=moderator, remove=False)

    again = services.message_report_resolve(report=report, actor=moderator, remove=True)

    assert again.status == MessageReport.Status.DISMISSED
    assert not ChatMessage.objects.get(pk=report.message_id).is_deleted
    assert AuditEntry.objects.count() == 1


# Who may do what: report a message (GET the form, POST it), see the queue, decide. Its author
# does not report their own words (they can edit or delete them).
ROLES = ("anonymous", "non_member", "member", "author", "other_mod", "moderator", "staff")
TABLE = """
action     anonymous non_member member author other_mod moderator staff
report     login     yes        yes    403    yes       yes       yes
queue      login     403        403    403    403       yes       yes
decide     login     403        403    403    403       yes       yes
"""
EXPECTED = {
    action: dict(zip(ROLES, cells, strict=True))
    for action, *cells in (line.split() for line in TABLE.strip().splitlines()[1:])
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_who_may_report_and_decide(client, login, people, alice, say, action, role):
    message = say(alice, "Хабарлама")
    report = services.message_report_create(
        message=message, reporter=people["reader"], reason="other"
    )
    browser = _browser(people, role, client, login)
    expected = EXPECTED[action][role]

    if action == "report":
        response = browser.post(f"/messages/{message.pk}/report/", {"reason": "abuse"})
        happened = MessageReport.objects.filter(reason="abuse").exists()
    elif action == "queue":
        response = browser.get(QUEUE)
        happened = (
            response.status_code == HTTPStatus.OK and b"Reported chat messages" in response.content
        )
    else:
        response = browser.post(f"{QUEUE}{report.pk}/", {"decision": "dismiss"})
        happened = MessageReport.objects.get(pk=report.pk).status == "dismissed"

    assert happened is (expected == "yes")
    if expected == "login":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/login/")
    elif expected == "403":
        assert response.status_code == HTTPStatus.FORBIDDEN
    else:
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)


def test_a_report_of_another_community_is_not_found_here(
    communities, login, moderator, make_member
):
    there = communities["e-government"]
    writer, reader = make_member(there, "writer"), make_member(there, "reader")
    room = there.rooms.get(slug="general")
    message, _created, _frame = services.message_send(room=room, author=writer, body="Спам")
    report = services.message_report_create(message=message, reporter=reader, reason="spam")

    response = login(moderator).post(f"{QUEUE}{report.pk}/", {"decision": "remove"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not ChatMessage.objects.get(pk=message.pk).is_deleted
