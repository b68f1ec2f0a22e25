"""Request limits, before any route runs: URL length (414) and per-client rate (429), pure ASGI.

* A request whose path and query string together are longer than `max_url_length` bytes is answered
  414 problem+json at once: no parameter parsing, no query.
* Each client may make `rate_limit` requests (a `limits` rate string such as `600/minute`; empty turns
  limiting off) in a moving window, counted after the answer: a 304 Not Modified (a client revalidating
  its cache) costs nothing. Over the limit: 429 problem+json with `Retry-After`. The client is the
  peer address (uvicorn resolves it from `X-Forwarded-For` for the proxies in `forwarded_allow_ips`),
  or the last address in the header named by `rate_limit_client_header` when that is set (for a
  proxy that writes the client address in a header of its own). Probes (`/healthz`, `/readyz`) are
  never limited.

Counters live in the process (`limits`' memory storage): each instance limits on its own.
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import FastAPI
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import ProblemError, problem_content, send_problem
from api.render.pool import current_client
from api.translations import Sentence

UNLIMITED_PATHS = ("/healthz", "/readyz")


class LimitsMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_url_length: int, rate_limit: str = "", client_header: str = ""
    ) -> None:
        self.app = app
        self.max_url_length = max_url_length
        self.rate = parse(rate_limit) if rate_limit else None
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.client_header = client_header.lower().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if length > self.max_url_length:
            detail = Sentence("problem.uri_too_long", {"length": length, "limit": self.max_url_length})
            await send_problem(send, scope, ProblemError(414, detail, problem_type="/problems/uri-too-long"))
            return
        client = self._client(scope)
        # The render pool's share per client counts the same client (api/render/pool.py).
        token = current_client.set(client)
        try:
            await self._limited(scope, receive, send, client)
        finally:
            current_client.reset(token)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, client: str) -> None:
        if self.rate is None or scope["path"].startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        if not self.limiter.test(self.rate, client):
            reset, _ = self.limiter.get_window_stats(self.rate, client)
            wait = max(1, math.ceil(reset - time.time()))
            detail = Sentence(
                "problem.rate_limited",
                {"amount": self.rate.amount, "seconds": self.rate.get_expiry(), "wait": wait},
            )
            problem = ProblemError(
                429, detail, problem_type="/problems/rate-limited", headers={"Retry-After": str(wait)}
            )
            await send_problem(send, scope, problem)
            return
        status = 0

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            if status != 304:
                self.limiter.hit(self.rate, client)

    def _client(self, scope: Scope) -> str:
        if self.client_header:
            for name, value in scope["headers"]:
                if name == self.client_header:
                    return str(value.decode("latin-1").split(",")[-1].strip())
        client = scope.get("client")
        return str(client[0]) if client else "unknown"


RETRY_AFTER_HEADER: dict[str, Any] = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 1},
}


def document_limits(app: FastAPI) -> None:
    """State in the OpenAPI document the answers this middleware gives before any route runs: 414 on
    every operation, 429 on every one but the probes (a route's own description of them wins)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()  # FastAPI keeps this very dict as app.openapi_schema
        for path, operations in document.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    "414", {"description": "The URL is too long.", "content": problem_content(414)}
                )
                if not path.startswith(UNLIMITED_PATHS):
                    responses.setdefault(
                        "429",
                        {
                            "description": "Too many requests from this client.",
                            "headers": {"Retry-After": RETRY_AFTER_HEADER},
                            "content": problem_content(429),
                        },
                    )
        return document

    app.openapi = openapi  # type: ignore[method-assign]
