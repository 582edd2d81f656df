"""The background worker with a real SMTP server: retried with growing waits when the server
refuses or hangs, never sent twice for one thing, at least once after a crash between sending
and recording it; periodic jobs enqueued once however many workers look."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import ScheduleSlot
from core.tasks import TaskResultStatus, task
from core.worker import heartbeat, register_periodic, schedule_due, tasks_run, worker_state
from forums.services.posts import post_reply
from forums.services.threads import thread_follow
from mail import deliveries
from mail.models import Delivery
from mail.tasks import delivery_send

pytestmark = pytest.mark.django_db


@task()
def tick() -> int:
    return 1


@pytest.fixture
def reply_to_follower(communities, make_member, make_thread, work):
    """A thread followed by one person; returns a function that posts a reply to it (which
    e-mails the follower)."""
    egov = communities["e-government"]
    author = make_member(egov, "author")
    follower = make_member(egov, "follower")
    thread = work(make_thread, title="Roadmap", body="Start here.", author=author)
    work(thread_follow, thread=thread, user=follower, follow=True)
    from mail.models import MailSettings, When

    MailSettings.objects.update_or_create(user=author, defaults={"replies": When.OFF})

    def reply(body: str = "A reply."):
        return post_reply(thread=thread, author=author, body=body)

    return reply


def _due_now():
    """Time passes: every waiting task is due (the retry waits are minutes to hours)."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_a_refusing_server_is_retried_with_growing_waits_then_delivered(
    smtp, work, reply_to_follower
):
    smtp.refuse = 2
    work(reply_to_follower)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.QUEUED, 1)
    assert "451" in delivery.last_error
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    wait = waiting.run_after - timezone.now()
    assert timedelta(seconds=50) < wait <= deliveries.RETRY_WAITS[0]
    assert smtp.messages == []
    _due_now()
    work()
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.run_after - timezone.now() > deliveries.RETRY_WAITS[0]  # the wait grew
    _due_now()
    work()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(smtp.messages) == 1


def test_a_hanging_server_times_out_and_is_retried(smtp, work, reply_to_follower, settings):
    settings.EMAIL_TIMEOUT = 1
    smtp.hang = 3.0
    work(reply_to_follower)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.QUEUED
    assert "timed out" in delivery.last_error.lower() or "timeout" in delivery.last_error.lower()
    smtp.hang = 0.0
    _due_now()
    work()
    assert len(smtp.messages) == 1


def test_after_every_wait_has_passed_the_delivery_fails_for_good(smtp, work, reply_to_follower):
    smtp.refuse = 100
    work(reply_to_follower)
    for _attempt in deliveries.RETRY_WAITS:
        _due_now()
        work()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == len(deliveries.RETRY_WAITS) + 1
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_one_thing_is_never_sent_twice(
    smtp, work, reply_to_follower, django_capture_on_commit_callbacks
):
    work(reply_to_follower)
    delivery = Delivery.objects.get()
    # The same task again (a duplicate in the queue, a second worker): nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        delivery_send.enqueue(delivery.pk)
        delivery_send.enqueue(delivery.pk)
    work()
    assert len(smtp.messages) == 1
    # The same event again (a retried request): no second delivery row.
    from accounts.models import Notification

    deliveries.notifications_queue(list(Notification.objects.filter(recipient=delivery.recipient)))
    assert Delivery.objects.count() == 1


def test_a_worker_dying_between_send_and_record_means_at_least_once_with_one_message_id(
    smtp, work, reply_to_follower
):
    """The documented limit: the server took the message, the row still says "sending". After
    the lease the recovery job sends it again, with the same Message-ID."""
    work(reply_to_follower)
    delivery = Delivery.objects.get()
    first = smtp.messages[0]["Message-ID"]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING,
        attempted=timezone.now() - deliveries.SENDING_LEASE - timedelta(minutes=1),
    )
    assert work(deliveries.recover) == 1
    assert [m["Message-ID"] for m in smtp.messages] == [first, first]
    # A delivery being sent right now (within its lease) is left alone.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, attempted=timezone.now()
    )
    assert work(deliveries.recover) == 0


def test_a_periodic_job_is_enqueued_once_however_many_workers_look():
    register_periodic("test.tick", every=timedelta(minutes=5), task=tick)
    try:
        now = timezone.now()
        assert "test.tick" in schedule_due(now)
        assert "test.tick" not in schedule_due(now)  # another worker, the same moment
        assert "test.tick" not in schedule_due(now + timedelta(minutes=4))
        assert "test.tick" in schedule_due(now + timedelta(minutes=5))
        slot = ScheduleSlot.objects.get(name="test.tick")
        assert slot.next_run == now + timedelta(minutes=10)
    finally:
        from core import worker

        worker._PERIODIC.pop("test.tick", None)


def test_the_heartbeat_and_the_batch_command(capsys):
    assert worker_state() == "missing"
    heartbeat("host:1", started=timezone.now())
    assert worker_state() == "ok"
    assert worker_state(timezone.now() + timedelta(minutes=3)) == "stale"
    assert worker_state(host="elsewhere") == "missing"
    # --batch: the periodic jobs that are due (digests, alerts, recovery, event reminders,
    # expired data exports, accounts due for erasure), then the queue.
    call_command("worker", "--batch")
    assert "6 tasks run." in capsys.readouterr().out
    assert set(ScheduleSlot.objects.values_list("name", flat=True)) >= {
        "mail.digests",
        "mail.alerts",
        "mail.recover",
    }


def test_tasks_run_returns_how_many_ran(work):
    assert tasks_run() == 0
