"""The Host a request names: checked, then replaced by the public base URL's, pure ASGI.

* More than one Host header is 400 problem+json (RFC 9112, section 3.2). Servers pass both on, and a
  cache keyed on one while the page is built from the other is how a cache gets poisoned.
* A host that is not allowed (`allowed_hosts`, plus the host of `public_base_url`) is 400 problem+json,
  as Starlette's TrustedHostMiddleware would answer in plain text. Probes (`/healthz`, `/readyz`) answer
  whatever one host an orchestrator dials them by.
* Then the scope's scheme and Host become those of `public_base_url`, so what Starlette builds from them
  (`request.base_url`, the trailing-slash redirect) names the public address, never a client's words.
  Routes build their absolute URLs from the setting itself (api/routes/common.py, `public_base`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import ProblemError, send_problem
from api.translations import Sentence

_HOST = b"host"
PROBE_PATHS = ("/healthz", "/readyz")


def host_name(value: str) -> str:
    """The host of a Host header value, lower case, without port (and an IPv6 address without brackets)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether `name` matches one of `patterns`: an exact name, `*.domain` (its subdomains) or `*`."""
    return any(
        pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
        for pattern in patterns
    )


class HostsMiddleware:
    def __init__(self, app: ASGIApp, *, public_base_url: str, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = allowed
        public = urlsplit(public_base_url)
        self.scheme = public.scheme
        self.host = public.netloc.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [value for name, value in scope["headers"] if name == _HOST]
        if len(hosts) > 1:
            await send_problem(send, scope, _bad_host(Sentence("problem.two_hosts", {"count": len(hosts)})))
            return
        name = host_name(hosts[0].decode("latin-1")) if hosts else ""
        if not scope["path"].startswith(PROBE_PATHS) and not host_allowed(name, self.allowed):
            allowed = ", ".join(self.allowed)
            detail = Sentence("problem.host_not_served", {"host": name[:100], "allowed": allowed})
            await send_problem(send, scope, _bad_host(detail))
            return
        headers = [(n, v) for n, v in scope["headers"] if n != _HOST] + [(_HOST, self.host)]
        await self.app({**scope, "scheme": self.scheme, "headers": headers}, receive, send)


def _bad_host(detail: Sentence) -> ProblemError:
    return ProblemError(400, detail, problem_type="/problems/bad-host")
