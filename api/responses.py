"""HTTP representations of immutable data: strong ETags, 304s, cache headers, a bounded memory cache.

Release-pinned URLs never change, so their bytes are cached forever in the process and by clients
(`immutable`); `latest` may move to a new release, so clients keep it only `latest_max_age` seconds.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from api.lru import BoundedLRU
from api.middleware.etag import SUFFIX
from api.problems import RETRY_AFTER_SECONDS, ProblemError
from api.translations import Sentence

IMMUTABLE = "public, max-age=31536000, immutable"
FLIGHT_SECONDS = 120
"""Longest a request waits for another one building the same representation."""
MAX_WAITERS = 8
"""Requests that may wait for one build; more would each hold a server thread the JSON needs, so they
are refused (503 with `Retry-After`) instead."""


@dataclass(frozen=True)
class Representation:
    """Bytes of one response body with their media type and extra headers."""

    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class RepresentationCache:
    """An LRU of representations keyed by their canonical request, bounded in entries and in bytes."""

    def __init__(self, size: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._items: BoundedLRU[tuple[object, ...], Representation] = BoundedLRU(
            size, max_bytes, lambda representation: len(representation.body)
        )
        self._flights: dict[tuple[object, ...], Future[Representation]] = {}
        self._waiters: Counter[tuple[object, ...]] = Counter()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get_or_build(self, key: tuple[object, ...], build: Callable[[], Representation]) -> Representation:
        """The cached representation, or the one `build` makes. Single flight: while one request
        builds a key, others asking for it wait for those bytes (or its error) instead of building."""
        with self._lock:
            cached = self._items.get(key)
            if cached is not None:
                return cached
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = Future()
            elif self._waiters[key] >= MAX_WAITERS:
                raise ProblemError(
                    503,
                    Sentence("problem.representation_busy"),
                    problem_type="/problems/renderers-busy",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            else:
                self._waiters[key] += 1
        if not leader:
            try:
                return flight.result(timeout=FLIGHT_SECONDS)
            finally:
                with self._lock:
                    self._waiters[key] -= 1
                    if not self._waiters[key]:
                        del self._waiters[key]
        try:
            built = build()
        except BaseException as error:
            flight.set_exception(error)
            raise
        finally:
            with self._lock:
                del self._flights[key]
        flight.set_result(built)
        self._items.put(key, built)
        return built


def _matching_etag(request: Request, etag: str) -> str | None:
    """The tag of `If-None-Match` that names this representation (weak comparison), if any: `etag`
    itself, or its gzip twin (api.middleware.etag), which the 304 then carries back."""
    header = request.headers.get("if-none-match")
    if not header:
        return None
    twin = etag[:-1] + SUFFIX + '"'
    for tag in (candidate.strip() for candidate in header.split(",")):
        if tag == "*":
            return etag
        if tag.removeprefix("W/") in (etag, twin):
            return tag.removeprefix("W/")
    return None


def respond(
    request: Request, representation: Representation, *, pinned: bool, latest_max_age: int
) -> Response:
    """A 200 with the body, or a 304 when the client already has these bytes."""
    headers = {
        "ETag": representation.etag,
        "Cache-Control": IMMUTABLE if pinned else f"public, max-age={latest_max_age}",
        "Vary": "Accept",
        **representation.headers,
    }
    matched = _matching_etag(request, representation.etag)
    if matched is not None:
        kept = {k: v for k, v in headers.items() if k in {"ETag", "Cache-Control", "Vary"}}
        return Response(status_code=304, headers={**kept, "ETag": matched})
    return Response(representation.body, media_type=representation.media_type, headers=headers)
