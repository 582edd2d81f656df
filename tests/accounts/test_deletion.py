""" "Delete my account": re-authentication, sessions ended at once, the grace period, and what
remains afterwards (nothing that names the person; their kept posts read "former member")."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from accounts import deletion
from accounts.models import User
from core.models import AuditEntry, Membership
from core.services import audit_record
from forums.models import ChatMessage, Post, Reaction, Thread
from forums.services.chat import message_delete
from forums.services.reports import (
    message_report_create,
    message_report_resolve,
    report_create,
    report_resolve,
)
from tests.conftest import PASSWORD
from tests.htmltree import parse

TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.GenericIPAddressField,
    models.JSONField,
    models.FileField,
)
IP = "203.0.113.77"


def rows_that_name(needles: list[str]) -> list[str]:
    """Every (table, column, row id) whose text holds one of ``needles``: a scan of every
    text, character, e-mail, IP and JSON column of every table, case-insensitively."""
    found = []
    wanted = [n.lower() for n in needles]
    for model in apps.get_models():
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, TEXT_FIELDS) and not f.primary_key
        ]
        if not columns:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {pk}, {quoted} FROM {table}")  # noqa: S608 - names from models
            for row in cursor.fetchall():
                for column, value in zip(columns, row[1:], strict=True):
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value)
                    # JSON may be stored with \\u escapes: read it back as text.
                    with contextlib.suppress(ValueError, TypeError):
                        text += " " + json.dumps(json.loads(text), ensure_ascii=False)
                    if any(needle in text.lower() for needle in wanted):
                        found.append(f"{model._meta.db_table}.{column} #{row[0]}")
    return found


def signed_in(user) -> Client:
    """Signed in through allauth's form, with the password just entered again (deleting an
    account asks for it even right after signing in)."""
    client = Client(REMOTE_ADDR=IP)
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND, response.content
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND, response.content
    return client


def test_deleting_needs_recent_reauthentication(active_person):
    person = active_person["person"]
    client = Client()
    client.force_login(person)  # a session without a recent password entry
    page = client.get("/profile/delete/")
    assert page.status_code == HTTPStatus.OK
    assert parse(page.content).one("h1").text == "Delete my account"

    asked = client.post("/profile/delete/", {"content": "keep", "confirm": "on"})
    assert asked.status_code == HTTPStatus.FOUND
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    person.refresh_from_db()
    assert person.deletion_requested is None

    # The password again: allauth resumes the suspended request, which goes through.
    again = client.post(asked["Location"], {"password": PASSWORD})
    assert again.status_code == HTTPStatus.FOUND
    assert again["Location"] == "/"
    person.refresh_from_db()
    assert person.deletion_requested is not None
    assert client.get("/profile/").status_code == HTTPStatus.FOUND  # signed out


def test_a_form_without_confirmation_keeps_the_choice_and_deletes_nothing(active_person):
    person = active_person["person"]
    client = signed_in(person)
    response = client.post("/profile/delete/", {"content": "remove"})
    assert response.status_code == HTTPStatus.OK
    tree = parse(response.content)
    assert tree.find_all(role="alert")
    checked = [
        n.attrs["value"] for n in tree.find_all("input", name="content") if "checked" in n.attrs
    ]
    assert checked == ["remove"]
    person.refresh_from_db()
    assert person.deletion_requested is None


def test_asking_ends_every_session_at_once_and_signing_in_again_cancels(
    active_person, django_capture_on_commit_callbacks
):
    person = active_person["person"]
    laptop, phone = signed_in(person), signed_in(person)
    other = signed_in(active_person["colleague"])
    assert Session.objects.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post("/profile/delete/", {"content": "keep", "confirm": "on"})
    assert response.status_code == HTTPStatus.FOUND
    person.refresh_from_db()
    assert person.deletion_requested is not None
    assert Session.objects.count() == 1  # only the colleague's
    assert phone.get("/profile/").status_code == HTTPStatus.FOUND  # signed out there too
    assert other.get("/profile/").status_code == HTTPStatus.OK

    # Within the grace period: signing in keeps the account, and says so.
    back = Client()
    answer = back.post(
        "/accounts/login/", {"login": person.username, "password": PASSWORD}, follow=True
    )
    assert "the deletion of your account is cancelled" in answer.content.decode()
    person.refresh_from_db()
    assert person.deletion_requested is None
    assert deletion.deletions_due(now=timezone.now() + timedelta(days=30)) == 0


def test_nothing_is_erased_before_the_grace_period_ends(active_person):
    person = active_person["person"]
    deletion.deletion_request(user=person, remove_content=False)
    # Out of the directory at once, though.
    assert Client().get("/members/zarina/").status_code == HTTPStatus.NOT_FOUND
    assert "Zarina Deletova" not in Client().get("/members/").content.decode()
    assert deletion.deletions_due(now=timezone.now() + timedelta(days=13)) == 0
    person.refresh_from_db()
    assert person.deleted is None
    assert person.email == "zarina.deletova@example.org"


def test_after_the_grace_period_nothing_names_the_person(active_person, make_user):
    person, colleague, thread = (
        active_person["person"],
        active_person["colleague"],
        active_person["thread"],
    )
    moderator = active_person["moderator"]
    signed_in(person)  # a session, with an IP address in allauth's records if it keeps any
    # A moderator removed one of their messages: the audit entry names them today.
    noisy = active_person["room"].messages.create(
        seq=99, author=person, body="spam by Zarina Deletova", html="<p>spam</p>"
    )
    message_delete(message=noisy, actor=moderator)
    audit_record(
        actor=person,
        action="post.hide",
        target=active_person["reply"],
        community=thread.community,
        reason="hidden by zarina",
    )
    replies_before = Thread.objects.get(pk=thread.pk).reply_count
    reactions_before = Reaction.objects.filter(post=active_person["reply"]).count()
    needles = [
        "zarina.deletova@example.org",
        "Zarina Deletova",
        "zarina",
        "Deletova",
        "Digital Agency",
        IP,
    ]
    assert rows_that_name(needles)  # the scan finds them before

    deletion.deletion_request(user=person, remove_content=False)
    assert deletion.deletions_due(now=timezone.now() + timedelta(days=15)) == 1

    assert rows_that_name(needles) == []
    person.refresh_from_db()
    assert person.deleted is not None
    assert not person.is_active
    assert person.name == "former member"
    # Kept content: the thread, its posts and counts are whole, signed "former member".
    thread.refresh_from_db()
    assert thread.reply_count == replies_before
    assert Post.objects.filter(thread=thread, is_deleted=False).count() == 3
    assert Reaction.objects.filter(post=active_person["reply"]).count() == reactions_before
    page = Client().get(thread.get_absolute_url()).content.decode()
    bylines = [
        node.find(class_="name").text.strip()
        for node in parse(page).find_all("div", class_="post-author")
    ]
    assert bylines == ["a former member", "Bakyt Stays", "a former member"]
    assert "/members/former-" not in page  # no link to a profile that is gone
    assert "Ours neither; we used a hub." in page  # the colleague's reply is untouched
    assert "Which hub did you use?" in page
    assert ChatMessage.objects.filter(author=person, is_deleted=False).count() == 1
    # The moderators' log keeps the entries, under a pseudonym.
    entry = AuditEntry.objects.get(action="chat.delete")
    assert entry.actor == moderator
    assert entry.before["author"] == f"former-{person.pk}"
    assert AuditEntry.objects.get(action="post.hide").actor_id == person.pk
    assert not Membership.objects.filter(user=person).exists()
    assert Client().get("/members/zarina/").status_code == HTTPStatus.NOT_FOUND
    assert colleague.is_active

    # The address is free to sign up again.
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "zarina.deletova@example.org",
            "username": "zarina",
            "password1": "a-fresh-start-2026",
            "password2": "a-fresh-start-2026",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    again = User.objects.get(email="zarina.deletova@example.org")
    assert again.pk != person.pk
    assert EmailAddress.objects.filter(email="zarina.deletova@example.org").count() == 1


def test_content_can_be_removed_where_the_rules_allow(active_person):
    person, thread = active_person["person"], active_person["thread"]
    deletion.deletion_request(user=person, remove_content=True)
    deletion.account_erase(user=person)

    mine = Post.objects.filter(author=person)
    assert mine.count() == 2
    assert all(p.is_deleted and p.body == "" for p in mine)
    thread.refresh_from_db()
    assert thread.reply_count == 1  # the colleague's reply still counts
    assert Post.objects.get(pk=active_person["reply"].pk).body == "Ours neither; we used a hub."
    assert list(ChatMessage.objects.filter(author=person).values_list("is_deleted", "body")) == [
        (True, "")
    ]
    assert ChatMessage.objects.filter(body="Welcome!").exists()


def test_a_reporters_words_leave_the_moderators_log_with_their_account(active_person):
    person, moderator = active_person["person"], active_person["moderator"]
    reported_post = active_person["reply"]
    colleague_message = ChatMessage.objects.get(body="Welcome!")
    words = "He sells a hub, I think: see his profile"
    post_report = report_create(post=reported_post, reporter=person, reason="spam", comment=words)
    chat_report = message_report_create(
        message=colleague_message, reporter=person, reason="other", comment=words
    )
    # Someone else's report, on the person's own post, keeps its words.
    other = report_create(
        post=active_person["mine"], reporter=moderator, reason="spam", comment="Off topic"
    )
    report_resolve(report=post_report, actor=moderator, hide=False)
    message_report_resolve(report=chat_report, actor=moderator, remove=False)
    report_resolve(report=other, actor=moderator, hide=False)
    entries = AuditEntry.objects.filter(action__in=["report.dismiss", "chat_report.dismiss"])
    assert sorted(entries.values_list("reason", flat=True)) == sorted(
        [
            f"Something else: {words}",
            f"Spam or advertising: {words}",
            "Spam or advertising: Off topic",
        ]
    )

    deletion.deletion_request(user=person, remove_content=False)
    deletion.account_erase(user=person)

    # The decisions stay in the log, with their reasons; the reporter's words do not.
    assert sorted(entries.values_list("reason", flat=True)) == [
        "Something else",
        "Spam or advertising",
        "Spam or advertising: Off topic",
    ]
    assert not AuditEntry.objects.filter(reason__contains=words).exists()


@pytest.mark.parametrize("action", ["delete_account", "erase_now"])
def test_staff_act_on_data_subject_requests_and_are_audited(active_person, make_user, action):
    person = active_person["person"]
    officer = make_user("dpo", staff=True, is_superuser=True)
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/admin/accounts/user/", {"action": action, "_selected_action": [person.pk]}
    )
    assert response.status_code == HTTPStatus.FOUND
    person.refresh_from_db()
    if action == "delete_account":
        assert person.deletion_requested is not None
        assert person.deleted is None
        entry = AuditEntry.objects.get(action="account.delete_request")
    else:
        assert person.deleted is not None
        entry = AuditEntry.objects.get(action="account.erase")
        assert "Zarina" not in entry.target_repr
    assert entry.actor == officer
    assert entry.target_id == str(person.pk)


def test_members_cannot_use_the_staff_actions(active_person):
    person, colleague = active_person["person"], active_person["colleague"]
    client = Client()
    client.force_login(colleague)
    response = client.post(
        "/admin/accounts/user/", {"action": "erase_now", "_selected_action": [person.pk]}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
    person.refresh_from_db()
    assert person.deleted is None
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_the_deletion_jobs_are_periodic():
    from core.worker import periodic_jobs

    assert {"accounts.deletions_due", "accounts.exports_expire"} <= {
        job.name for job in periodic_jobs()
    }
