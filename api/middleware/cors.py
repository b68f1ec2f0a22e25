"""CORS: any origin may read every answer (GET and HEAD, no credentials), as Starlette's CORSMiddleware says.

The policy is POLICY, the options of Starlette's CORSMiddleware. It is applied in two places:

* pre-flight requests (OPTIONS with `Origin` and `Access-Control-Request-Method`) are answered by
  Starlette's CORSMiddleware itself, through PreflightMiddleware, which lets every other request
  straight through;
* on every other answer EdgeMiddleware (api/middleware/edge.py) adds, in the pass it makes over the
  headers anyway, what Starlette's CORSMiddleware adds for this policy: `Access-Control-Allow-Origin: *`
  when the request has an `Origin`, and `Origin` at the end of `Vary` always (one `Vary` header, at the
  place of the first). tests/middleware/test_edge.py compares the two.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

POLICY: dict[str, Any] = {
    "allow_origins": ["*"],
    "allow_methods": ["GET", "HEAD"],
    "allow_credentials": False,
    "max_age": 86400,
}
ALLOW_ORIGIN = b"access-control-allow-origin"
ANY_ORIGIN = b"*"
VARY = b"vary"
VARY_ORIGIN = b"Origin"

_STARLETTE = CORSMiddleware(None, **POLICY)  # type: ignore[arg-type]
if not _STARLETTE.allow_all_origins or _STARLETTE.simple_headers != {"Access-Control-Allow-Origin": "*"}:
    # The edge's share of the work mirrors Starlette for this shape of policy only.
    raise RuntimeError("EdgeMiddleware adds the CORS headers of any origin without credentials only")


def is_preflight(scope: Scope) -> bool:
    """Whether Starlette's CORSMiddleware would answer this request as a pre-flight."""
    if scope["method"] != "OPTIONS":
        return False
    headers = Headers(scope=scope)
    return "origin" in headers and "access-control-request-method" in headers


class PreflightMiddleware:
    """Starlette's CORSMiddleware (with POLICY) for pre-flight requests; anything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **POLICY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_preflight(scope):
            await self.cors(scope, receive, send)  # answers the pre-flight itself, never calls the app
            return
        await self.app(scope, receive, send)
