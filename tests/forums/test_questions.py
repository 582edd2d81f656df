"""Private questions through their services: asking, answering, reading, the bell, and every
refusal (yourself, a hidden or closed profile, someone who offers no expertise, a flood, an
answer nobody would read), each with the sentence a person is shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from accounts import deletion
from accounts.models import Audience, Notification, notification_message
from core.permissions import Refusal
from forums import selectors, services
from forums.models import Question, QuestionMessage
from tests.core.test_services import _doorbell_after, _in_own_event_loop
from tests.forums.question_texts import QUESTION_ANSWER as ANSWER
from tests.forums.question_texts import QUESTION_BODY as BODY
from tests.forums.question_texts import QUESTION_SUBJECT as SUBJECT

pytestmark = pytest.mark.django_db


def _inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.QUESTION))


def test_asking_opens_a_conversation_of_two_and_tells_the_expert(askers, question):
    asker, expert = askers["asker"], askers["expert"]
    assert (question.asker, question.expert, question.subject) == (asker, expert, SUBJECT)
    assert question.community.slug == "e-government"
    (opening,) = QuestionMessage.objects.filter(question=question)
    assert (opening.number, opening.author, opening.body) == (1, asker, BODY)
    assert "<strong>цифрлық мүмкіндіктерді</strong>" in opening.html
    # The asker has read their own question; the expert has not.
    assert (question.last_number, question.asker_read_number, question.expert_read_number) == (
        1,
        1,
        0,
    )
    assert question.last_author == asker

    (entry,) = _inbox(expert)
    assert entry.actor == asker
    assert entry.url == f"/questions/{question.pk}/#m1"
    assert entry.data == {"question": question.pk, "number": 1, "what": "asked"}
    assert entry.excerpt.startswith("Мемлекеттік басқару саласында")
    assert notification_message(entry) == f"Айгерім Асқарова asked you a question: “{SUBJECT}”"
    assert _inbox(asker) == []


def test_each_answer_tells_the_other_side_and_moves_its_own_read_marker(askers, question):
    asker, expert = askers["asker"], askers["expert"]
    answer = services.question_reply(question=question, author=expert, body=ANSWER)
    follow_up = services.question_reply(
        question=question, author=asker, body="Рақмет! Тағы бір сұрақ."
    )
    assert (answer.number, follow_up.number) == (2, 3)
    question.refresh_from_db()
    assert (question.last_number, question.last_author) == (3, asker)
    assert (question.asker_read_number, question.expert_read_number) == (3, 2)

    (told,) = _inbox(asker)
    assert told.actor == expert
    assert told.data == {"question": question.pk, "number": 2, "what": "replied"}
    assert notification_message(told) == (
        f"Ерлан Сарапшы replied in your private conversation “{SUBJECT}”"
    )
    assert [n.data["number"] for n in _inbox(expert)] == [3, 1]


def test_reading_marks_the_conversation_and_its_inbox_entries_read(askers, question):
    expert = askers["expert"]
    services.question_reply(question=question, author=askers["asker"], body="Тағы бір нәрсе.")
    assert len([n for n in _inbox(expert) if n.read_at is None]) == 2
    assert services.question_mark_read(question=question, user=expert) is True
    question.refresh_from_db()
    assert question.expert_read_number == 2
    assert all(n.read_at is not None for n in _inbox(expert))
    assert services.question_mark_read(question=question, user=expert) is False


@pytest.mark.django_db(transaction=True)
def test_the_experts_bell_rings_after_the_question_is_committed(communities, make_member):
    asker = make_member(communities["ai"], "asker")
    expert = make_member(communities["ai"], "expert", is_expert=True)

    def ask() -> None:
        services.question_ask(asker=asker, expert=expert, subject=SUBJECT, body=BODY, language="kk")

    frame = _in_own_event_loop(_doorbell_after, ask, expert.pk)
    assert frame["type"] == "user.notifications"


# --- Refusals ---------------------------------------------------------------------------------


def _ask(askers, expert=None, **fields):
    return services.question_ask(
        asker=fields.pop("asker", askers["asker"]),
        expert=expert or askers["expert"],
        subject=fields.pop("subject", SUBJECT),
        body=fields.pop("body", BODY),
        language="kk",
    )


def _refused(askers, expert=None, **fields) -> Refusal:
    with pytest.raises(Refusal) as refused:
        _ask(askers, expert, **fields)
    return refused.value


def test_nobody_asks_themself(askers):
    askers["asker"].is_expert = True
    askers["asker"].save()
    problem = _refused(askers, askers["asker"])
    assert (problem.code, str(problem.message)) == ("self", "You cannot ask yourself a question.")


def test_only_people_who_offer_expertise_are_asked(askers):
    problem = _refused(askers, askers["third"])
    assert problem.code == "not_expert"
    assert str(problem.message) == "Only people who offer their expertise take private questions."


def test_an_expert_who_accepts_no_questions_is_not_asked(askers):
    askers["expert"].accepts_questions = False
    askers["expert"].save()
    problem = _refused(askers)
    assert problem.code == "closed"
    assert str(problem.message) == "Ерлан Сарапшы is not taking private questions at the moment."


@pytest.mark.parametrize(
    ("audience", "asker_key", "allowed"),
    [
        (Audience.MEMBERS, "asker", True),
        (Audience.COMMUNITIES, "asker", True),  # they share e-government
        (Audience.COMMUNITIES, "outsider", False),  # they share no community
    ],
)
def test_a_profile_hidden_from_the_asker_cannot_be_asked(
    askers, make_user, audience, asker_key, allowed
):
    askers["outsider"] = make_user("outsider")
    askers["expert"].profile_audience = audience
    askers["expert"].save()
    if allowed:
        assert _ask(askers, asker=askers[asker_key]).pk
    else:
        problem = _refused(askers, asker=askers[asker_key])
        assert problem.code == "unavailable"
        assert str(problem.message) == "This person cannot be asked a question."


def test_an_account_being_deleted_is_not_asked(askers):
    deletion.deletion_request(user=askers["expert"], remove_content=False)
    assert _refused(askers).code == "unavailable"


def test_asking_is_limited_per_hour(askers, settings, make_member, communities):
    settings.QUESTIONS_PER_HOUR = 2
    other = make_member(communities["ai"], "other_expert", is_expert=True)
    _ask(askers)
    _ask(askers, other)
    problem = _refused(askers)
    assert problem.code == "throttled"
    assert str(problem.message) == (
        "You have asked 2 questions in the last hour, the most we allow. "
        "Please send this one a little later; your text is kept."
    )
    assert Question.objects.filter(asker=askers["asker"]).count() == 2
    # Someone else is not held back, and an hour later the asker is not either.
    assert _ask(askers, asker=askers["third"]).pk
    Question.objects.filter(asker=askers["asker"]).update(
        created=timezone.now() - timedelta(minutes=61)
    )
    assert _ask(askers).pk


def test_replies_are_limited_per_hour_across_conversations(
    askers, settings, make_member, communities
):
    settings.QUESTION_REPLIES_PER_HOUR = 3
    other = make_member(communities["ai"], "other_expert", is_expert=True)
    first, second = _ask(askers), _ask(askers, other)
    for question in (first, first, second):
        services.question_reply(question=question, author=askers["asker"], body="Тағы бір сөз.")
    with pytest.raises(Refusal) as refused:
        services.question_reply(question=second, author=askers["asker"], body="Және тағы.")
    assert refused.value.code == "throttled"
    assert str(refused.value.message) == (
        "You have sent 3 replies in private conversations in the last hour, the most we allow. "
        "Please send this one a little later; your text is kept."
    )
    assert second.messages.count() == 2  # the question and one reply: nothing more went in
    # The other side is not held back, and an hour later the asker is not either.
    assert services.question_reply(question=first, author=askers["expert"], body="Жауап.").pk
    QuestionMessage.objects.filter(author=askers["asker"]).update(
        created=timezone.now() - timedelta(minutes=61)
    )
    assert services.question_reply(question=second, author=askers["asker"], body="Енді.").pk


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject": "Сәл"}, "subject", "A title needs at least 5 characters."),
        ({"body": "   "}, "body", "Please write something first."),
        ({"body": "\u200b\u200b"}, "body", "Please write something first."),
    ],
)
def test_bad_input_names_its_field(askers, fields, field, message):
    with pytest.raises(ValidationError) as invalid:
        _ask(askers, **fields)
    assert invalid.value.message_dict == {field: [message]}
    assert not Question.objects.exists()
    assert _inbox(askers["expert"]) == []


@pytest.mark.parametrize("who", ["third", "moderator", "staff"])
def test_nobody_else_answers_or_reads(askers, question, who):
    with pytest.raises(Refusal) as refused:
        services.question_reply(question=question, author=askers[who], body="Мен де айтайын.")
    assert refused.value.code == "not_participant"
    assert QuestionMessage.objects.filter(question=question).count() == 1
    with pytest.raises(Http404):
        selectors.question_get_for_participant(user=askers[who], question_id=question.pk)


def test_an_answer_needs_someone_to_read_it(askers, question):
    deletion.deletion_request(user=askers["asker"], remove_content=False)
    with pytest.raises(Refusal) as refused:
        services.question_reply(question=question, author=askers["expert"], body=ANSWER)
    assert refused.value.code == "gone"
    assert str(refused.value.message) == "Айгерім Асқарова can no longer receive messages."


def test_an_expert_who_closes_their_door_still_answers_what_was_asked(askers, question):
    askers["expert"].accepts_questions = False
    askers["expert"].is_expert = False
    askers["expert"].save()
    services.question_reply(question=question, author=askers["expert"], body=ANSWER)
    services.question_reply(question=question, author=askers["asker"], body="Рақмет!")
    assert question.messages.count() == 3
