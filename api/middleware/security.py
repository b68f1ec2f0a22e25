"""Security headers on every response the application sends, as one pure ASGI middleware.

* `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere;
* a strict Content-Security-Policy on HTML that has none of its own: nothing loads from anywhere
  but this origin, and inline `<script>` and `<style>` blocks run only if their SHA-256 is in the
  policy (computed here from the page itself, so pages need no nonce plumbing). Embeds
  (`/embed/...`) may be framed by any site (`frame-ancestors *`); every other page by none. The
  interactive docs (`/docs`) load Swagger UI from its CDN, the one external source allowed there;
* no `Server` header and no `Set-Cookie` from the application (uvicorn's own `Server` header is off
  in `prisoners-api serve`).

The middleware sits outside CORS (so pre-flight answers get the headers too); it reads HTML pages
(decompressing a gzipped one to hash its blocks), which are small, so buffering them costs nothing.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_DROPPED = {b"server", b"set-cookie"}
_INLINE = re.compile(rb"<(script|style)(?P<attributes>[^>]*)>(?P<body>.*?)</\1>", re.DOTALL | re.IGNORECASE)
_DOCS_CDN = "https://cdn.jsdelivr.net"
_DOCS_PATHS = ("/docs", "/redoc")


def content_security_policy(path: str, html: bytes) -> str:
    """The policy of one HTML page: its own inline blocks by hash, framing only for embeds."""
    scripts: list[str] = []
    styles: list[str] = []
    for match in _INLINE.finditer(html):
        if b"application/ld+json" in match["attributes"]:
            continue  # data, never executed
        digest = base64.b64encode(hashlib.sha256(match["body"]).digest()).decode("ascii")
        (scripts if match[1].lower() == b"script" else styles).append(f"'sha256-{digest}'")
    external = f" {_DOCS_CDN}" if path.startswith(_DOCS_PATHS) else ""
    framing = "*" if path.startswith("/embed/") else "'none'"
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self'{external} {' '.join(scripts)}".rstrip(),
            f"style-src 'self'{external} {' '.join(styles)}".rstrip(),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {framing}",
        ]
    )


def secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` without Server and Set-Cookie, with the headers every response carries."""
    names = {name for name, _ in COMMON_HEADERS}
    kept = [(n, v) for n, v in headers if n.lower() not in _DROPPED and n.lower() not in names]
    return [*kept, *COMMON_HEADERS]


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_secured(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                message["headers"] = secured(list(message.get("headers", [])))
                if not _is_html(message["headers"]):
                    await send(message)
                    return
                start = message  # hold it until the whole page is known
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            names = {name.lower() for name, _ in start["headers"]}
            extra = []
            if b"content-security-policy" not in names:  # a page may bring its own, stricter policy
                page = gzip.decompress(body) if _is_gzip(start["headers"]) else body
                policy = content_security_policy(scope["path"], page).encode("ascii")
                extra.append((b"content-security-policy", policy))
            if not scope["path"].startswith("/embed/") and b"x-frame-options" not in names:
                extra.append((b"x-frame-options", b"DENY"))
            start["headers"] = [*start["headers"], *extra]
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_secured)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _is_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-encoding" and b"gzip" in value for name, value in headers)
