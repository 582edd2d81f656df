"""Logging filters the settings install."""

from __future__ import annotations

import logging

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
