"""Notification e-mails, through a real SMTP server: who is told of what (a table of roles ×
events), in their language, with both parts, the headers of a good sender, the post's
sanitised content and a link to the exact place; nothing about what they may no longer read."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Notification
from core.models import Membership
from forums.models import ChatRoom
from forums.services.chat import message_send
from forums.services.posts import post_accept, post_reply, post_set_hidden
from forums.services.reports import message_report_create, report_create
from forums.services.threads import thread_follow
from mail.models import Delivery, MailSettings, When
from resources import services as library
from tests.mail.conftest import html_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(communities, make_member, make_user):
    egov = communities["e-government"]
    return {
        "author": make_member(egov, "author"),
        "follower": make_member(egov, "follower"),
        "replier": make_member(egov, "replier"),
        "moderator": make_member(egov, "moderator", role=Membership.Role.MODERATOR),
        "other_moderator": make_member(communities["ai"], "aimod", role=Membership.Role.MODERATOR),
        "bystander": make_member(egov, "bystander"),
        "outsider": make_user("outsider"),
    }


@pytest.fixture
def thread(make_thread, people, work):
    thread = work(
        make_thread,
        title="Interoperability roadmap",
        body="Where do we start?",
        author=people["author"],
    )
    work(thread_follow, thread=thread, user=people["follower"], follow=True)
    return thread


def recipients(smtp) -> set[str]:
    return {m["To"].split("@")[0] for m in smtp.messages}


# --- Who is told of what ----------------------------------------------------------------------


def _reply(thread, people):
    return post_reply(thread=thread, author=people["replier"], body="A reply.")


def _mention(thread, people):
    return post_reply(thread=thread, author=people["replier"], body="@bystander what do you think?")


def _quote(thread, people):
    opening = thread.posts.get(number=1)
    return post_reply(thread=thread, author=people["replier"], body="> quoted", quoted=opening)


def _accept(thread, people):
    reply = post_reply(thread=thread, author=people["replier"], body="The answer.")
    return post_accept(post=reply, actor=people["author"])


def _report(thread, people):
    return report_create(
        post=thread.posts.get(number=1), reporter=people["bystander"], reason="spam"
    )


def _chat_report(thread, people):
    room = ChatRoom.objects.get(community=thread.community, slug="general")
    message, _created, _frame = message_send(room=room, author=people["author"], body="Buy now")
    return message_report_create(message=message, reporter=people["bystander"], reason="spam")


@pytest.mark.parametrize(
    ("event", "told"),
    [
        # A reply: the thread's followers (the author follows their own thread); not the replier.
        (_reply, {"author", "follower"}),
        # A mention: the person mentioned, once, besides the followers.
        (_mention, {"author", "follower", "bystander"}),
        # A quote: its author is told as quoted (not twice as a follower too).
        (_quote, {"author", "follower"}),
        # An accepted answer: its author (and the followers of the reply before it).
        (_accept, {"author", "follower", "replier"}),
        # A report: the community's moderators only, not those of another community.
        (_report, {"moderator"}),
        (_chat_report, {"moderator"}),
    ],
)
def test_who_is_told_of_what(smtp, work, thread, people, event, told):
    smtp.envelopes.clear()
    work(event, thread, people)
    assert recipients(smtp) == told


def test_a_quote_says_so(smtp, work, thread, people):
    smtp.envelopes.clear()
    work(_quote, thread, people)
    (message,) = smtp.to("author@")
    assert "quoted you" in message["Subject"]


def test_library_decisions_and_review_requests(smtp, work, communities, people, make_member):
    submitter = make_member(communities["e-government"], "submitter")
    resource = work(
        library.resource_submit,
        actor=submitter,
        data={
            "title": "Open data toolkit",
            "summary": "How to publish.",
            "kind": "toolkit",
            "language": "en",
        },
        communities=[communities["e-government"]],
    )
    # The request to review reaches the moderators of its community, not others.
    assert recipients(smtp) == {"moderator"}
    smtp.envelopes.clear()
    work(library.resource_publish, resource=resource, actor=people["moderator"])
    (message,) = smtp.messages
    assert message["To"] == "submitter@example.org"
    assert "was published" in message["Subject"]


# --- The message itself -----------------------------------------------------------------------


def test_the_message_has_both_parts_the_headers_and_a_link_to_the_reply(smtp, work, thread, people):
    smtp.envelopes.clear()
    reply = work(
        post_reply,
        thread=thread,
        author=people["replier"],
        body="See **this** and @bystander <script>alert(1)</script>",
    )
    (message,) = smtp.to("follower@")
    link = f"https://hub.example.org/posts/{reply.pk}/"
    assert link in text_of(message)
    html = html_of(message)
    assert f'href="{link}"' in html
    assert "<strong>this</strong>" in html  # the post's content, rendered
    assert "<script>" not in html  # and sanitised
    assert 'href="https://hub.example.org/members/bystander/"' in html  # links made absolute
    delivery = Delivery.objects.get(recipient=people["follower"])
    assert message["Message-ID"] == f"<delivery-{delivery.pk}@hub.example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "en"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"]
    assert "<https://hub.example.org/email/unsubscribe/" in unsubscribe
    assert "<mailto:community@hub.example.org?subject=unsubscribe" in unsubscribe
    assert "You follow this thread" in text_of(message)  # why they got it
    assert "https://hub.example.org/profile/email/" in text_of(message)
    assert message["From"].addresses[0].addr_spec == "community@hub.example.org"
    assert "example.com" not in message.as_string()


def test_each_person_reads_it_in_the_language_they_last_chose(smtp, work, client, thread, people):
    client.force_login(people["follower"])
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    people["follower"].refresh_from_db()
    assert people["follower"].language == "kk"
    smtp.envelopes.clear()
    work(_reply, thread, people)
    kazakh = smtp.to("follower@")[0]
    english = smtp.to("author@")[0]
    assert kazakh["Content-Language"] == "kk"
    assert "жауап жазды" in kazakh["Subject"]
    assert english["Content-Language"] == "en"
    assert "replied" in english["Subject"]


# --- Nothing about what they may not read, or have seen ---------------------------------------


def test_a_post_hidden_before_the_email_leaves_is_not_emailed(
    smtp, work, thread, people, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFY_DELAY_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        reply = _reply(thread, people)
    post_set_hidden(post=reply, actor=people["moderator"], hidden=True, reason="spam")
    work()
    assert smtp.messages == []
    assert set(Delivery.objects.values_list("reason", flat=True)) == {"withdrawn"}


def test_a_notification_read_on_the_site_first_is_not_emailed(
    smtp, work, thread, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reply(thread, people)
    Notification.objects.filter(recipient=people["follower"]).update(read_at=timezone.now())
    work()
    assert recipients(smtp) == {"author"}


def test_a_moderator_who_stepped_down_is_not_sent_the_report(
    smtp, work, thread, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _report(thread, people)
    Membership.objects.filter(user=people["moderator"]).update(role=Membership.Role.MEMBER)
    work()
    assert smtp.messages == []
    assert list(Delivery.objects.values_list("reason", flat=True)) == ["unreadable"]


def test_a_draft_is_not_described_to_someone_who_may_not_see_it(
    smtp, work, communities, people, make_member
):
    """The review request names a draft: it goes to moderators of its community only."""
    submitter = make_member(communities["e-government"], "drafter")
    work(
        library.resource_submit,
        actor=submitter,
        data={"title": "Secret draft", "summary": "Draft.", "kind": "case", "language": "en"},
        communities=[communities["e-government"]],
    )
    assert "Secret draft" not in "".join(
        m.as_string() for m in smtp.messages if "moderator@" not in m["To"]
    )
    assert recipients(smtp) == {"moderator"}


@pytest.mark.parametrize("choice", [When.DIGEST, When.OFF])
def test_replies_set_to_the_digest_or_off_are_not_emailed_at_once(
    smtp, work, thread, people, choice
):
    MailSettings.objects.update_or_create(user=people["follower"], defaults={"replies": choice})
    smtp.envelopes.clear()
    work(_reply, thread, people)
    assert recipients(smtp) == {"author"}


def test_the_reply_page_is_not_slowed_when_the_mail_server_is_down(
    smtp, client, thread, people, settings
):
    smtp.hang = 5.0
    client.force_login(people["replier"])
    response = client.post(
        f"/c/e-government/threads/{thread.pk}/reply/", {"body": "While SMTP hangs."}
    )
    assert response.status_code == 302
    # The e-mails wait in the queue for the worker; the request did not touch SMTP.
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() == 2
