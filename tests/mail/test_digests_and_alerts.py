"""Digests (what happened since the last one, only what was not seen, nothing when nothing
did), saved searches with their alerts and private feeds, and the public Atom feeds."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from accounts.models import Notification
from forums.models import Thread, ThreadReadState
from forums.services.posts import post_accept, post_reply, post_set_hidden
from forums.services.threads import thread_delete
from mail import digests
from mail.deliveries import send
from mail.models import CommunityMail, Delivery, DigestRun, Frequency, MailSettings, SavedSearch
from tests.mail.conftest import html_of, text_of

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def plain(html: str) -> str:
    """A page's text, tags (such as the <mark> of highlighted words) removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def atom(content: bytes):
    return ElementTree.fromstring(content)  # noqa: S314 - our own feed, in a test


@pytest.fixture
def egov(communities):
    return communities["e-government"]


@pytest.fixture
def busy_week(egov, make_member, make_thread, make_resource, work):
    """A week in the e-government community: an active thread, one the reader read to the end,
    a new case, an accepted answer."""
    reader = make_member(egov, "reader")
    author = make_member(egov, "author")
    helper = make_member(egov, "helper")
    active = work(make_thread, title="Data exchange law", body="Draft.", author=author)
    for n in range(3):
        work(post_reply, thread=active, author=helper, body=f"Comment {n}.")
    seen = work(make_thread, title="Already read thread", body="Seen.", author=author)
    ThreadReadState.objects.create(user=reader, thread=seen, last_read_number=1)
    question = work(make_thread, title="Which standard for e-signatures?", body="?", author=author)
    answer = work(post_reply, thread=question, author=helper, body="PAdES.")
    work(post_accept, post=answer, actor=author)
    make_resource(
        title="One-stop shop standards", summary="A comparison.", community="e-government"
    )
    return reader


def _weekly(now=None):
    return digests.plan(now or timezone.now())


def test_the_weekly_digest_shows_what_is_new_and_unseen(smtp, work, busy_week):
    smtp.envelopes.clear()
    work(_weekly)
    (message,) = smtp.to("reader@")
    text = text_of(message)
    assert "Your weekly digest" in message["Subject"]
    assert "Data exchange law" in text
    assert "3 new posts" in text or "4 new posts" in text
    assert "Already read thread" not in text
    assert "One-stop shop standards" in text
    assert "Which standard for e-signatures?" in text
    assert "https://hub.example.org/" in html_of(message)
    assert message["Precedence"] == "bulk"
    assert (
        "digest" in message["List-Unsubscribe"]
        or "/email/unsubscribe/" in message["List-Unsubscribe"]
    )


def test_planning_twice_plans_once(smtp, work, busy_week):
    now = timezone.now()
    first = digests.plan(now)
    assert first > 0
    assert digests.plan(now) == 0
    assert digests.plan(now + timedelta(minutes=15)) == 0
    assert DigestRun.objects.filter(period="weekly").count() == 1


def test_nothing_happened_nothing_is_sent(smtp, work, egov, make_member):
    make_member(egov, "quiet")
    work(_weekly)
    assert smtp.messages == []
    assert set(Delivery.objects.values_list("reason", flat=True)) == {"empty"}


def test_the_next_digest_starts_where_the_last_ended(smtp, work, busy_week):
    work(_weekly)
    smtp.envelopes.clear()
    next_week = timezone.now() + timedelta(days=7)
    work(digests.plan, next_week)
    assert smtp.messages == []  # nothing new since


def test_daily_digest_for_daily_communities_with_the_notifications_chosen_for_it(
    smtp, work, egov, busy_week, make_member, make_thread
):
    reader = busy_week
    CommunityMail.objects.create(user=reader, community=egov, threads=Frequency.DAILY)
    MailSettings.objects.update_or_create(user=reader, defaults={"mentions": "digest"})
    author = make_member(egov, "mentioner")
    smtp.envelopes.clear()
    work(make_thread, title="Ask the reader", body="@reader what do you think?", author=author)
    assert smtp.to("reader@") == []  # mentions go in the digest, not at once
    work(_weekly)
    (message,) = smtp.to("reader@")  # the daily one (no weekly: no weekly community)
    assert "daily digest" in message["Subject"]
    assert "mentioned you" in text_of(message)


def test_a_person_who_turned_digests_off_gets_none(smtp, work, busy_week):
    MailSettings.objects.update_or_create(user=busy_week, defaults={"digests": False})
    smtp.envelopes.clear()
    work(_weekly)
    assert smtp.to("reader@") == []


