"""E-mail end to end: follow a thread in the browser, someone replies, the worker sends the
e-mail to a real SMTP server, its link opens the reply; the one-click unsubscribe of that
e-mail stops the next one."""

from __future__ import annotations

import re
import urllib.request

import pytest

from core.worker import tasks_run
from forums.services.posts import post_reply
from forums.services.threads import thread_create
from tests.mail.conftest import smtp, text_of  # noqa: F401 - the SMTP server fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_get_the_reply_by_email_open_it_then_unsubscribe_in_one_click(
    communities,
    make_member,
    new_context,
    live_daphne,
    smtp,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.SITE_URL = live_daphne.url  # the links in e-mails lead to the server under test
    egov = communities["e-government"]
    author = make_member(egov, "author")
    reader = make_member(egov, "reader")
    thread = thread_create(
        community=egov, author=author, title="Interoperability roadmap", body="Where to start?",
        language="en",
    )  # fmt: skip
    page = new_context(reader).new_page()
    page.goto(thread.get_absolute_url())
    page.get_by_role("button", name="Follow").click()
    page.get_by_role("button", name="Unfollow").wait_for()

    reply = post_reply(thread=thread, author=author, body="Start with the **data registry**.")
    tasks_run()
    (message,) = smtp.to("reader@")
    assert "Interoperability roadmap" in message["Subject"]
    link = re.search(r"(http://127\.0\.0\.1:\d+/posts/\d+/)", text_of(message)).group(1)
    assert link.endswith(f"/posts/{reply.pk}/")
    page.goto(link)
    target = page.locator(f"#post-{reply.number}, [id='p{reply.number}'], .post").filter(
        has_text="data registry"
    )
    assert target.first.is_visible()

    # The mail client's one-click unsubscribe (RFC 8058): a POST, no session.
    unsubscribe = re.search(
        r"<(http://[^>]+/email/unsubscribe/[^>]+)>", message["List-Unsubscribe"]
    )
    request = urllib.request.Request(
        unsubscribe.group(1),
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    smtp.envelopes.clear()
    post_reply(thread=thread, author=author, body="And then the exchange bus.")
    tasks_run()
    assert smtp.to("reader@") == []
