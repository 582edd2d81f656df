"""Private questions ("Ask this expert"): asking, answering, reading.

A question is a conversation of two people, the asker and the expert, that nobody else sees
(forums/rules.py). Each function checks permission through core.permissions and runs in one
transaction; adding a message locks the question's row, so numbers never collide and the
summary on the row stays right. The other person hears of each new message in their inbox
(the bell rings after commit) and, through the mail app's listener, by e-mail.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import Notification, User
from accounts.services import notification_create, notifications_read_about
from core import markup, permissions
from core.models import Community
from core.permissions import Action, Refusal
from forums.models import Question, QuestionMessage
from forums.services.text import body_clean, title_clean

THROTTLE_WINDOW = timedelta(hours=1)
SUMMARY_FIELDS = (
    "last_number",
    "last_activity",
    "last_author_id",
    "asker_read_number",
    "expert_read_number",
)


def _subject_clean(subject: str) -> str:
    """A thread title's rules, said of the subject (ValidationError on ``subject``)."""
    try:
        return title_clean(subject)
    except ValidationError as exc:
        raise ValidationError({"subject": exc.error_dict["title"]}) from None


def _throttle(asker: User) -> None:
    """Refuse a new question beyond QUESTIONS_PER_HOUR in the last hour (code ``throttled``).
    Precondition: the asker's row is locked, so two requests at once count each other."""
    limit = settings.QUESTIONS_PER_HOUR
    since = timezone.now() - THROTTLE_WINDOW
    if Question.objects.filter(asker=asker, created__gte=since).count() >= limit:
        raise Refusal(
            ngettext(
                "You have asked %(count)d question in the last hour, the most we allow. "
                "Please send this one a little later; your text is kept.",
                "You have asked %(count)d questions in the last hour, the most we allow. "
                "Please send this one a little later; your text is kept.",
                limit,
            )
            % {"count": limit},
            "throttled",
        )


def _throttle_replies(author: User) -> None:
    """Refuse a reply beyond QUESTION_REPLIES_PER_HOUR written by ``author`` in the last hour,
    across all their conversations (code ``throttled``): one person cannot bury another's inbox.
    Two replies sent at the same moment to two conversations may both pass; the limit is for
    floods, not for exact counting."""
    limit = settings.QUESTION_REPLIES_PER_HOUR
    since = timezone.now() - THROTTLE_WINDOW
    written = QuestionMessage.objects.filter(author=author, number__gt=1, created__gte=since)
    if written.count() >= limit:
        raise Refusal(
            ngettext(
                "You have sent %(count)d reply in private conversations in the last hour, the "
                "most we allow. Please send this one a little later; your text is kept.",
                "You have sent %(count)d replies in private conversations in the last hour, the "
                "most we allow. Please send this one a little later; your text is kept.",
                limit,
            )
            % {"count": limit},
            "throttled",
        )


def _message_add(*, question: Question, author: User, body: str) -> QuestionMessage:
    """Append a message and move the row's summary and the author's read marker.
    Precondition: ``question`` is locked and permission is checked; ``body`` is clean."""
    number = question.last_number + 1
    message = QuestionMessage.objects.create(
        question=question, number=number, author=author, body=body, html=markup.render(body)
    )
    question.last_number = number
    question.last_activity = message.created
    question.last_author = author
    fields = ["last_number", "last_activity", "last_author"]
    if author.pk == question.asker_id:
        question.asker_read_number = number
        fields.append("asker_read_number")
    else:
        question.expert_read_number = number
        fields.append("expert_read_number")
    question.save(update_fields=fields)
    return message


def _notify(*, question: Question, message: QuestionMessage, what: str) -> None:
    """Tell the other person, in their inbox (and so by e-mail, as they chose)."""
    notification_create(
        recipients=[question.other_side(message.author)],
        kind=Notification.Kind.QUESTION,
        actor=message.author,
        url=message.get_absolute_url(),
        title=question.subject,
        excerpt=markup.excerpt(message.html),
        data={"question": question.pk, "number": message.number, "what": what},
    )


@transaction.atomic
def question_ask(
    *,
    asker: User,
    expert: User,
    subject: str,
    body: str,
    language: str,
    community: Community | None = None,
) -> Question:
    """Open a private question from ``asker`` to ``expert``; the expert is notified. Returns
    the question.

    Raises Refusal (``self``, ``unavailable``, ``not_expert``, ``closed``: see forums/rules.py;
    ``throttled``: more than QUESTIONS_PER_HOUR new questions in an hour) or ValidationError
    (``subject``, ``body``)."""
    # Lock the asker's row: the throttle counts what committed before, one request at a time.
    User.objects.select_for_update().filter(pk=asker.pk).first()
    permissions.check(asker, Action.QUESTION_ASK, None, obj=expert)
    subject = _subject_clean(subject)
    body = body_clean(body)
    _throttle(asker)
    question = Question.objects.create(
        asker=asker,
        expert=expert,
        community=community,
        subject=subject,
        language=language,
        last_activity=timezone.now(),
    )
    message = _message_add(question=question, author=asker, body=body)
    _notify(question=question, message=message, what="asked")
    return question


@transaction.atomic
def question_reply(*, question: Question, author: User, body: str) -> QuestionMessage:
    """Add ``author``'s answer (or follow-up) to ``question``; the other person is notified.
    Returns the message.

    Raises Refusal (``not_participant``; ``gone``: the other person's account is no longer in
    use; ``throttled``: more than QUESTION_REPLIES_PER_HOUR replies in an hour) or
    ValidationError (``body``)."""
    locked = (
        Question.objects.select_for_update().select_related("asker", "expert").get(pk=question.pk)
    )
    permissions.check(author, Action.QUESTION_REPLY, None, obj=locked)
    body = body_clean(body)
    _throttle_replies(author)
    message = _message_add(question=locked, author=author, body=body)
    _notify(question=locked, message=message, what="replied")
    # The caller's copy reads as the row now does.
    for field in SUMMARY_FIELDS:
        setattr(question, field, getattr(locked, field))
    return message


def question_mark_read(*, question: Question, user: User) -> bool:
    """``user`` has seen every message of ``question`` (one of its two people): their read
    marker moves forward (never back) and their inbox entries about it are read. Returns
    whether anything was unread. Call after checking that ``user`` may read it."""
    if question.read_number_of(user) >= question.last_number:
        return False
    field = "asker_read_number" if user.pk == question.asker_id else "expert_read_number"
    Question.objects.filter(pk=question.pk).update(
        **{field: Greatest(F(field), question.last_number)}
    )
    setattr(question, field, question.last_number)
    notifications_read_about(user=user, kinds=[Notification.Kind.QUESTION], question=question.pk)
    return True
