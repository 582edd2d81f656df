"""Background work: tasks queued in the database, periodic jobs, and the worker's heartbeat.

Tasks are django-tasks tasks (core/tasks.py) on its database backend (django-tasks-db): a task
enqueued is a row, written in the same database as the change that caused it, and any number of
``manage.py worker`` processes, on any machines, take rows in turn (PostgreSQL's SKIP LOCKED;
SQLite's write lock). Enqueue after the change commits (:func:`enqueue_on_commit`), so a worker
never looks for a row that a rolled-back transaction wrote.

Periodic jobs (digests, saved-search alerts) are registered by the apps
(:func:`register_periodic`) and enqueued by the workers themselves: each worker checks every
few seconds, and the one whose update moves a job's ``ScheduleSlot`` on enqueues it. No cron.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.models import ScheduleSlot, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker writes its heartbeat this often, and is "stale" when it has not for this long.
HEARTBEAT_EVERY = timedelta(seconds=15)
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: object  # a django-tasks Task, enqueued without arguments


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, *, every: timedelta, task) -> None:
    """Run ``task`` (without arguments) every ``every``, from whichever worker gets there
    first. Call from an AppConfig.ready()."""
    _PERIODIC[name] = Periodic(name, every, task)


def periodic_jobs() -> list[Periodic]:
    return list(_PERIODIC.values())


def enqueue_on_commit(task, *args, run_after: datetime | None = None, **kwargs) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one)."""

    def enqueue():
        (task.using(run_after=run_after) if run_after else task).enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)


def schedule_due(now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs that are due; returns their names. Safe to call from several
    workers at once: a job's slot moves on for one of them only."""
    now = now or timezone.now()
    started = []
    for job in periodic_jobs():
        ScheduleSlot.objects.get_or_create(name=job.name, defaults={"next_run": now})
        claimed = ScheduleSlot.objects.filter(name=job.name, next_run__lte=now).update(
            next_run=now + job.every
        )
        if claimed:
            job.task.enqueue()
            started.append(job.name)
    return started


def worker_id() -> str:
    """This process's name among the workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def heartbeat(name: str, *, started: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=name, defaults={"seen": now, "started": started}
    )
    # Workers that stopped long ago are forgotten, so the state below is about the living.
    WorkerHeartbeat.objects.filter(seen__lt=now - timedelta(days=1)).delete()


def worker_state(now: datetime | None = None, *, host: str = "") -> str:
    """The workers' state (on ``host``, if given): "ok" if one was seen within STALE_AFTER,
    "stale" if one was seen before that, "missing" if none ever was (or not for a day)."""
    now = now or timezone.now()
    beats = WorkerHeartbeat.objects.all()
    if host:
        beats = beats.filter(worker_id__startswith=f"{host}:")
    latest = beats.order_by("-seen").values_list("seen", flat=True).first()
    if latest is None:
        return "missing"
    return "ok" if now - latest <= STALE_AFTER else "stale"


def task_runner(**options):
    """django-tasks' database worker, each task's log lines carrying "task-<id>" as their
    request id (core/logs.py)."""
    from django_tasks_db.management.commands.db_worker import Worker

    from core.logs import REQUEST_ID

    class Runner(Worker):
        def run_task(self, db_task_result):
            token = REQUEST_ID.set(f"task-{db_task_result.id}")
            try:
                return super().run_task(db_task_result)
            finally:
                REQUEST_ID.reset(token)

    return Runner(**options)


def tasks_run() -> int:
    """Run every task that is ready now, in this process, then return how many ran (for tests
    and ``manage.py worker --batch``). Unlike the worker's loop it leaves the database
    connection alone, so it also runs inside a test's transaction."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    runner = task_runner(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is not None:
                result.claim(runner.worker_id)
        if result is None:
            return count
        runner.run_task(result)
        count += 1
