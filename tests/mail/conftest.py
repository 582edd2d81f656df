"""A real SMTP server for the e-mail tests (aiosmtpd, on a free local port), and helpers to run
the background worker's queue in the test's own process.

Mocked here: nothing of ours. The SMTP server stands for the outside world, and can be told to
refuse (4xx) or to hang, as real ones do.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from core.worker import tasks_run
from tests.conftest import free_port
from tests.resources.conftest import curator, make_resource, make_thread  # noqa: F401


@dataclass
class Inbox:
    """What the SMTP server received, parsed; ``refuse`` next messages with a 451, or ``hang``
    (say nothing for that many seconds)."""

    envelopes: list = field(default_factory=list)
    refuse: int = 0
    hang: float = 0.0  # seconds to say nothing before answering

    async def handle_DATA(self, server, session, envelope):
        if self.hang:
            await asyncio.sleep(self.hang)  # longer than the client waits
            return "451 4.3.0 Too late"
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
        ]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFY_DELAY_SECONDS = 0
    settings.DEFAULT_FROM_EMAIL = "community@hub.example.org"
    settings.SITE_URL = "https://hub.example.org"
    yield inbox
    controller.stop()


@pytest.fixture
def work(django_capture_on_commit_callbacks):
    """``work(fn, *args)`` runs ``fn`` as a request would (its on-commit enqueues happen), then
    runs the worker's queue until it is empty; returns fn's result."""

    def run(fn=None, *args, **kwargs):
        result = None
        if fn is not None:
            with django_capture_on_commit_callbacks(execute=True):
                result = fn(*args, **kwargs)
        for _round in range(20):
            with django_capture_on_commit_callbacks(execute=True):
                if not tasks_run():
                    break
        return result

    return run


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
