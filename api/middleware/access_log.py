"""One structured log record per HTTP request, written when the response is finished.

The record holds the request id, method, path, query, status, bytes sent and duration. It never holds
the client's address or user agent: readers of this data may be at risk, and the API needs neither.
EdgeMiddleware (api/middleware/edge.py) writes it when the `access_log` setting is on.
"""

from __future__ import annotations

import logging

from starlette.types import Scope

LOGGER_NAME = "api.access"
logger = logging.getLogger(LOGGER_NAME)


def log_request(scope: Scope, request_id: str, status: int, sent: int, seconds: float) -> None:
    """Log `request` to the `api.access` logger (level error for 5xx, else info)."""
    level = logging.ERROR if status >= 500 else logging.INFO
    if not logger.isEnabledFor(level):
        return  # no fields to build when nobody listens
    fields = {
        "request_id": request_id,
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode("latin-1"),
        "status": status,
        "bytes": sent,
        "duration_ms": round(seconds * 1000, 2),
        "http_version": scope["http_version"],
    }
    logger.log(level, "request", extra=fields)
