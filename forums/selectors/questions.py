"""Reads of private questions: the one access check, a person's list, a conversation."""

from __future__ import annotations

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.http import Http404

from accounts.models import User
from core import permissions
from core.permissions import Action
from forums.models import Question, QuestionMessage

QUESTIONS_PER_PAGE = 30
# The boxes of the list page: every conversation, those one asked, those one was asked.
QUESTION_BOXES = ("", "asked", "received")


def question_get_for_participant(*, user, question_id: int) -> Question:
    """The question with its two people, if ``user`` is one of them; Http404 otherwise, for
    anyone (staff included), so that a conversation's existence is not told either."""
    question = (
        Question.objects.select_related("asker", "expert", "community")
        .filter(pk=question_id)
        .first()
    )
    # Always with the object: the participant rule lives in its object rule (forums/rules.py).
    if question is None or not permissions.can(user, Action.QUESTION_READ, None, obj=question):
        raise Http404
    return question


def question_list(*, user: User, box: str = "") -> QuerySet[Question]:
    """``user``'s conversations, latest activity first, with both people, the community and
    ``unread`` (a message they have not seen) in the same query. ``box``: "asked" (by them),
    "received" (asked of them), or "" for both."""
    mine = {"asked": Q(asker=user), "received": Q(expert=user)}.get(
        box, Q(asker=user) | Q(expert=user)
    )
    return (
        Question.objects.filter(mine)
        .select_related("asker", "expert", "community")
        .annotate(
            unread=Case(
                When(asker=user, last_number__gt=F("asker_read_number"), then=Value(True)),
                When(expert=user, last_number__gt=F("expert_read_number"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            # The other person wrote last: it is this one's turn to answer.
            awaits_me=Case(
                When(Q(last_author__isnull=False) & ~Q(last_author=user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-last_activity", "-id")
    )


def question_messages(*, question: Question) -> list[QuestionMessage]:
    """Every message of ``question`` in order, with its author (a conversation between two
    people stays short enough for one page). ``question`` comes with its two people
    (question_get_for_participant), who wrote every message: no join, no query per message."""
    messages = list(QuestionMessage.objects.filter(question=question).order_by("number"))
    people = {question.asker_id: question.asker, question.expert_id: question.expert}
    for message in messages:
        message.author = people[message.author_id]
        message.question = question
    return messages
