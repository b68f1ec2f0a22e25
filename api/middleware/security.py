"""Security headers on every response the application sends.

* `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere;
* a strict Content-Security-Policy on HTML that has none of its own: nothing loads from anywhere
  but this origin, and inline `<script>` and `<style>` blocks run only if their SHA-256 is in the
  policy (computed here from the page itself, so pages need no nonce plumbing). Embeds
  (`/embed/...`) may be framed by any site (`frame-ancestors *`); every other page by none. The
  interactive docs (`/docs`, `/redoc`) load their packaged scripts from this origin too; ReDoc alone
  may add `<style>` blocks at run time (its styled-components cannot work otherwise) and start its
  search worker from a `blob:` URL — never a script from anywhere but this origin;
* no `Server` header and no `Set-Cookie` from the application (uvicorn's own `Server` header is off
  in `prisoners-api serve`).

EdgeMiddleware (api/middleware/edge.py) applies them to every answer, pre-flight, rate-limit and error
answers included; it holds an HTML page until its last byte to hash its blocks (decompressing a
gzipped one), which costs nothing as pages are small.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
DROPPED = frozenset({b"server", b"set-cookie"})
"""Response headers the application never sends (compared lower-cased)."""
_REDOC = "/redoc"
_INLINE = re.compile(rb"<(script|style)(?P<attributes>[^>]*)>(?P<body>.*?)</\1>", re.DOTALL | re.IGNORECASE)


def content_security_policy(path: str, html: bytes) -> str:
    """The policy of one HTML page: its own inline blocks by hash, framing only for embeds."""
    scripts: list[str] = []
    styles: list[str] = []
    for match in _INLINE.finditer(html):
        if b"application/ld+json" in match["attributes"]:
            continue  # data, never executed
        digest = base64.b64encode(hashlib.sha256(match["body"]).digest()).decode("ascii")
        (scripts if match[1].lower() == b"script" else styles).append(f"'sha256-{digest}'")
    if path == _REDOC:
        styles = ["'unsafe-inline'"]  # a hash beside it would turn 'unsafe-inline' off
    framing = "*" if path.startswith("/embed/") else "'none'"
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {' '.join(scripts)}".rstrip(),
            f"style-src 'self' {' '.join(styles)}".rstrip(),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            *(["worker-src blob:"] if path == _REDOC else []),
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {framing}",
        ]
    )


def html_headers(path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> list[tuple[bytes, bytes]]:
    """What a whole HTML page gets on top of COMMON_HEADERS: its policy, and X-Frame-Options outside embeds.

    `headers` are the page's own (a page may bring its own, stricter policy, or its own framing rule).
    """
    names = {name.lower() for name, _ in headers}
    extra = []
    if b"content-security-policy" not in names:
        page = gzip.decompress(body) if _is_gzip(headers) else body
        extra.append((b"content-security-policy", content_security_policy(path, page).encode("ascii")))
    if not path.startswith("/embed/") and b"x-frame-options" not in names:
        extra.append((b"x-frame-options", b"DENY"))
    return extra


def _is_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-encoding" and b"gzip" in value for name, value in headers)
