"""One structured log record per HTTP request, written when the response is finished.

The record holds the request id, method, path, query, status, bytes sent and duration. It never holds
the client's address or user agent: readers of this data may be at risk, and the API needs neither.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware.request_id import request_id_of

LOGGER_NAME = "api.access"


class AccessLogMiddleware:
    """Logs `request` to the `api.access` logger (level error for 5xx, else info)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(LOGGER_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the application raises before it answers
        sent = 0

        async def recording_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            self._log(scope, status, sent, time.perf_counter() - started)

    def _log(self, scope: Scope, status: int, sent: int, seconds: float) -> None:
        fields = {
            "request_id": request_id_of(scope),
            "method": scope["method"],
            "path": scope["path"],
            "query": scope["query_string"].decode("latin-1"),
            "status": status,
            "bytes": sent,
            "duration_ms": round(seconds * 1000, 2),
            "http_version": scope["http_version"],
        }
        self.logger.log(logging.ERROR if status >= 500 else logging.INFO, "request", extra=fields)
