"""Fixtures of the thread tests: a community with people in every role, threads made through the
services (the same path a form takes)."""

from __future__ import annotations

import pytest

from forums import services
from tests.forums.question_texts import QUESTION_BODY, QUESTION_SUBJECT

# --- Data -----------------------------------------------------------------------------------------


@pytest.fixture
def community(communities):
    return communities["one-stop-shop"]


@pytest.fixture
def elsewhere(communities):
    return communities["e-government"]


@pytest.fixture
def start_thread():
    """Start a thread through the service, as the form would."""

    def make(community, author, *, title="How do you run a one-stop shop?", body="Opening post.",
             tags=(), language="en"):  # fmt: skip
        return services.thread_create(
            community=community,
            author=author,
            title=title,
            body=body,
            language=language,
            tags=tags,
        )

    return make


# --- Translations ---------------------------------------------------------------------------------


@pytest.fixture
def russian(translations):
    """Give a few messages a Russian translation for the duration of a test (independent of
    the translator's wording: proves the messages go through gettext)."""
    return lambda messages: translations("ru", messages)


# --- Private questions ("Ask this expert") ------------------------------------------------------


@pytest.fixture
def askers(communities, make_member, make_user):
    """An asker, an expert, a third member, a moderator and staff, all in e-government."""
    egov = communities["e-government"]
    return {
        "asker": make_member(egov, "aigerim", display_name="Айгерім Асқарова"),
        "expert": make_member(
            egov,
            "erlan",
            display_name="Ерлан Сарапшы",
            is_expert=True,
            languages=["kk", "ru"],
        ),
        "third": make_member(egov, "third", display_name="Үшінші Қатысушы"),
        "moderator": make_member(egov, "moder", role="moderator", display_name="Мира Модератор"),
        "staff": make_user("staffer", staff=True, display_name="Staff Person"),
    }


@pytest.fixture
def question(askers, communities):
    """The asker's question to the expert, in Kazakh, through the service."""
    return services.question_ask(
        asker=askers["asker"],
        expert=askers["expert"],
        subject=QUESTION_SUBJECT,
        body=QUESTION_BODY,
        language="kk",
        community=communities["e-government"],
    )
