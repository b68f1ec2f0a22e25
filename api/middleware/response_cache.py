"""A bounded in-process cache of finished responses that answers before routing.

A release never changes, so a release-pinned answer (`Cache-Control: ... immutable`) is the same bytes
for as long as the process lives: replaying the stored start message and body skips routing, parameter
checks and rendering, which are the whole cost of a warm request. Responses that may move (`latest`,
`public, max-age=N` without `immutable`) are kept for a few seconds only, so a new release shows within
that bound after the service notices it.

Entries are keyed like an HTTP cache's (RFC 9111): the method-independent canonical URL (path, query
parameters sorted by name; not the scheme or Host, from which no answer is built: absolute URLs come
from the public base URL setting, api/middleware/hosts.py) and the values of the request headers the
response names in `Vary` (for this API, `Accept`, which picks JSON or CSV), plus `Accept-Encoding`
always. The middleware sits outside compression, so a hit replays bytes already compressed for that
`Accept-Encoding` (gzip runs once per entry, not per request), and inside CORS, security headers and
rate limits, so those still run on every answer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_ENTRIES = 2048
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_VARIANTS = 8
"""Variants kept per URL (one per distinct value of the `Vary` headers): a flood of odd `Accept`
values then evicts only that URL's own variants."""
DEFAULT_MUTABLE_SECONDS = 5.0
"""How long an answer without `immutable` (e.g. `release=latest`) is replayed: bounded, and short."""

NOT_MODIFIED_HEADERS = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary"}
)
"""What a 304 repeats of the 200 it stands for (RFC 9110, section 15.4.5)."""

Headers = list[tuple[bytes, bytes]]
RequestHeaders = dict[bytes, bytes]
ALWAYS_VARY = (b"accept-encoding",)
"""Part of every key: entries hold bodies as compression (outside the cache's view) left them."""
UrlKey = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Entry:
    """One stored response: its headers and body exactly as the application sent them."""

    vary: tuple[bytes, ...]
    variant: tuple[bytes | None, ...]
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes | None
    expires: float | None
    """time.monotonic() after which the entry is stale; None when immutable."""

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)


def canonical_url(scope: Scope) -> UrlKey:
    """(path, query pairs sorted by name): equal for requests the app cannot tell apart."""
    return scope["path"], _sorted_query(scope["query_string"])


def _sorted_query(query_string: bytes) -> tuple[tuple[str, str], ...]:
    known = _QUERIES.get(query_string)
    if known is None:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        pairs.sort(key=lambda pair: pair[0])  # stable: repeated names keep their order
        if len(_QUERIES) >= MAX_PARSED_QUERIES:
            _QUERIES.clear()
        known = _QUERIES[query_string] = tuple(pairs)
    return known


MAX_PARSED_QUERIES = 4096
_QUERIES: dict[bytes, tuple[tuple[str, str], ...]] = {}
"""Parsed query strings: a popular URL is parsed once, not on every request (cleared when full)."""


