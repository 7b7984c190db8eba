"""Log setup for the CLI: text by default, JSON lines by flag, always to stderr."""

from __future__ import annotations

import json
import logging
import sys

IDENTITY_FIELDS = ("db_id", "operation_id", "operation", "attempt", "request_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in IDENTITY_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(json_lines: bool, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log would repeat our own request line.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every readiness poll at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
