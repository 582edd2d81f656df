"""daphne with a graceful stop, for ``manage.py serve``.

On SIGTERM (a rolling restart, ``docker compose stop``) the process:

1. stops listening, so the proxy's new connections go to another process (nginx retries a
   refused connection on the next upstream);
2. answers every further response with ``Connection: close``, so kept-alive proxy connections
   end after their current request;
3. closes every websocket with 1012 "service restart": clients reconnect at once, through the
   proxy, to a process that is up, and catch up with ``sync``;
4. waits for the HTTP requests in flight to finish, then stops, at the latest after
   ``SHUTDOWN_GRACE_SECONDS``.

A second SIGTERM, or SIGINT (Ctrl-C in ``make run``), stops at once.
"""

from __future__ import annotations

import logging
import signal
import time

from daphne.cli import CommandLineInterface
from daphne.http_protocol import WebRequest
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor

from core.middleware import SHUTTING_DOWN

logger = logging.getLogger("project.server")

CLOSE_SERVICE_RESTART = 1012


class GracefulServer(Server):
    grace_seconds = 20.0

    def __init__(self, *args, **kwargs):
        kwargs["signal_handlers"] = False  # ours, below
        super().__init__(*args, **kwargs)
        self.ports = []
        self.stopping_since: float | None = None

    def run(self):
        signal.signal(signal.SIGTERM, self._on_sigterm)
        signal.signal(signal.SIGINT, self._on_sigint)
        super().run()

    def listen_success(self, port):
        self.ports.append(port)
        super().listen_success(port)

    def _on_sigterm(self, signum, frame):
        if self.stopping_since is not None:  # asked twice: now
            reactor.callFromThread(self.stop)
            return
        reactor.callFromThread(self.graceful_stop)

    def _on_sigint(self, signum, frame):
        reactor.callFromThread(self.stop)

    def graceful_stop(self):
        if self.stopping_since is not None:
            return
        self.stopping_since = time.monotonic()
        SHUTTING_DOWN["now"] = True
        for port in self.ports:
            port.stopListening()
        sockets = 0
        for protocol, details in list(self.connections.items()):
            if isinstance(protocol, WebSocketProtocol) and "disconnected" not in details:
                try:
                    # autobahn's sendClose() allows only 1000 and 3000-4999 from applications;
                    # 1012 is the protocol's own "service restart", sent through the frame API.
                    if protocol.state == protocol.STATE_OPEN:
                        protocol.sendCloseFrame(
                            code=CLOSE_SERVICE_RESTART, reasonUtf8=b"service restart"
                        )
                        sockets += 1
                except Exception:
                    logger.warning("stopping: could not close a websocket", exc_info=True)
        logger.info(
            "stopping: no new connections; %d websocket(s) told to reconnect elsewhere", sockets
        )
        reactor.callLater(0.1, self._stop_when_idle)

    def _in_flight(self) -> int:
        return sum(
            1
            for protocol, details in self.connections.items()
            if isinstance(protocol, WebRequest) and "disconnected" not in details
        )

    def _stop_when_idle(self):
        waited = time.monotonic() - self.stopping_since
        busy = self._in_flight()
        if busy and waited < self.grace_seconds:
            reactor.callLater(0.1, self._stop_when_idle)
            return
        if busy:
            logger.warning("stopping with %d request(s) unfinished after %.0f s", busy, waited)
        else:
            logger.info("stopped after %.1f s: every request answered", waited)
        self.stop()


class GracefulCommandLineInterface(CommandLineInterface):
    server_class = GracefulServer