def request_headers(scope: Scope) -> RequestHeaders:
    """The request's headers by (lower-case) name; of a repeated header, the last."""
    return dict(scope["headers"])  # ASGI servers give names lower-cased, as bytes


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison, as for GET (RFC 9110, section 13.1.2): `W/` is ignored, `*` matches anything."""
    if if_none_match == etag:
        return True  # the common case: a client sending back the one ETag it was given
    candidates = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return b"*" in candidates or etag.removeprefix(b"W/") in candidates


def _directives(headers: Headers) -> tuple[set[str], int | None] | None:
    """Cache-Control directives and max-age of a response; None when it must not be stored."""
    values = [value for name, value in headers if name == b"cache-control"]
    if len(values) != 1 or any(name == b"set-cookie" for name, _ in headers):
        return None
    directives = {part.strip().lower() for part in values[0].decode("latin-1").split(",")}
    if not {"public", "immutable"} & directives or {"private", "no-store", "no-cache"} & directives:
        return None
    max_age = next((d.removeprefix("max-age=") for d in directives if d.startswith("max-age=")), None)
    return directives, int(max_age) if max_age and max_age.isdigit() else None


def _vary(headers: Headers) -> tuple[bytes, ...] | None:
    """Lower-cased names the response varies on; None for `Vary: *` (never stored)."""
    names: list[bytes] = []
    for name, value in headers:
        if name == b"vary":
            names += [part.strip().lower() for part in value.split(b",") if part.strip()]
    return None if b"*" in names else tuple(sorted({*names, *ALWAYS_VARY}))


class ResponseCache:
    """An LRU of entries bounded in number and bytes; several variants may share one URL."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._urls: OrderedDict[UrlKey, list[Entry]] = OrderedDict()
        self.entries = 0
        self.bytes = 0

    def clear(self) -> None:
        self._urls.clear()
        self.entries = self.bytes = 0

    def lookup(self, url: UrlKey, headers: RequestHeaders, now: float) -> Entry | None:
        variants = self._urls.get(url)
        if not variants:
            return None
        for entry in variants:
            if tuple(headers.get(name) for name in entry.vary) == entry.variant:
                if entry.expires is not None and now >= entry.expires:
                    self._remove(url, entry)
                    return None
                self._urls.move_to_end(url)
                return entry
        return None

    def store(self, url: UrlKey, entry: Entry) -> None:
        variants = self._urls.setdefault(url, [])
        for old in [e for e in variants if e.vary == entry.vary and e.variant == entry.variant]:
            self._remove(url, old)
            variants = self._urls.setdefault(url, [])
        if len(variants) >= MAX_VARIANTS:
            self._remove(url, variants[0])
            variants = self._urls.setdefault(url, [])
        variants.append(entry)
        self._urls.move_to_end(url)
        self.entries += 1
        self.bytes += entry.size
        while self._urls and (self.entries > self.max_entries or self.bytes > self.max_bytes):
            oldest = next(iter(self._urls))
            for stale in list(self._urls[oldest]):
                self._remove(oldest, stale)

    def _remove(self, url: UrlKey, entry: Entry) -> None:
        variants = self._urls[url]
        variants.remove(entry)
        self.entries -= 1
        self.bytes -= entry.size
        if not variants:
            del self._urls[url]


class ResponseCacheMiddleware:
    """Replays stored GET/HEAD 200 answers and answers `If-None-Match` revalidations with a 304."""

    def __init__(
        self,
        app: ASGIApp,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
        mutable_seconds: float = DEFAULT_MUTABLE_SECONDS,
    ) -> None:
        self.app = app
        self.cache = ResponseCache(max_entries, max_bytes)
        self.max_entry_bytes = max_entry_bytes
        self.mutable_seconds = mutable_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        url = canonical_url(scope)
        entry = self.cache.lookup(url, headers, time.monotonic())
        if entry is not None:
            await self._replay(entry, headers, send)
            return
        if scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._recorder(url, headers, send))

    async def _replay(self, entry: Entry, headers: RequestHeaders, send: Send) -> None:
        if_none_match = headers.get(b"if-none-match")
        if if_none_match is not None and entry.etag is not None and etag_matches(if_none_match, entry.etag):
            kept = [(name, value) for name, value in entry.headers if name.lower() in NOT_MODIFIED_HEADERS]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        # A fresh list each time: outer middleware may append to it in place.
        await send({"type": "http.response.start", "status": 200, "headers": list(entry.headers)})
        await send({"type": "http.response.body", "body": entry.body})

    def _recorder(self, url: UrlKey, request: RequestHeaders, send: Send) -> Send:
        """A `send` that passes every message on and stores the response when it qualifies."""
        headers: Headers | None = None
        chunks: list[bytes] = []
        size = 0

        async def recording_send(message: Message) -> None:
            nonlocal headers, size
            if message["type"] == "http.response.start" and message["status"] == 200:
                # A copy taken now: outer middleware may change the message's header list in place.
                headers = [(bytes(name), bytes(value)) for name, value in message.get("headers", [])]
            elif message["type"] == "http.response.body" and headers is not None:
                body = message.get("body", b"")
                size += len(body)
                chunks.append(body)
                if size > self.max_entry_bytes:
                    headers = None
                    chunks.clear()
                elif not message.get("more_body", False):
                    self._store(url, request, headers, b"".join(chunks))
            await send(message)

        return recording_send

    def _store(self, url: UrlKey, request: RequestHeaders, headers: Headers, body: bytes) -> None:
        lowered = [(name.lower(), value) for name, value in headers]
        directives = _directives(lowered)
        vary = _vary(lowered)
        if directives is None or vary is None:
            return
        names, max_age = directives
        expires = None
        if "immutable" not in names:
            if not max_age:
                return
            expires = time.monotonic() + min(float(max_age), self.mutable_seconds)
        etag = next((value for name, value in lowered if name == b"etag"), None)
        entry = Entry(
            vary=vary,
            variant=tuple(request.get(name) for name in vary),
            headers=tuple(headers),
            body=body,
            etag=etag,
            expires=expires,
        )
        self.cache.store(url, entry)
