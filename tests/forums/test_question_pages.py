"""Private questions through the pages: who sees and answers what (a table of people ×
actions, asserting content and state), the roster's and member page's "Ask" buttons, bad
input that keeps what was typed, unread state, the query budget of the list, and that a
conversation shows up nowhere else (thread lists, search, the community page)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import deletion
from accounts.models import Audience, Notification, notification_message
from accounts.selectors import notification_unread_count
from forums import services
from forums.models import Question, QuestionMessage
from tests.forums.question_texts import QUESTION_ANSWER, QUESTION_SUBJECT
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "asker", "expert", "third", "moderator", "staff")
PARTICIPANTS = {"asker", "expert"}
SIGNED_IN = set(ROLES) - {"visitor"}
LOGIN = "/accounts/login/"


def _browser(client, login, askers, role):
    return client if role == "visitor" else login(askers[role])


def _text(response) -> str:
    return parse(response).one("main").text


# Each action: (method, url, data, what must be true when it was allowed, and when it was not).
def _view(question):
    return ("get", question.get_absolute_url(), None)


def _reply(question):
    return ("post", reverse("question_reply", args=[question.pk]), {"body": "Менің жауабым."})


def _list(question):
    return ("get", reverse("question_list"), None)


def _ask(question):
    return ("get", reverse("question_ask", args=["erlan"]), None)


ACTIONS = {"view": _view, "reply": _reply, "list": _list, "ask": _ask}
ALLOWED = {
    "view": PARTICIPANTS,
    "reply": PARTICIPANTS,
    "list": PARTICIPANTS,  # the conversation is in their list; others' lists do not have it
    "ask": SIGNED_IN - {"expert"},  # anyone signed in asks the expert, but not the expert
}
CASES = [(action, role, role in ALLOWED[action]) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_who_sees_and_answers_a_private_question(
    client, login, askers, question, action, role, allowed
):
    method, url, data = ACTIONS[action](question)
    browser = _browser(client, login, askers, role)
    response = getattr(browser, method)(url, data) if data else getattr(browser, method)(url)
    replied = QuestionMessage.objects.filter(body="Менің жауабым.").exists()

    if role == "visitor":  # asked to sign in first, shown nothing
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(LOGIN)
        assert not replied
        return
    if action == "view":
        if allowed:
            assert response.status_code == HTTPStatus.OK
            text = _text(response)
            assert QUESTION_SUBJECT in text
            assert "цифрлық мүмкіндіктерді" in text
            assert "Only the two of you see this conversation." in text
        else:  # not told apart from a conversation that does not exist
            assert response.status_code == HTTPStatus.NOT_FOUND
            assert QUESTION_SUBJECT not in response.content.decode()
    elif action == "reply":
        assert replied is allowed
        if allowed:
            assert response.status_code == HTTPStatus.FOUND
            assert response["Location"] == f"{question.get_absolute_url()}#m2"
        else:
            assert response.status_code == HTTPStatus.NOT_FOUND
    elif action == "list":
        assert response.status_code == HTTPStatus.OK
        links = [a.attrs.get("href") for a in parse(response).one("main").find_all("a")]
        assert (question.get_absolute_url() in links) is allowed
        assert (QUESTION_SUBJECT in _text(response)) is allowed
    elif action == "ask":
        tree = parse(response)
        if allowed:
            assert response.status_code == HTTPStatus.OK
            assert tree.one("h1").text == "Ask Ерлан Сарапшы a question"
            assert tree.find("textarea", name="body") is not None
        else:
            assert response.status_code == HTTPStatus.FORBIDDEN
            assert "You cannot ask yourself a question." in _text(response)
            assert tree.find("textarea", name="body") is None


# --- Asking from the roster, a member page and the form ----------------------------------------


def _ask_links(response) -> list[str]:
    return [
        a.attrs["href"]
        for a in parse(response).one("main").find_all("a")
        if "/ask/" in a.attrs.get("href", "")
    ]


def test_the_roster_offers_to_ask_each_expert_who_takes_questions(
    client, login, askers, make_member, communities
):
    closed = make_member(communities["ai"], "closed", display_name="Closed Expert", is_expert=True)
    closed.accepts_questions = False
    closed.save()
    asker = login(askers["asker"])

    roster = asker.get("/experts/")
    assert _ask_links(roster) == ["/members/erlan/ask/"]
    card = next(
        li for li in parse(roster).find_all("li", class_="person-card") if "Ерлан" in li.text
    )
    assert "Ask a question: Ерлан Сарапшы" in card.text
    # Filtering the roster by a community carries it to the form.
    filtered = asker.get("/experts/?community=e-government")
    assert _ask_links(filtered) == ["/members/erlan/ask/?community=e-government"]
    form = asker.get("/members/erlan/ask/?community=e-government")
    select = parse(form).one("select", name="community")
    (chosen,) = [o for o in select.find_all("option") if "selected" in o.attrs]
    assert chosen.attrs["value"] == "e-government"

    # The expert's own card has no button; a visitor is offered to sign in.
    assert _ask_links(login(askers["expert"]).get("/experts/")) == []
    visitor = client.get("/experts/")
    assert _ask_links(visitor) == ["/members/erlan/ask/"]
    assert "Sign in to ask a question" in _text(visitor)


def test_the_member_page_has_the_button_and_says_the_conversation_is_private(login, askers):
    page = login(askers["asker"]).get("/members/erlan/")
    section = parse(page).one("section", **{"aria-labelledby": "ask-heading"})
    assert "only the two of you will see it" in section.text
    assert section.one("a").attrs["href"] == "/members/erlan/ask/"
    assert section.one("a").text.strip() == "Ask a question"
    # Someone who offers no expertise has no such section; one's own page links to the list.
    assert (
        parse(login(askers["asker"]).get("/members/third/")).find(
            "section", **{"aria-labelledby": "ask-heading"}
        )
        is None
    )
    own = login(askers["asker"]).get("/members/aigerim/")
    assert "/questions/" in [a.attrs.get("href") for a in parse(own).find_all("a")]


def test_sending_the_form_opens_the_conversation(login, askers, communities):
    browser = login(askers["asker"])
    response = browser.post(
        "/members/erlan/ask/",
        {
            "subject": "Бір терезе орталығы",
            "body": "Кезекті қалай **қысқарттыңыздар**?",
            "community": "one-stop-shop",
            "language": "kk",
        },
    )
    question = Question.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == question.get_absolute_url()
    assert (question.expert, question.community.slug) == (askers["expert"], "one-stop-shop")
    page = browser.get(response["Location"])
    assert "Your question was sent. Ерлан Сарапшы has been notified." in page.content.decode()
    article = parse(page).one("article", id="m1")
    assert article.one("strong").text == "қысқарттыңыздар"
    assert article.one("div", class_="user-content").attrs["lang"] == "kk"
    assert Notification.objects.filter(
        recipient=askers["expert"], kind=Notification.Kind.QUESTION
    ).exists()


def test_preview_shows_the_markdown_and_sends_nothing(login, askers):
    response = login(askers["asker"]).post(
        "/members/erlan/ask/",
        {"subject": "Алдын ала қарау", "body": "**Қалың** мәтін", "language": "kk", "preview": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert parse(response).one("div", id="preview").one("strong").text == "Қалың"
    assert parse(response).one("textarea", name="body").text == "**Қалың** мәтін"
    assert not Question.objects.exists()


def _kept(response, subject: str, body: str) -> None:
    tree = parse(response)
    subject_input = tree.find("input", name="subject") or tree.one("input", id="kept-subject")
    body_area = tree.find("textarea", name="body") or tree.one("textarea", id="kept-body")
    assert subject_input.attrs["value"] == subject
    assert body_area.text == body


def test_an_empty_question_is_refused_with_the_subject_kept(login, askers):
    response = login(askers["asker"]).post(
        "/members/erlan/ask/", {"subject": "Мәтінсіз сұрақ", "body": "  ", "language": "kk"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Please write something first." in _text(response)
    _kept(response, "Мәтінсіз сұрақ", "")
    assert not Question.objects.exists()


def test_asking_oneself_is_refused_with_the_text_kept(login, askers):
    response = login(askers["expert"]).post(
        "/members/erlan/ask/",
        {"subject": "Өзіме сұрақ", "body": "Өзіме жазып жатырмын.", "language": "kk"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "You cannot ask yourself a question." in parse(response).one(role="alert").text
    _kept(response, "Өзіме сұрақ", "Өзіме жазып жатырмын.")
    assert not Question.objects.exists()


def test_a_hidden_profile_cannot_be_asked_and_the_text_is_kept(login, askers, make_user):
    askers["expert"].profile_audience = Audience.COMMUNITIES
    askers["expert"].save()
    outsider = login(make_user("outsider"))
    assert outsider.get("/members/erlan/ask/").status_code == HTTPStatus.NOT_FOUND

    response = outsider.post(
        "/members/erlan/ask/",
        {"subject": "Жасырын адамға", "body": "Сізге жаза аламын ба?", "language": "kk"},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This person cannot be asked a question." in _text(response)
    assert "Ерлан" not in response.content.decode()  # a hidden profile is not named
    _kept(response, "Жасырын адамға", "Сізге жаза аламын ба?")
    assert not Question.objects.exists()
    # Someone missing altogether reads the same.
    missing = outsider.post(
        "/members/nobody-here/ask/",
        {"subject": "Жасырын адамға", "body": "Сізге жаза аламын ба?", "language": "kk"},
    )
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert _text(missing) == _text(response)


def test_too_many_questions_in_an_hour_are_refused_with_the_text_kept(
    login, askers, question, settings
):
    settings.QUESTIONS_PER_HOUR = 1
    response = login(askers["asker"]).post(
        "/members/erlan/ask/",
        {"subject": "Тағы бір сұрақ", "body": "Бұл да маңызды.", "language": "kk"},
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "You have asked 1 question in the last hour" in parse(response).one(role="alert").text
    _kept(response, "Тағы бір сұрақ", "Бұл да маңызды.")
    assert Question.objects.count() == 1


def test_an_expert_who_closed_meanwhile_is_refused_with_the_text_kept(login, askers):
    browser = login(askers["asker"])
    assert browser.get("/members/erlan/ask/").status_code == HTTPStatus.OK
    askers["expert"].accepts_questions = False
    askers["expert"].save()
    response = browser.post(
        "/members/erlan/ask/",
        {"subject": "Кешігіп жазылған", "body": "Уақыт өтіп кетті ме?", "language": "kk"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "is not taking private questions at the moment" in _text(response)
    _kept(response, "Кешігіп жазылған", "Уақыт өтіп кетті ме?")


def test_a_refused_reply_keeps_its_text(login, askers, question):
    deletion.deletion_request(user=askers["asker"], remove_content=False)
    expert = login(askers["expert"])
    page = expert.get(question.get_absolute_url())
    reply = parse(page).one("section", id="reply")
    assert "can no longer receive messages" in reply.text
    assert reply.find("textarea") is None
    # Their name no longer links to a profile that is gone from view.
    name = parse(page).one("article", id="m1").one(class_="name")
    assert (name.tag, name.text) == ("span", "Айгерім Асқарова")

    response = expert.post(
        reverse("question_reply", args=[question.pk]), {"body": "Кеш жазылған жауап."}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "can no longer receive messages" in parse(response).one(role="alert").text
    assert parse(response).one("textarea", name="body").text == "Кеш жазылған жауап."
    assert QuestionMessage.objects.filter(question=question).count() == 1


def test_too_many_replies_in_an_hour_are_refused_with_the_text_kept(
    login, askers, question, settings
):
    settings.QUESTION_REPLIES_PER_HOUR = 1
    expert = login(askers["expert"])
    url = reverse("question_reply", args=[question.pk])
    assert expert.post(url, {"body": "Бірінші жауап."}).status_code == HTTPStatus.FOUND

    response = expert.post(url, {"body": "Екінші жауап."})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    alert = parse(response).one(role="alert").text
    assert "You have sent 1 reply in private conversations in the last hour" in alert
    assert parse(response).one("textarea", name="body").text == "Екінші жауап."
    assert QuestionMessage.objects.filter(question=question).count() == 2


def test_an_empty_reply_is_refused(login, askers, question):
    response = login(askers["expert"]).post(
        reverse("question_reply", args=[question.pk]), {"body": ""}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Please write something first." in parse(response).one("section", id="reply").text
    assert QuestionMessage.objects.filter(question=question).count() == 1


# --- Reading: unread state and the bell ---------------------------------------------------------


def test_opening_the_conversation_reads_it_and_empties_the_bell(login, askers, question):
    expert = login(askers["expert"])
    listing = parse(expert.get("/questions/")).one("li", class_="question-row")
    assert "unread" in listing.attrs["class"]
    assert "new" in listing.text
    assert "Айгерім Асқарова asked you" in listing.text
    assert "awaiting your answer" in listing.text
    assert notification_unread_count(user=askers["expert"]) == 1

    page = parse(expert.get(question.get_absolute_url()))
    assert "is-new" in page.one("article", id="m1").attrs["class"]  # new on this visit
    assert notification_unread_count(user=askers["expert"]) == 0
    again = parse(expert.get(question.get_absolute_url()))
    assert "is-new" not in again.one("article", id="m1").attrs["class"]
    listing = parse(expert.get("/questions/")).one("li", class_="question-row")
    assert "unread" not in listing.attrs["class"]

    # The expert answers: now it is new to the asker, and says it was answered.
    services.question_reply(question=question, author=askers["expert"], body=QUESTION_ANSWER)
    asker_list = parse(login(askers["asker"]).get("/questions/")).one("li", class_="question-row")
    assert "unread" in asker_list.attrs["class"]
    assert "You asked Ерлан Сарапшы" in asker_list.text
    assert "answered" in asker_list.text


def test_the_boxes_split_what_one_asked_from_what_one_was_asked(
    login, askers, question, make_member, communities
):
    other = make_member(communities["ai"], "other_expert", display_name="Other", is_expert=True)
    services.question_ask(
        asker=askers["expert"],
        expert=other,
        subject="Сарапшының өз сұрағы",
        body="?",
        language="kk",
    )
    browser = login(askers["expert"])

    def subjects(box: str) -> list[str]:
        response = browser.get("/questions/", {"box": box} if box else None)
        return [h.one("a").text.strip() for h in parse(response).find_all("h2") if h.find("a")]

    assert subjects("") == ["Сарапшының өз сұрағы", QUESTION_SUBJECT]
    assert subjects("asked") == ["Сарапшының өз сұрағы"]
    assert subjects("received") == [QUESTION_SUBJECT]
    assert subjects("nonsense") == subjects("")


def test_an_empty_list_points_to_the_roster(login, askers):
    response = login(askers["third"]).get("/questions/")
    assert "No private questions yet" in _text(response)
    assert "/experts/" in [a.attrs.get("href") for a in parse(response).find_all("a")]


def test_the_account_menu_leads_to_the_list(login, askers):
    menu = parse(login(askers["third"]).get("/")).one("div", class_="menu-list")
    assert "/questions/" in [a.attrs.get("href") for a in menu.find_all("a")]


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_costs_the_same_for_2_or_30_conversations(
    login, askers, make_member, communities, django_assert_num_queries, count, settings
):
    settings.QUESTIONS_PER_HOUR = 100
    expert = askers["expert"]
    for n in range(count):
        asker = make_member(communities["ai"], f"asker{n}", display_name=f"Сұраушы {n}")
        services.question_ask(
            asker=asker, expert=expert, subject=f"Сұрақ нөмірі {n}", body="Мәтін.", language="kk"
        )
    browser = login(expert)
    browser.get("/questions/")  # the bell's count is cached from here on

    # session, user, the count of conversations, the page of them with both people and the
    # community.
    with django_assert_num_queries(4):
        response = browser.get("/questions/")

    assert len(parse(response).find_all("li", class_="question-row")) == count


def test_a_conversation_page_costs_the_same_however_long(
    login, askers, question, django_assert_num_queries
):
    for n in range(20):
        author = askers["expert"] if n % 2 == 0 else askers["asker"]
        services.question_reply(question=question, author=author, body=f"Хабар {n}")
    browser = login(askers["asker"])
    browser.get(question.get_absolute_url())

    # session, user, the question with both people and the community, its messages.
    with django_assert_num_queries(4):
        response = browser.get(question.get_absolute_url())

    assert len(parse(response).find_all("article")) == 21


# --- Nowhere else -------------------------------------------------------------------------------


def test_a_conversation_is_nowhere_else(client, login, askers, question, communities):
    secret = "цифрлық"
    for browser in (client, login(askers["third"]), login(askers["staff"]), login(askers["asker"])):
        for url in (
            "/search/?q=" + secret,
            "/api/v1/search?q=" + secret,
            "/c/e-government/",
            "/c/e-government/threads/",
            "/",
        ):
            response = browser.get(url)
            assert response.status_code == HTTPStatus.OK, url
            assert QUESTION_SUBJECT not in response.content.decode(), url
            assert question.get_absolute_url() not in response.content.decode(), url


# --- The privacy page's choice ------------------------------------------------------------------


def test_an_expert_can_stop_taking_questions_on_the_privacy_page(login, askers):
    expert = login(askers["expert"])
    page = parse(expert.get("/profile/privacy/"))
    box = page.one("input", name="accepts_questions")
    assert "checked" in box.attrs
    data = {
        "profile_audience": "everyone",
        "email_audience": "nobody",
        "country_audience": "everyone",
        "organisation_audience": "everyone",
    }
    assert expert.post("/profile/privacy/", data).status_code == HTTPStatus.FOUND
    askers["expert"].refresh_from_db()
    assert askers["expert"].accepts_questions is False
    assert _ask_links(login(askers["asker"]).get("/experts/")) == []


def test_the_pages_and_the_inbox_line_speak_the_readers_language(login, askers, question, settings):
    browser = login(askers["expert"])
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    assert parse(browser.get("/questions/")).one("h1").text == "Жеке сұрақтар"
    asker = login(askers["asker"])
    asker.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Задать вопрос" in _text(asker.get("/experts/"))
    entry = Notification.objects.get(recipient=askers["expert"])
    with translation.override("ru"):
        assert notification_message(entry) == (
            f"Айгерім Асқарова задал(а) вам вопрос: «{QUESTION_SUBJECT}»"
        )


def test_the_admin_shows_staff_no_inbox_entry_about_a_private_question(
    login, askers, question, make_user
):
    admin = login(make_user("superstaff", staff=True, is_superuser=True))
    entry = Notification.objects.get(recipient=askers["expert"])
    listing = admin.get("/admin/accounts/notification/")
    assert listing.status_code == HTTPStatus.OK
    assert QUESTION_SUBJECT not in listing.content.decode()
    # Django's answer for an object that does not exist: back to the admin's index.
    change = admin.get(f"/admin/accounts/notification/{entry.pk}/change/")
    assert change.status_code == HTTPStatus.FOUND
    assert change["Location"] == "/admin/"
