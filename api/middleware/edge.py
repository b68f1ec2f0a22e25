"""The edge of the application: the outermost middleware, which every answer passes through once.

In one `send` wrapper and one pass over the response headers, it does what four middlewares each did
with a wrapper of their own:

* the request id (api/middleware/request_id.py): the client's or the proxy's X-Request-ID when it is
  well-formed, else a new one; stored in the request's state (`request.state.request_id`), bound to
  the logging context while the request runs, and the last header of the answer;
* the CORS headers of simple requests (api/middleware/cors.py; pre-flights are answered further in);
* the security headers (api/middleware/security.py): no Server or Set-Cookie, `nosniff` and
  `Referrer-Policy` everywhere, and a Content-Security-Policy computed from each HTML page, which is
  held until its last byte for that;
* the access log (api/middleware/access_log.py), when it is on;
* an exception that escapes the application before it answered is logged with the request id and
  answered with the 500 problem+json of api.problems, which gets every header above and never holds
  a stack trace. Once the answer has started it can only be cut short: the exception propagates.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bind_contextvars, reset_contextvars

from api.middleware.access_log import log_request
from api.middleware.cors import ALLOW_ORIGIN, ANY_ORIGIN, VARY, VARY_ORIGIN, is_preflight
from api.middleware.request_id import HEADER as REQUEST_ID
from api.middleware.request_id import new_request_id, well_formed_request_id
from api.middleware.security import COMMON_HEADERS, DROPPED, html_headers
from api.problems import unexpected_problem

Header = tuple[bytes, bytes]
_REPLACED = frozenset({*DROPPED, *(name for name, _ in COMMON_HEADERS), REQUEST_ID})
"""Response headers the edge removes: those never sent, and those it sets itself."""
_ORIGIN = b"origin"
_CONTENT_TYPE = b"content-type"
_HTML = b"text/html"


def _structlog_var(key: str) -> ContextVar[Any]:
    """The ContextVar behind structlog's context-local `key`: setting it is `bind_contextvars(key=...)`
    at a seventh of the cost (no keyword arguments, no mapping of tokens), found with public API only."""
    tokens = bind_contextvars(**{key: ...})  # `...` is structlog's "unbound"
    reset_contextvars(**tokens)
    return tokens[key].var


_BOUND_REQUEST_ID = _structlog_var("request_id")


def answer_headers(headers: Any, origin: bool, cors: bool) -> tuple[list[Header], bool]:
    """The headers an answer leaves with (all but the request id), and whether it is an HTML page (which
    then waits for api.middleware.security.html_headers).

    With `cors` (any request but a pre-flight) they are those Starlette's CORSMiddleware makes for
    api.middleware.cors.POLICY: `Access-Control-Allow-Origin: *` in place of any the answer has, or
    added, when the request has an `Origin`; then all `Vary` values joined, with `Origin` last, in one
    `Vary` header at the place of the first (or added at the end). Then the security headers.
    """
    out: list[Header] = []
    html = False
    vary: list[bytes] = []
    vary_at = allow_at = -1
    for header in headers:
        name = header[0]
        if cors:
            if name == VARY:
                if vary_at < 0:
                    vary_at = len(out)
                    out.append(header)
                vary.append(header[1])
                continue
            if origin and name == ALLOW_ORIGIN:
                if allow_at < 0:
                    allow_at = len(out)
                    out.append((ALLOW_ORIGIN, ANY_ORIGIN))
                continue
        lowered = name.lower()
        if lowered in _REPLACED:
            continue
        if lowered == _CONTENT_TYPE and header[1].startswith(_HTML):
            html = True
        out.append(header)
    if cors:
        if origin and allow_at < 0:
            out.append((ALLOW_ORIGIN, ANY_ORIGIN))
        vary.append(VARY_ORIGIN)
        joined = (VARY, b", ".join(vary))
        if vary_at < 0:
            out.append(joined)
        else:
            out[vary_at] = joined
    out.extend(COMMON_HEADERS)
    return out, html


class EdgeMiddleware:
    """Request id, CORS headers, security headers, access log and the last word on errors (see above)."""

    def __init__(self, app: ASGIApp, *, access_log: bool = False) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = origin = None
        for name, value in scope["headers"]:
            if name == REQUEST_ID and given is None:
                given = value
            elif name == _ORIGIN and origin is None:
                origin = value
        request_id = well_formed_request_id(given) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        id_header = (REQUEST_ID, request_id.encode("ascii"))
        has_origin = origin is not None
        cors = scope.get("method") != "OPTIONS" or not is_preflight(scope)
        status: int | None = None  # of the answer once its start went out
        sent = 0
        page: Message | None = None  # the start of an HTML page, held until the page is whole
        chunks: list[bytes] = []

        async def edge_send(message: Message) -> None:
            nonlocal status, sent, page
            kind = message["type"]
            if kind == "http.response.start":
                headers, html = answer_headers(message.get("headers", ()), has_origin, cors)
                message["headers"] = headers
                if html:
                    page = message
                    return
                headers.append(id_header)
                status = message["status"]
                await send(message)
                return
            if kind == "http.response.body":
                if page is not None:
                    chunks.append(message.get("body", b""))
                    if message.get("more_body", False):
                        return
                    body = b"".join(chunks)
                    start, page = page, None
                    own = start["headers"]
                    start["headers"] = [*own, *html_headers(scope["path"], own, body), id_header]
                    status = start["status"]
                    await send(start)
                    message = {"type": "http.response.body", "body": body}
                sent += len(message.get("body", b""))
            await send(message)

        bound = _BOUND_REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, edge_send)
        except Exception:
            if status is not None:
                raise
            page = None
            problem = unexpected_problem(scope)  # logs the exception, with the request id
            body = b"" if scope["method"] == "HEAD" else problem.body
            await edge_send({"type": "http.response.start", "status": 500, "headers": problem.raw_headers})
            await edge_send({"type": "http.response.body", "body": body})
        finally:
            if self.access_log:
                log_request(scope, request_id, status or 500, sent, time.perf_counter() - started)
            _BOUND_REQUEST_ID.reset(bound)
