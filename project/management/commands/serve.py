import gc
import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

# Frames larger than this close the connection at the protocol level; the consumers answer
# smaller oversized frames with an error frame and keep the connection (docs/realtime.md).
WEBSOCKET_MAX_BYTES = 64 * 1024


class Command(BaseCommand):
    help = (
        "Serve HTTP and WebSockets on one port with daphne (the way make run and Docker do); "
        "SIGTERM stops gracefully (project/server.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            help="trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run a background worker (manage.py worker) beside the server; stopping "
            "the server stops it (how make run works)",
        )

    def handle(self, *args, bind, port, proxy_headers, with_worker, **options):
        worker = None
        if with_worker:
            manage = str(settings.BASE_DIR / "manage.py")
            worker = subprocess.Popen([sys.executable, manage, "worker"])  # noqa: S603
        try:
            self._serve(bind, port, proxy_headers)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _serve(self, bind, port, proxy_headers):
        from project.server import GracefulCommandLineInterface, GracefulServer

        GracefulServer.grace_seconds = settings.SHUTDOWN_GRACE_SECONDS

        argv = [
            "-b",
            bind,
            "-p",
            str(port),
            "--websocket-max-message-size",
            str(WEBSOCKET_MAX_BYTES),
            "--websocket-max-frame-size",
            str(WEBSOCKET_MAX_BYTES),
            "--application-close-timeout",
            "10",
        ]
        if proxy_headers:
            argv.append("--proxy-headers")
        if settings.LOG_FORMAT == "json":
            # daphne's access log is plain text on stdout; in production the proxy writes the
            # access log (JSON, with the request id), and stdout keeps to JSON lines.
            argv += ["--verbosity", "0"]
        # A full pass of the cycle collector stops the event loop, and with it every room: one
        # message to a room of 500 waited 160 ms for one (docs/benchmarks.md). Most of that
        # pass was walking the application itself, so: load the application now and freeze what
        # it loaded (it lives as long as the process; no pass needs to walk it again). The
        # collector's thresholds stay Python's: running full passes less often let the cyclic
        # garbage of every request pile up (a thread page left ~200 KB, 170 MB every 20 s under
        # load), so instead the big cycles are not made (core/templating.py).
        import project.asgi  # noqa: F401

        gc.collect()
        gc.freeze()
        GracefulCommandLineInterface().run([*argv, "project.asgi:application"])
