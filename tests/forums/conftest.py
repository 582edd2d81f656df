"""Fixtures of the thread tests: a community with people in every role, threads made through the
services (the same path a form takes)."""

from __future__ import annotations

import pytest

from forums import services

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
