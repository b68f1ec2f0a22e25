"""The response cache: replays are the application's own bytes, and only what may be replayed is kept."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.main import create_app
from api.middleware.etag import CompressedETagMiddleware
from api.middleware.response_cache import ResponseCacheMiddleware, canonical_url
from api.settings import Settings

RELEASE = "demo-2026-03"
PINNED = f"/v1/stats/breakdown?release={RELEASE}&by=region"
PER_REQUEST = {"x-request-id"}
"""Headers that must differ between two answers: the outer EdgeMiddleware numbers every request."""


@pytest.fixture
def app(migrated_url: str) -> FastAPI:
    return create_app(Settings(database_url=migrated_url, access_log=False))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def cache_of(app: FastAPI) -> ResponseCacheMiddleware:
    layer: object = app.middleware_stack
    while not isinstance(layer, ResponseCacheMiddleware):
        layer = getattr(layer, "app")  # noqa: B009 - every middleware keeps the next one as `.app`
    return layer


def same_answer(
    first: httpx.Response, second: httpx.Response, differing: frozenset[str] = frozenset()
) -> None:
    assert second.status_code == first.status_code
    assert second.content == first.content
    ignored = PER_REQUEST | differing
    kept = [(k, v) for k, v in first.headers.multi_items() if k not in ignored]
    assert [(k, v) for k, v in second.headers.multi_items() if k not in ignored] == kept


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (PINNED, {}),
        (f"{PINNED}&format=csv", {}),
        (PINNED, {"Accept": "text/csv"}),
        (f"/v1/stats/summary?release={RELEASE}", {}),
        ("/v1/stats/summary", {}),
    ],
)
def test_a_replay_is_byte_identical_to_the_application_answer(
    app: FastAPI, client: TestClient, url: str, headers: dict[str, str]
) -> None:
    first = client.get(url, headers=headers)
    second = client.get(url, headers=headers)
    assert first.status_code == 200 and cache_of(app).cache.entries == 1
    same_answer(first, second)


def test_a_replay_is_not_routed(app: FastAPI, client: TestClient) -> None:
    client.get(PINNED)
    app.router.routes.clear()  # any request that reached routing would now be a 404
    assert client.get(PINNED).status_code == 200


def test_rate_limits_and_security_headers_apply_to_replays(migrated_url: str) -> None:
    app = create_app(Settings(database_url=migrated_url, access_log=False, rate_limit="3/minute"))
    with TestClient(app) as client:
        answers = [client.get(PINNED) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert cache_of(app).cache.entries == 1  # the second and third came from the cache
    assert all(answer.headers["x-content-type-options"] == "nosniff" for answer in answers)


def test_every_answer_gets_its_own_request_id(client: TestClient) -> None:
    ids = {client.get(PINNED).headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


def test_304_from_the_cache_equals_the_application_304(app: FastAPI, client: TestClient) -> None:
    full = client.get(PINNED)
    from_cache = client.get(PINNED, headers={"If-None-Match": full.headers["etag"]})
    cache_of(app).cache.clear()  # the next answer is the application's own
    from_app = client.get(PINNED, headers={"If-None-Match": full.headers["etag"]})
    assert from_cache.status_code == 304 and from_cache.content == b""
    # Vary differs, rightly: a 304 carries the Vary of the 200 it stands for (RFC 9110, 15.4.5), and
    # gzip adds Accept-Encoding to that 200, but not to the application's own (empty) 304.
    assert from_cache.headers["vary"] == full.headers["vary"] == "Accept, Accept-Encoding, Origin"
    same_answer(from_app, from_cache, differing=frozenset({"vary"}))


def test_a_stale_etag_gets_the_full_answer(client: TestClient) -> None:
    client.get(PINNED)
    assert client.get(PINNED, headers={"If-None-Match": '"other"'}).status_code == 200


def test_each_accept_value_is_its_own_entry(app: FastAPI, client: TestClient) -> None:
    csv = client.get(PINNED, headers={"Accept": "text/csv"})
    json = client.get(PINNED, headers={"Accept": "application/json"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert json.headers["content-type"] == "application/json"
    assert client.get(PINNED, headers={"Accept": "text/csv"}).content == csv.content
    assert cache_of(app).cache.entries == 2


def test_the_order_of_query_parameters_does_not_matter(app: FastAPI, client: TestClient) -> None:
    first = client.get(f"/v1/stats/breakdown?by=region&release={RELEASE}")
    same_answer(first, client.get(PINNED))
    assert cache_of(app).cache.entries == 1


def test_gzip_still_applies_to_replays(client: TestClient) -> None:
    plain = client.get(PINNED, headers={"Accept-Encoding": "identity"})
    zipped = client.get(PINNED, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes it
    assert "content-encoding" not in plain.headers


@pytest.mark.parametrize(
    "url",
    [
        f"/v1/stats/breakdown?release={RELEASE}&by=nothing",
        "/v1/stats/breakdown?release=no-such-release&by=region",
        "/v1/no-such-path",
    ],
)
def test_errors_are_never_kept(app: FastAPI, client: TestClient, url: str) -> None:
    assert client.get(url).status_code >= 400
    assert cache_of(app).cache.entries == 0


def test_other_methods_are_never_kept_nor_answered(app: FastAPI, client: TestClient) -> None:
    client.get(PINNED)
    assert client.post(PINNED).status_code == 405
    assert cache_of(app).cache.entries == 1


def test_head_is_answered_from_a_stored_get(client: TestClient) -> None:
    get = client.get(PINNED)
    head = client.head(PINNED)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]


def test_only_compression_is_inside_the_cache(app: FastAPI) -> None:
    # user_middleware lists the outermost first: security headers, rate limits, logs and CORS wrap it.
    inner: list[object] = [middleware.cls for middleware in app.user_middleware[-3:]]
    assert inner == [ResponseCacheMiddleware, CompressedETagMiddleware, GZipMiddleware]


def test_each_accept_encoding_is_its_own_entry(app: FastAPI, client: TestClient) -> None:
    zipped = client.get(PINNED, headers={"Accept-Encoding": "gzip"})
    plain = client.get(PINNED, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    same_answer(zipped, client.get(PINNED, headers={"Accept-Encoding": "gzip"}))
    assert cache_of(app).cache.entries == 2


# --- The policy, on a small application whose answers a test chooses ---------------------------------


class Scripted:
    """An ASGI app answering every request with `headers` and `body`, counting the calls."""

    def __init__(self, headers: list[tuple[bytes, bytes]], status: int = 200, chunks: int = 1) -> None:
        self.headers, self.status, self.chunks, self.calls = headers, status, chunks, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        for index in range(self.chunks):
            more = index < self.chunks - 1
            await send({"type": "http.response.body", "body": scope["path"].encode(), "more_body": more})


IMMUTABLE = [(b"cache-control", b"public, max-age=31536000, immutable"), (b"etag", b'"e"')]


def calls_after_two_gets(inner: Scripted, **options: float) -> int:
    app: ASGIApp = ResponseCacheMiddleware(inner, **options)  # type: ignore[arg-type]
    client = TestClient(app)  # no `with`: the scripted app has no lifespan
    client.get("/x")
    client.get("/x")
    return inner.calls


@pytest.mark.parametrize(
    "headers",
    [
        [(b"cache-control", b"private, max-age=60")],
        [(b"cache-control", b"no-store")],
        [(b"cache-control", b"public, max-age=0")],
        [*IMMUTABLE, (b"set-cookie", b"a=b")],
        [*IMMUTABLE, (b"vary", b"*")],
        [],
    ],
)
def test_answers_that_must_not_be_replayed_are_not_kept(headers: list[tuple[bytes, bytes]]) -> None:
    assert calls_after_two_gets(Scripted(headers)) == 2


def test_immutable_answers_are_kept() -> None:
    assert calls_after_two_gets(Scripted(IMMUTABLE)) == 1


def test_mutable_answers_are_kept_for_a_bounded_time() -> None:
    headers = [(b"cache-control", b"public, max-age=300")]
    assert calls_after_two_gets(Scripted(headers), mutable_seconds=60) == 1
    assert calls_after_two_gets(Scripted(headers), mutable_seconds=0) == 2


def test_answers_larger_than_an_entry_may_be_are_streamed_but_not_kept() -> None:
    assert calls_after_two_gets(Scripted(IMMUTABLE, chunks=3), max_entry_bytes=4) == 2
    assert calls_after_two_gets(Scripted(IMMUTABLE, chunks=3), max_entry_bytes=100) == 1


def test_the_cache_is_bounded_in_entries_and_bytes() -> None:
    middleware = ResponseCacheMiddleware(Scripted(IMMUTABLE), max_entries=3, max_bytes=10_000)
    client = TestClient(middleware)
    for number in range(10):
        client.get(f"/{number}")
    assert middleware.cache.entries == 3
    small = ResponseCacheMiddleware(Scripted(IMMUTABLE), max_entries=100, max_bytes=200)
    client = TestClient(small)
    for number in range(10):
        client.get(f"/{number}")
    assert 0 < small.cache.bytes <= 200 and small.cache.entries < 10


def test_canonical_url_sorts_parameters_by_name_only() -> None:
    def url(query: bytes) -> object:
        return canonical_url({"scheme": "http", "path": "/p", "query_string": query})

    assert url(b"b=1&a=2") == url(b"a=2&b=1")
    assert url(b"a=1&a=2") != url(b"a=2&a=1")
