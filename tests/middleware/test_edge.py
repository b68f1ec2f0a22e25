"""The edge middleware: CORS headers exactly as Starlette's CORSMiddleware makes them, and the last word on
errors that escape the application."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send
from structlog.contextvars import get_contextvars

from api.main import create_app
from api.middleware.cors import POLICY
from api.middleware.edge import EdgeMiddleware
from api.problems import PROBLEM_JSON
from api.settings import Settings

Headers = list[tuple[bytes, bytes]]
SUMMARY = "/v1/stats/summary"
ORIGIN = {"Origin": "https://reader.example"}
PREFLIGHT = {**ORIGIN, "Access-Control-Request-Method": "GET"}


# --- CORS: the edge's headers against Starlette's own, on any answer ---------------------------------


def _answering(headers: Headers) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"{}"})

    return app


async def _headers_from(app: Any, request: Headers, method: str = "GET") -> Headers:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/x", "query_string": b"", "headers": request}
    await app(scope, receive, send)
    return [(bytes(name), bytes(value)) for name, value in sent[0]["headers"]]


def _as_before(headers: Headers) -> Headers:
    """What the security and request id middlewares (outside Starlette's CORSMiddleware) made of them."""
    replaced = {b"server", b"set-cookie", b"x-content-type-options", b"referrer-policy", b"x-request-id"}
    kept = [(name, value) for name, value in headers if name.lower() not in replaced]
    common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
    return [*kept, *common, (b"x-request-id", b"id-1")]


ANSWERS: list[Headers] = [
    [],
    [(b"content-type", b"application/json"), (b"content-length", b"2")],
    [(b"etag", b'"e"'), (b"vary", b"Accept"), (b"content-type", b"text/csv")],
    [(b"vary", b"Accept"), (b"content-length", b"2"), (b"vary", b"Accept-Encoding")],
    [(b"Vary", b"Accept"), (b"content-length", b"2")],
    [(b"access-control-allow-origin", b"https://x.example"), (b"vary", b"Origin")],
    [(b"access-control-allow-origin", b"a"), (b"x", b"1"), (b"access-control-allow-origin", b"b")],
    [(b"server", b"x/1"), (b"set-cookie", b"a=b"), (b"x-request-id", b"old"), (b"referrer-policy", b"x")],
]
REQUESTS: list[Headers] = [
    [],
    [(b"origin", b"https://reader.example")],
    [(b"origin", b"")],
    [(b"accept", b"*/*"), (b"origin", b"null"), (b"origin", b"https://second.example")],
]


@pytest.mark.anyio
@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("request_headers", REQUESTS)
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])  # an OPTIONS that is not a pre-flight is simple
async def test_simple_answers_get_the_cors_headers_starlette_gives_them(
    answer: Headers, request_headers: Headers, method: str
) -> None:
    request = [*request_headers, (b"x-request-id", b"id-1")]
    starlette = await _headers_from(CORSMiddleware(_answering(answer), **POLICY), request, method)
    edge = await _headers_from(EdgeMiddleware(_answering(answer)), request, method)
    assert edge == _as_before(starlette)


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url="sqlite://"))) as client:
        yield client


def test_preflight_is_starlettes_answer_with_the_security_headers(app_client: TestClient) -> None:
    response = app_client.options(SUMMARY, headers={**PREFLIGHT, "X-Request-ID": "pre-1"})
    assert response.status_code == 200 and response.text == "OK"
    assert response.headers.raw == [
        (
            b"vary",
            b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
            b"Access-Control-Request-Private-Network",
        ),
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", b"GET, HEAD"),
        (b"access-control-max-age", b"86400"),
        (b"access-control-allow-headers", b"Accept, Accept-Language, Content-Language, Content-Type"),
        (b"content-length", b"2"),
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-request-id", b"pre-1"),
    ]
    refused = app_client.options(SUMMARY, headers={**PREFLIGHT, "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400 and "POST" not in refused.headers["access-control-allow-methods"]


@pytest.mark.parametrize(("headers", "allowed"), [({}, None), (ORIGIN, "*")])
def test_an_answer_says_any_origin_may_read_it_when_asked(
    app_client: TestClient, headers: dict[str, str], allowed: str | None
) -> None:
    response = app_client.get("/healthz", headers=headers)
    assert response.headers.get("access-control-allow-origin") == allowed
    assert response.headers["vary"] == "Origin"
    assert "access-control-allow-credentials" not in response.headers


def test_rate_limited_answers_may_be_read_from_any_origin(migrated_url: str) -> None:
    with TestClient(create_app(Settings(database_url=migrated_url, rate_limit="1/minute"))) as client:
        client.get("/v1", headers=ORIGIN)
        response = client.get("/v1", headers=ORIGIN)
    assert response.status_code == 429
    assert (
        response.headers["access-control-allow-origin"] == "*"
        and response.headers["vary"] == "Accept-Language, Origin"
    )
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["x-request-id"]


# --- An exception that escapes a route ---------------------------------------------------------------


class Failure(Exception):
    pass


SECRET = "connection string postgresql://reader:hunter2@db"


@pytest.fixture(scope="module")
def failing() -> FastAPI:
    """The application with one more route, which raises: a test's route, never the product's."""
    app = create_app(Settings(database_url="sqlite://"))

    @app.get("/test-only/raises")
    async def raises() -> None:
        raise Failure(SECRET)

    return app


class ContextRecorder(logging.Handler):
    """Keeps each record with the structlog context bound when it was logged."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[logging.LogRecord, dict[str, Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record, get_contextvars()))


@pytest.fixture
def recorder() -> Iterator[ContextRecorder]:
    handler = ContextRecorder()
    logger = logging.getLogger("api.problems")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_unhandled_error_is_a_secured_500_problem_without_a_trace(
    failing: FastAPI, recorder: ContextRecorder, method: str
) -> None:
    with TestClient(failing) as client:  # raises if the error reached the test client
        response = client.request(method, "/test-only/raises", headers={**ORIGIN, "X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-request-id"] == "boom-1"
    assert response.headers["access-control-allow-origin"] == "*"
    if method == "HEAD":
        assert response.content == b""
    else:
        assert response.json() == {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "An unexpected error occurred.",
            "instance": "/test-only/raises",
        }
        for leak in ("Traceback", "Failure", "hunter2", 'File "', "raises()"):
            assert leak not in response.text
    (record, context) = recorder.seen[-1]
    assert record.levelno == logging.ERROR and record.exc_info and record.exc_info[0] is Failure
    assert context == {"request_id": "boom-1"}


def test_the_500_is_in_the_access_log(failing: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(failing) as client, caplog.at_level(logging.INFO, logger="api.access"):
        response = client.get("/test-only/raises")
    (record,) = [r for r in caplog.records if r.name == "api.access"]
    assert record.levelno == logging.ERROR and vars(record)["status"] == 500
    assert vars(record)["request_id"] == response.headers["x-request-id"]
    assert vars(record)["bytes"] == len(response.content)


async def _fails_midway(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
    await send({"type": "http.response.body", "body": b"a,b\n", "more_body": True})
    raise Failure("half-way")


def test_an_error_after_the_answer_started_is_not_covered_up() -> None:
    client = TestClient(EdgeMiddleware(_fails_midway))  # no `with`: the app has no lifespan
    with pytest.raises(Failure):
        client.get("/x")