def test_a_digest_takes_a_fixed_number_of_queries(
    smtp, work, busy_week, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        digests.plan(timezone.now())
    delivery = Delivery.objects.get(recipient=busy_week, kind="digest")
    with django_assert_max_num_queries(24):
        assert send(delivery.pk) == "sent"


# --- Saved searches -------------------------------------------------------------------------


@pytest.fixture
def searcher(egov, make_member, client):
    user = make_member(egov, "searcher")
    client.force_login(user)
    return user


def test_alert_me_saves_the_search_and_new_matches_are_emailed(
    smtp, work, client, searcher, make_resource
):
    make_resource(title="Old procurement case", summary="Procurement.")
    response = client.post(
        "/searches/save/",
        {"q": "procurement", "type": "resource", "name": "Procurement", "alert": "now"},
    )
    saved = SavedSearch.objects.get(user=searcher)
    assert response.headers["Location"] == f"/searches/{saved.pk}/"
    assert saved.params == {"q": "procurement", "type": "resource"}
    page = plain(client.get(f"/searches/{saved.pk}/").content.decode())
    assert "Old procurement case" in page
    # Something new that matches, and something that does not.
    make_resource(title="New procurement reform case", summary="Procurement reform.")
    make_resource(title="Budget case", summary="Budget.")
    from mail.alerts import run

    work(run)
    (message,) = smtp.to("searcher@")
    assert "Procurement" in message["Subject"]
    text = text_of(message)
    assert "New procurement reform case" in text
    assert "Old procurement case" not in text
    assert "Budget case" not in text
    smtp.envelopes.clear()
    work(run)
    assert smtp.messages == []  # told once


def test_saved_search_results_in_the_digest(smtp, work, searcher, make_resource):
    SavedSearch.objects.create(
        user=searcher, name="Open data", params={"q": "open data"}, alert="digest"
    )
    make_resource(title="Open data portal case", summary="Open data.", community="ai")
    work(_weekly)
    (message,) = smtp.to("searcher@")
    assert "Open data portal case" in text_of(message)
    assert "New results for your saved searches" in text_of(message)


def test_a_removed_filter_is_ignored_and_the_page_says_so(client, searcher, make_resource):
    make_resource(title="Interoperability case", summary="Interoperability.")
    saved = SavedSearch.objects.create(
        user=searcher,
        name="Gone",
        params={"q": "interoperability", "community": "abolished-community", "tag": "no-such"},
    )
    page = plain(client.get(f"/searches/{saved.pk}/").content.decode())
    assert "no longer exist and are ignored: community, tag" in page
    assert "Interoperability case" in page


def test_the_private_feed_and_its_reset(client, searcher, make_resource):
    make_resource(title="Feed case", summary="Procurement.")
    saved = SavedSearch.objects.create(user=searcher, name="P", params={"q": "procurement"})
    old = f"/searches/feed/{saved.feed_token}/"
    feed = atom(client.get(old).content)
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == ["Feed case"]
    client.post(f"/searches/{saved.pk}/feed-address/")
    saved.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(f"/searches/feed/{saved.feed_token}/").status_code == 200


def test_someone_elses_saved_search_is_not_found(client, searcher, make_user):
    other = make_user("other")
    saved = SavedSearch.objects.create(user=other, name="Theirs", params={"q": "x"})
    assert client.get(f"/searches/{saved.pk}/").status_code == 404
    assert client.post(f"/searches/{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


# --- Public feeds ---------------------------------------------------------------------------


def test_public_feeds_carry_public_content_only(
    client, egov, make_member, make_thread, make_resource, work
):
    author = make_member(egov, "author")
    moderator = make_member(egov, "mod", role="moderator")
    live = work(make_thread, title="Live thread", body="Hello.", author=author)
    gone = work(make_thread, title="Deleted thread", body="Bye.", author=author)
    work(thread_delete, thread=gone, actor=moderator)
    visible = work(post_reply, thread=live, author=author, body="Visible reply.")
    hidden = work(post_reply, thread=live, author=author, body="Hidden reply.")
    work(post_set_hidden, post=hidden, actor=moderator, hidden=True)
    make_resource(title="Published case", summary="Yes.", kind="case")
    make_resource(title="Published toolkit", summary="Yes.", kind="toolkit")
    make_resource(title="Draft case", summary="No.", status="submitted", submitter=author)

    def titles(url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/atom+xml")
        root = atom(response.content)
        return [e.find(f"{ATOM}title").text for e in root.iter(f"{ATOM}entry")]

    assert titles("/c/e-government/threads/feed/") == ["Live thread"]
    replies = titles(f"/c/e-government/threads/{live.pk}/feed/")
    assert len(replies) == 2  # the opening post and the visible reply
    body = client.get(f"/c/e-government/threads/{live.pk}/feed/").content.decode()
    assert "Visible reply" in body
    assert "Hidden reply" not in body
    assert visible.pk
    assert set(titles("/library/feed/")) == {"Published case", "Published toolkit"}
    assert titles("/library/feed/?kind=toolkit") == ["Published toolkit"]
    assert titles("/library/feed/?community=ai") == []
    assert client.get("/library/feed/?kind=essay").status_code == 404
    assert client.get(f"/c/e-government/threads/{gone.pk}/feed/").status_code == 404
    # The pages say where their feeds are.
    assert 'type="application/atom+xml"' in client.get("/library/").content.decode()
    page = client.get(f"/c/e-government/threads/{live.pk}/").content.decode()
    assert f'href="/c/e-government/threads/{live.pk}/feed/"' in page


def test_withdrawn_accepted_notification_does_not_break_the_answers_section(busy_week):
    Notification.objects.filter(kind="accepted").delete()
    assert Thread.objects.filter(accepted_post__isnull=False).exists()


def test_a_digest_sent_again_after_a_refusal_keeps_its_saved_search_results(
    smtp, work, searcher, make_resource
):
    from django_tasks_db.models import DBTaskResult

    SavedSearch.objects.create(
        user=searcher, name="Open data", params={"q": "open data"}, alert="digest"
    )
    make_resource(title="Open data portal case", summary="Open data.", community="ai")
    smtp.refuse = 1  # the mail server says "try again later" once
    work(_weekly)
    assert smtp.to("searcher@") == []
    # The retry is due a minute later; the saved search was marked seen at the first attempt.
    DBTaskResult.objects.update(run_after=timezone.now())
    work()
    (message,) = smtp.to("searcher@")
    assert "Open data portal case" in text_of(message)
