"""Prometheus metrics of one process (prometheus-client), exposed at /metrics.

Each web process is scraped on its own (docs/operations.md); nginx does not pass /metrics
through. The worker serves no HTTP: its work shows in the task queue's depth and age. What is
measured, and where:

- HTTP latency and count by view (``core.middleware.RequestMetricsMiddleware``);
- websocket connections by kind and chat rooms with a connection (the consumers, the fan-out);
- chat messages sent, and the fan-out latency: from the doorbell rung after commit to the frame
  offered to the last local connection of the room (``core.realtime``, ``forums.fanout``);
- channel-layer errors by operation;
- search latency by backend (``search.query``);
- at scrape time: the task queue's depth and the age of its oldest ready task, and the database
  connection pool's use.
"""

from __future__ import annotations

import logging
import time

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

HTTP_LATENCY = Histogram(
    "cop_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_REQUESTS = Counter(
    "cop_http_requests_total", "HTTP requests answered, by view and status class.",
    ["view", "method", "status"],
)  # fmt: skip
WEBSOCKETS = Gauge("cop_websocket_connections", "Open websocket connections.", ["kind"])
ROOMS = Gauge("cop_chat_rooms_active", "Chat rooms with a connection on this process.")
CHAT_MESSAGES = Counter("cop_chat_messages_sent_total", "Chat messages stored and announced.")
FANOUT_LATENCY = Histogram(
    "cop_chat_fanout_seconds",
    "From a message's doorbell to its frame offered to every local connection of the room.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
LAYER_ERRORS = Counter(
    "cop_channel_layer_errors_total", "Channel-layer operations that failed.", ["operation"]
)
SEARCH_LATENCY = Histogram(
    "cop_search_duration_seconds",
    "Time to run one search.",
    ["backend"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class _DatabaseCollector(Collector):
    """Read at scrape time: the task queue and the connection pool (a failure is a gap in the
    series, never an error page)."""

    def describe(self):
        # Without describe(), registering would call collect(): a query at import time.
        return []

    def collect(self):
        # Imported here: this module is imported by settings-time code (the middleware list).
        from django.db import connection

        queue_depth = GaugeMetricFamily(
            "cop_task_queue_depth", "Background tasks ready to run and not yet taken."
        )
        queue_age = GaugeMetricFamily(
            "cop_task_queue_oldest_seconds", "Age of the oldest task ready to run (0: none)."
        )
        try:
            from django_tasks_db.models import DBTaskResult

            ready = DBTaskResult.objects.ready()
            depth = ready.count()
            oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
            queue_depth.add_metric([], depth)
            queue_age.add_metric([], time.time() - oldest.timestamp() if oldest else 0.0)
            yield queue_depth
            yield queue_age
        except Exception:  # the database is down: no sample this time
            logger.debug("metrics: the task queue could not be read", exc_info=True)
        pool = getattr(connection, "pool", None)
        if pool is not None:
            stats = pool.get_stats()
            size = GaugeMetricFamily(
                "cop_db_pool_connections", "Pool connections.", labels=["state"]
            )
            size.add_metric(["open"], stats.get("pool_size", 0))
            size.add_metric(["idle"], stats.get("pool_available", 0))
            size.add_metric(["waiting_requests"], stats.get("requests_waiting", 0))
            yield size


REGISTRY.register(_DatabaseCollector())
