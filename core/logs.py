"""Logging filters the settings install."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

import pythonjsonlogger.json

REFUSALS = {400, 403, 404, 405}


class RefusalsAtInfo(logging.Filter):
    """A refused request (bad input, no permission, nothing there) is the application working:
    Django logs it at WARNING, for 403 and 400 with a traceback, which buries real problems.
    Here it is kept, one line at INFO, without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in REFUSALS:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info = record.exc_text = None
        return True


# --- The request id, carried through views, services, tasks and consumers ----------------------

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_from(value: str | bytes | None) -> str:
    """The proxy's X-Request-ID when it looks like one, else a new id."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if value and _SANE_ID.match(value) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or task id, or connection id) on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id, and what a caller
    passed in ``extra``; exceptions as one field. No personal data beyond user ids is logged by
    this project (the access log is nginx's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"}
        )
        kwargs.setdefault("timestamp", False)
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs
        )
