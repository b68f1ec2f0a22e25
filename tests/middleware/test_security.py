"""Security headers on every response, a strict policy on HTML, no cookies, no Server header."""

from __future__ import annotations

import base64
import gzip
import hashlib

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from api.middleware.edge import EdgeMiddleware
from api.middleware.security import content_security_policy

PATHS = [
    "/",
    "/v1",
    "/v1/stats/summary",
    "/v1/stats/breakdown?by=gender&format=csv",
    "/docs",
    "/nope",
    "/healthz",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_headers_and_no_cookie_or_server(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "server" not in response.headers and "set-cookie" not in response.headers


def test_errors_and_preflight_have_the_headers(client: TestClient) -> None:
    preflight = client.options(
        "/v1/stats/summary", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"}
    )
    for response in (preflight, client.delete("/v1/stats/summary"), client.get("/v1/stats/summary?x=1")):
        assert response.headers["x-content-type-options"] == "nosniff"


def test_html_pages_forbid_framing_and_everything_external(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy.replace("https://schema.org", "")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_load_nothing_from_another_origin(client: TestClient, path: str) -> None:
    policy = client.get(path).headers["content-security-policy"]
    assert not [word for part in policy.split(";") for word in part.split() if word.startswith("http")]
    assert "frame-ancestors 'none'" in policy


def test_only_redoc_may_write_styles_and_start_a_worker_at_run_time(client: TestClient) -> None:
    redoc, swagger = (client.get(path).headers["content-security-policy"] for path in ("/redoc", "/docs"))
    assert "style-src 'self' 'unsafe-inline';" in redoc and "worker-src blob:" in redoc
    assert "unsafe" not in swagger and "blob:" not in swagger
    assert "unsafe" not in redoc.split("style-src")[0]  # never for scripts


def test_policy_allows_exactly_the_inline_blocks_of_the_page() -> None:
    page = b"<style>p{}</style><script>go()</script><script type='application/ld+json'>{}</script>"
    policy = content_security_policy("/embed/x", page)

    def digest(text: bytes) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text).digest()).decode() + "'"

    assert digest(b"go()") in policy and digest(b"p{}") in policy and digest(b"{}") not in policy
    assert "frame-ancestors *" in policy


async def _html_app(scope: Scope, receive: Receive, send: Send) -> None:
    body = gzip.compress(b"<html><script>x()</script></html>")
    headers = [(b"content-type", b"text/html"), (b"content-encoding", b"gzip"), (b"set-cookie", b"a=b")]
    await send({"type": "http.response.start", "status": 200, "headers": [*headers, (b"server", b"x/1")]})
    await send({"type": "http.response.body", "body": body[:5], "more_body": True})
    await send({"type": "http.response.body", "body": body[5:]})


@pytest.mark.anyio
async def test_a_gzipped_page_sent_in_pieces_is_hashed_and_passed_through() -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/page", "headers": []}
    await EdgeMiddleware(_html_app)(scope, receive, send)
    headers = dict(sent[0]["headers"])
    assert b"sha256-" in headers[b"content-security-policy"] and headers[b"x-frame-options"] == b"DENY"
    assert b"set-cookie" not in headers and b"server" not in headers
    assert (
        gzip.decompress(b"".join(m.get("body", b"") for m in sent[1:]))
        == b"<html><script>x()</script></html>"
    )
