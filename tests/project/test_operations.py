"""What operations teams rely on: /metrics for Prometheus, request ids through the logs, JSON
log lines, and the graceful stop's hint to the proxy."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from core.logs import REQUEST_ID, JsonFormatter, RequestIdFilter
from core.middleware import SHUTTING_DOWN

pytestmark = pytest.mark.django_db


def test_metrics_need_the_token(client, settings):
    settings.DEBUG = False
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404  # no token configured: nothing there
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_metrics_count_requests_by_view_and_read_the_queue(client, settings, communities):
    settings.METRICS_TOKEN = "t0ken-for-tests"
    client.get(reverse("library"))
    client.get("/no/such/page/")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken-for-tests").content.decode()
    assert 'cop_http_request_duration_seconds_count{method="GET",view="library"}' in text
    assert 'cop_http_requests_total{method="GET",status="4xx",view="unmatched"}' in text
    assert "cop_task_queue_depth " in text
    assert "cop_task_queue_oldest_seconds " in text
    assert "# TYPE cop_websocket_connections gauge" in text
    assert "# TYPE cop_chat_rooms_active gauge" in text
    assert "/no/such/page/" not in text  # views, never paths, as labels


def test_a_request_id_is_kept_or_made_and_is_on_every_log_line(client):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="edge-7f3a9c2b")
        made = client.get("/no/such/page/", HTTP_X_REQUEST_ID="<script>")
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == "edge-7f3a9c2b"
    assert made["X-Request-ID"] != "<script>"
    assert len(made["X-Request-ID"]) == 32
    assert [r.request_id for r in records] == ["edge-7f3a9c2b", made["X-Request-ID"]]


def test_json_lines_carry_level_logger_message_and_request_id():
    formatter = JsonFormatter()
    token = REQUEST_ID.set("task-42")
    try:
        record = logging.LogRecord("mail.deliveries", logging.WARNING, __file__, 1,
                                   "retrying delivery %s", (7,), None)  # fmt: skip
        RequestIdFilter().filter(record)
        line = json.loads(formatter.format(record))
    finally:
        REQUEST_ID.reset(token)
    assert line["level"] == "WARNING"
    assert line["logger"] == "mail.deliveries"
    assert line["message"] == "retrying delivery 7"
    assert line["request_id"] == "task-42"
    assert "time" in line


def test_a_stopping_process_asks_the_proxy_to_close_its_connections(client):
    assert "Connection" not in client.get("/healthz")
    SHUTTING_DOWN["now"] = True
    try:
        assert client.get(reverse("library"))["Connection"] == "close"
    finally:
        SHUTTING_DOWN["now"] = False


def test_the_dashboard_uses_only_metrics_the_processes_export(client, settings):
    import re

    from tests.conftest import BASE_DIR

    dashboard = json.loads((BASE_DIR / "deploy" / "grafana" / "cop-dashboard.json").read_text())
    settings.METRICS_TOKEN = "t0ken-for-tests"
    client.get("/healthz")
    exported = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken-for-tests").content.decode()
    names = {line.split(" ")[2] for line in exported.splitlines() if line.startswith("# TYPE")}
    used = {
        re.sub(r"_(bucket|count|sum|total)$", "", name)
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\b(cop_\w+|process_\w+)", target["expr"])
    }
    known = {re.sub(r"_total$", "", name) for name in names}
    known.add("cop_db_pool_connections")  # only where PostgreSQL's connection pool is in use
    assert used, "the dashboard queries nothing"
    assert used <= known, used - known
