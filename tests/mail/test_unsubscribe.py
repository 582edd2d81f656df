"""One-click unsubscribe (RFC 8058): the link in an e-mail turns off exactly that kind, without
signing in, and nobody can make one for someone else; a tampered or orphaned link gets a plain
page. And the preferences page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from core.models import Membership
from forums.services.posts import post_reply
from forums.services.threads import thread_follow
from mail.models import CommunityMail, Frequency, MailSettings, SavedSearch, When
from mail.preferences import unsubscribe_read, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(communities, make_member, make_thread, work):
    egov = communities["e-government"]
    author = make_member(egov, "author")
    follower = make_member(egov, "follower")
    thread = work(make_thread, title="Roadmap", body="Start here.", author=author)
    work(thread_follow, thread=thread, user=follower, follow=True)
    return thread, author, follower


def _link(message) -> str:
    header = message["List-Unsubscribe"]
    return re.search(r"<https://hub\.example\.org(/email/unsubscribe/[^>]+)>", header).group(1)


def test_one_click_post_from_the_mail_client_stops_the_next_email(smtp, work, followed):
    thread, author, follower = followed
    work(post_reply, thread=thread, author=author, body="First.")
    (message,) = smtp.to("follower@")
    # A mail client's one-click request: a POST with that body, no session, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _link(message),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "you will no longer receive" in response.content.decode()
    assert MailSettings.objects.get(user=follower).replies == When.OFF
    # Exactly that kind: mentions still come.
    assert MailSettings.objects.get(user=follower).mentions == When.NOW
    smtp.envelopes.clear()
    work(post_reply, thread=thread, author=author, body="Second, and @follower mentioned.")
    (mention,) = smtp.to("follower@")
    assert "mentioned you" in mention["Subject"]


def test_opening_the_link_asks_before_changing_anything(client, followed):
    _thread, _author, follower = followed
    response = client.get(f"/email/unsubscribe/{unsubscribe_token(follower, 'replies')}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop receiving e-mails about replies" in page
    assert "<form" in page
    assert not MailSettings.objects.filter(user=follower, replies=When.OFF).exists()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # Signed for someone else's id with a made-up signature.
        "eyJ1IjoxLCJzIjoicmVwbGllcyJ9:1xYShX:forgedforgedforgedforgedforgedforgedforged",
    ],
)
def test_a_tampered_link_gets_a_plain_page_and_changes_nothing(client, followed, token):
    response = client.post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert "does not work any more" in response.content.decode()
    assert not MailSettings.objects.filter(replies=When.OFF).exists()


def test_a_changed_scope_breaks_the_signature(client, followed):
    _thread, _author, follower = followed
    token = unsubscribe_token(follower, "replies")
    _payload, _sep, signature = token.partition(":")
    forged = unsubscribe_token(follower, "mentions").partition(":")[0] + ":" + signature
    response = client.post(f"/email/unsubscribe/{forged}/")
    assert "does not work any more" in response.content.decode()


def test_a_link_of_a_deleted_account_gets_a_plain_page(client, followed):
    _thread, _author, follower = followed
    token = unsubscribe_token(follower, "replies")
    follower.delete()
    response = client.post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert "does not work any more" in response.content.decode()


def test_each_scope_turns_off_its_own_kind(client, followed, communities):
    _thread, _author, follower = followed
    saved = SavedSearch.objects.create(user=follower, name="AI", params={"q": "ai"}, alert="now")
    egov = communities["e-government"]
    for scope in ("digest", f"threads:{egov.pk}", f"alert:{saved.pk}", "moderation"):
        client.post(f"/email/unsubscribe/{unsubscribe_token(follower, scope)}/")
    mail_settings = MailSettings.objects.get(user=follower)
    assert not mail_settings.digests
    assert mail_settings.moderation == When.OFF
    assert mail_settings.replies == When.NOW
    assert CommunityMail.objects.get(user=follower, community=egov).threads == Frequency.OFF
    saved.refresh_from_db()
    assert saved.alert == When.OFF


def test_the_preferences_page_saves_every_choice(client, communities, make_member):
    member = make_member(communities["ai"], "reader")
    Membership.objects.create(user=member, community=communities["innovation"])
    client.force_login(member)
    page = client.get("/profile/email/").content.decode()
    assert "AI and new technologies" in page
    response = client.post(
        "/profile/email/",
        {
            "replies": "digest",
            "mentions": "now",
            "moderation": "off",
            "events": "digest",
            "questions": "off",
            "digests": "on",
            f"community_{communities['ai'].pk}": "every",
            f"community_{communities['innovation'].pk}": "daily",
        },
    )
    assert response.status_code == 302
    mail_settings = MailSettings.objects.get(user=member)
    assert (
        mail_settings.replies,
        mail_settings.mentions,
        mail_settings.moderation,
        mail_settings.events,
        mail_settings.questions,
    ) == ("digest", "now", "off", "digest", "off")
    chosen = dict(
        CommunityMail.objects.filter(user=member).values_list("community__slug", "threads")
    )
    assert chosen == {"ai": "every", "innovation": "daily"}


def test_a_bad_choice_keeps_what_was_typed(client, communities, make_member):
    member = make_member(communities["ai"], "reader")
    client.force_login(member)
    response = client.post(
        "/profile/email/",
        {"replies": "sometimes", "mentions": "off", f"community_{communities['ai'].pk}": "daily"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert re.search(r'name="mentions" value="off"[^>]*checked', page)
    assert not MailSettings.objects.filter(user=member, mentions="off").exists()


def test_every_new_thread_reaches_those_who_chose_it(
    smtp, work, communities, make_member, make_thread
):
    egov = communities["e-government"]
    keen = make_member(egov, "keen")
    make_member(egov, "calm")
    author = make_member(egov, "writer")
    CommunityMail.objects.create(user=keen, community=egov, threads=Frequency.EVERY)
    work(make_thread, title="Data exchange law", body="Draft **law** attached.", author=author)
    (message,) = smtp.messages
    assert message["To"] == "keen@example.org"
    assert "Data exchange law" in message["Subject"]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>law</strong>" in html
    # Its one-click link turns off exactly this community's new-thread e-mails.
    token = re.search(r"/email/unsubscribe/([^/>]+)/", message["List-Unsubscribe"]).group(1)
    assert unsubscribe_read(token) == (keen.pk, f"threads:{egov.pk}")
