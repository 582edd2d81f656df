import signal
import socket
import sys
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from core import worker


class Command(BaseCommand):
    help = (
        "Run a background worker: queued tasks (e-mail, digests, alerts) and the periodic jobs "
        "that enqueue them. Run as many as you like, on as many machines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="run the tasks that are ready, then exit"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait before looking again when the queue is empty",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="exit 0 if a worker on this host was seen lately, 1 if not (health checks)",
        )

    def handle(self, *args, batch, interval, check, **options):
        if check:
            state = worker.worker_state(host=socket.gethostname())
            self.stdout.write(state)
            if state != "ok":
                raise CommandError(f"no worker seen in the last {worker.STALE_AFTER}")
            return
        if batch:
            worker.schedule_due()
            count = worker.tasks_run()
            self.stdout.write(f"{count} tasks run.")
            return
        self._run_forever(interval)

    def _run_forever(self, interval: float) -> None:

        name = worker.worker_id()
        started = timezone.now()
        stop = threading.Event()

        def beat():
            # Heartbeat and periodic jobs in a thread of their own, so a long task does not make
            # the worker look dead or hold the schedule back.
            while not stop.is_set():
                try:
                    worker.heartbeat(name, started=started)
                    for job in worker.schedule_due():
                        self.stdout.write(f"worker: enqueued {job}")
                except Exception:  # the database is away: try again next beat
                    worker.logger.exception("worker: heartbeat or schedule failed")
                finally:
                    close_old_connections()
                stop.wait(worker.HEARTBEAT_EVERY.total_seconds())

        thread = threading.Thread(target=beat, name="worker-heartbeat", daemon=True)
        thread.start()
        runner = worker.task_runner(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=name,
            excluded_queue_names=[],
        )

        def shutdown(signum, frame):
            stop.set()
            runner.shutdown(signum, frame)

        signal.signal(signal.SIGINT, shutdown)
        signal.signal(signal.SIGTERM, shutdown)
        self.stdout.write(f"worker {name}: waiting for tasks (Ctrl-C stops)")
        sys.stdout.flush()
        try:
            runner.run()
        finally:
            stop.set()
            time.sleep(0)
