"""Private questions by e-mail, through a real SMTP server: the expert is told of the question
and each side of each answer, with the message quoted and a link to it; nobody else is; the
person's own "private questions" choice and its one-click unsubscribe hold; nothing is sent
that was read on the site first or that the recipient may no longer read."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts import deletion
from forums.services.questions import question_ask, question_reply
from mail import digests, registry
from mail.models import Delivery, MailSettings, When
from tests.mail.conftest import html_of, text_of

pytestmark = pytest.mark.django_db

SUBJECT = "Цифрлық мүмкіндіктерді енгізу"


@pytest.fixture
def people(communities, make_member, make_user):
    egov = communities["e-government"]
    return {
        "asker": make_member(egov, "asker", display_name="Айгерім Асқарова"),
        "expert": make_member(egov, "expert", display_name="Ерлан Сарапшы", is_expert=True),
        "third": make_member(egov, "third"),
        "moderator": make_member(egov, "moderator", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }


def _ask(people):
    return question_ask(
        asker=people["asker"],
        expert=people["expert"],
        subject=SUBJECT,
        body="Қалай **бастадыңыздар**? <script>alert(1)</script>",
        language="kk",
    )


def recipients(smtp) -> set[str]:
    return {m["To"].split("@")[0] for m in smtp.messages}


def test_the_expert_is_emailed_the_question_and_only_the_expert(smtp, work, people):
    question = work(_ask, people)
    (message,) = smtp.messages
    assert message["To"] == "expert@example.org"
    assert message["Subject"].endswith(f"Айгерім Асқарова asked you a question: “{SUBJECT}”")
    link = f"https://hub.example.org/questions/{question.pk}/#m1"
    assert link in text_of(message)
    html = html_of(message)
    assert f'href="{link}"' in html
    assert "<strong>бастадыңыздар</strong>" in html  # the message, rendered
    assert "<script>" not in html  # and sanitised
    assert 'lang="kk"' in html
    assert "It is a private conversation you take part in." in text_of(message)


def test_each_answer_is_emailed_to_the_other_side(smtp, work, people):
    question = work(_ask, people)
    smtp.envelopes.clear()
    work(question_reply, question=question, author=people["expert"], body="Біз *хабтан* бастадық.")
    (answer,) = smtp.messages
    assert answer["To"] == "asker@example.org"
    assert answer["Subject"].endswith(
        f"Ерлан Сарапшы replied in your private conversation “{SUBJECT}”"
    )
    assert "<em>хабтан</em>" in html_of(answer)
    assert f"/questions/{question.pk}/#m2" in text_of(answer)

    smtp.envelopes.clear()
    work(question_reply, question=question, author=people["asker"], body="Рақмет!")
    assert recipients(smtp) == {"expert"}


def test_the_private_questions_choice_and_its_one_click_unsubscribe(smtp, work, people):
    question = work(_ask, people)
    (message,) = smtp.messages
    link = re.search(
        r"<https://hub\.example\.org(/email/unsubscribe/[^>]+)>", message["List-Unsubscribe"]
    ).group(1)
    page = Client().get(link)
    assert "e-mails about private questions and their replies" in page.content.decode()
    Client().post(link)
    settings = MailSettings.objects.get(user=people["expert"])
    assert settings.questions == When.OFF
    assert settings.replies == settings.mentions == When.NOW  # exactly that kind

    smtp.envelopes.clear()
    work(question_reply, question=question, author=people["asker"], body="Тағы бір сұрақ.")
    assert smtp.messages == []
    # The inbox still has it: only the e-mail was turned off.
    assert people["expert"].notifications.count() == 2


def test_the_preferences_page_offers_the_choice(login, people):
    page = login(people["expert"]).get("/profile/email/").content.decode()
    assert "Private questions to you, and replies in your private conversations" in page
    assert 'name="questions"' in page


def test_a_question_read_on_the_site_first_is_not_emailed(
    smtp, work, login, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(people)
    login(people["expert"]).get(question.get_absolute_url())
    work()
    assert smtp.messages == []
    assert list(Delivery.objects.values_list("reason", flat=True)) == ["read"]


def test_a_removed_message_is_not_emailed(smtp, work, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(people)
    deletion.deletion_request(user=people["asker"], remove_content=True)
    deletion.account_erase(user=people["asker"])
    work()
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("who", "quoted"),
    [("expert", True), ("asker", True), ("third", False), ("moderator", False), ("staff", False)],
)
def test_what_an_email_may_quote_is_decided_per_recipient(people, who, quoted):
    question = _ask(people)
    content = registry.content_for(people[who], {"question": question.pk, "number": 1})
    if quoted:
        assert isinstance(content, registry.Content)
        assert content.title == SUBJECT
        assert content.url == f"/questions/{question.pk}/#m1"
        assert content.author == "Айгерім Асқарова"
    else:
        assert content is None


def test_questions_chosen_for_the_digest_wait_for_it(smtp, work, make_user):
    # Someone outside every community: their digest is only what they chose for it.
    asker = make_user("outsider_asker", display_name="Сырттан сұраушы")
    expert = make_user("outsider_expert", is_expert=True)
    MailSettings.objects.update_or_create(user=expert, defaults={"questions": When.DIGEST})
    work(question_ask, asker=asker, expert=expert, subject=SUBJECT, body="Сұрақ.", language="kk")
    assert smtp.messages == []  # not at once
    work(digests.plan, timezone.now())
    (message,) = smtp.to("outsider_expert@")
    assert "Your weekly digest" in message["Subject"]
    assert f"Сырттан сұраушы asked you a question: “{SUBJECT}”" in text_of(message)
    assert smtp.to("outsider_asker@") == []
