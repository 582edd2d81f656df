"""Request ids, metrics and the graceful-shutdown hint, for every HTTP request."""

from __future__ import annotations

import time

from core import metrics
from core.logs import REQUEST_ID, request_id_from

# Set by the server when it stops (manage.py serve, on SIGTERM): every response then says
# "Connection: close", so the proxy opens its next connection to another process.
SHUTTING_DOWN = {"now": False}


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID (or makes one), puts it on every log line of the request
    and on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_from(request.headers.get("X-Request-ID"))
        # Not reset on the way out: Django logs an error response after the middleware has
        # returned, and that line must carry the id too. Each request sets its own at the start
        # (under ASGI each request runs in a context of its own).
        REQUEST_ID.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        if SHUTTING_DOWN["now"]:
            response["Connection"] = "close"
        return response


class RequestMetricsMiddleware:
    """Latency and count per view (the URL pattern's name, never the path: no ids, no
    unbounded labels)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        metrics.HTTP_LATENCY.labels(view, method).observe(time.perf_counter() - started)
        metrics.HTTP_REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
