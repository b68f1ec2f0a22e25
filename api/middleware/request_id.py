"""X-Request-ID: kept from the proxy or client when well-formed, else generated, and echoed in the response.

The id is stored in the request's state (`request.state.request_id`) and bound to the logging context,
so every log line written while the request runs carries it.
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bound_contextvars

HEADER = b"x-request-id"
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._:/+=-]{1,128}")
"""What a proxy's or a client's id may look like; anything else is replaced, so logs stay clean."""


def incoming_request_id(scope: Scope) -> str | None:
    """The request's own X-Request-ID when it is well-formed, else None."""
    for name, value in scope["headers"]:
        if name == HEADER:
            return value.decode("ascii") if _WELL_FORMED.fullmatch(value) else None
    return None


def request_id_of(scope: Scope) -> str | None:
    """The id RequestIdMiddleware gave this request, if it ran."""
    state = scope.get("state") or {}
    request_id = state.get("request_id")
    return request_id if isinstance(request_id, str) else None


class RequestIdMiddleware:
    """Gives every HTTP request an id and returns it in the `X-Request-ID` response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        header = (HEADER, request_id.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() != HEADER]
                message["headers"] = [*kept, header]
            await send(message)

        with bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)
