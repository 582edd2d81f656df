"""Private questions as personal data: "Download my data" holds each conversation with both
sides' messages; deleting an account keeps the other person's copy (signed "former member"),
or empties the leaver's words when they asked for that, and drops conversations nobody is
left to read."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from accounts import deletion, export
from accounts.models import Notification
from forums import services
from forums.models import Question, QuestionMessage
from tests.accounts.test_deletion import rows_that_name
from tests.forums.question_texts import QUESTION_ANSWER, QUESTION_BODY, QUESTION_SUBJECT
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(askers, question):
    services.question_reply(question=question, author=askers["expert"], body=QUESTION_ANSWER)
    return question


def _export(user) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(export._zip_of(user)))
    assert "private questions" in archive.read("README.txt").decode()
    return json.loads(archive.read("private_questions.json"))


def test_each_side_exports_the_conversation(askers, answered):
    (mine,) = _export(askers["asker"])
    assert mine["subject"] == QUESTION_SUBJECT
    assert (mine["you_asked"], mine["with"], mine["community"]) == (
        True,
        "Ерлан Сарапшы",
        "e-government",
    )
    assert [(m["number"], m["from_you"], m["body"]) for m in mine["messages"]] == [
        (1, True, QUESTION_BODY),
        (2, False, QUESTION_ANSWER),
    ]
    (theirs,) = _export(askers["expert"])
    assert (theirs["you_asked"], theirs["with"]) == (False, "Айгерім Асқарова")
    assert [m["from_you"] for m in theirs["messages"]] == [False, True]
    assert _export(askers["third"]) == []
    profile = json.loads(
        zipfile.ZipFile(io.BytesIO(export._zip_of(askers["expert"]))).read("profile.json")
    )
    assert profile["accepts_questions"] is True


def test_the_other_side_keeps_a_conversation_signed_former_member(login, askers, answered):
    asker = askers["asker"]
    deletion.deletion_request(user=asker, remove_content=False)
    deletion.account_erase(user=asker)

    assert rows_that_name(["Айгерім Асқарова", "aigerim@example.org"]) == []
    page = parse(login(askers["expert"]).get(answered.get_absolute_url()))
    assert page.one("article", id="m1").one(class_="name").text == "a former member"
    assert "цифрлық мүмкіндіктерді" in page.one("article", id="m1").text
    # Nobody to read an answer any more.
    assert page.one("section", id="reply").find("textarea") is None
    assert "can no longer receive messages" in page.one("section", id="reply").text


def test_removing_content_empties_the_leavers_words_and_their_quotes(login, askers, answered):
    services.question_reply(question=answered, author=askers["asker"], body="Рақмет, Ерлан!")
    asker, expert = askers["asker"], askers["expert"]
    assert Notification.objects.filter(recipient=expert, actor=asker).count() == 2
    deletion.deletion_request(user=asker, remove_content=True)
    deletion.account_erase(user=asker)

    answered.refresh_from_db()
    assert answered.subject == ""
    messages = QuestionMessage.objects.filter(question=answered).order_by("number")
    assert list(messages.values_list("author", "is_deleted", "body")) == [
        (asker.pk, True, ""),
        (expert.pk, False, QUESTION_ANSWER),
        (asker.pk, True, ""),
    ]
    assert not Notification.objects.filter(recipient=expert, actor=asker).exists()
    assert rows_that_name(["цифрлық мүмкіндіктерді", "Рақмет, Ерлан!"]) == []
    page = parse(login(expert).get(answered.get_absolute_url()))
    assert page.one("h1").text == "(subject removed)"
    assert page.one("article", id="m1").one(class_="post-placeholder").text == (
        "This message was removed."
    )
    assert QUESTION_ANSWER.split("*")[0] in page.one("article", id="m2").text


def test_a_conversation_goes_when_both_of_its_people_have(askers, answered):
    for person in (askers["expert"], askers["asker"]):
        deletion.deletion_request(user=person, remove_content=False)
        deletion.account_erase(user=person)
    assert not Question.objects.exists()
    assert not QuestionMessage.objects.exists()
