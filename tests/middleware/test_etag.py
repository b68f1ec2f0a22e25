"""A strong ETag per representation: the gzip bytes of an answer have their own tag, and revalidating
either copy gets a 304 carrying the tag the client holds — through the response cache or the routes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.middleware.etag import compressed_etag
from api.settings import Settings

PINNED = "/v1/stats/breakdown?release=demo-2026-03&by=region,gender"  # well over gzip's 1 KiB minimum
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def fresh(migrated_url: str) -> TestClient:
    """An app with an empty response cache, so the first request of a test reaches the routes."""
    return TestClient(create_app(Settings(database_url=migrated_url)))


def test_the_gzip_bytes_have_their_own_strong_tag(fresh: TestClient) -> None:
    zipped = fresh.get(PINNED, headers=GZIP)
    plain = fresh.get(PINNED, headers=IDENTITY)
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.content == plain.content  # httpx decodes: the same data in two codings
    assert plain.headers["etag"].startswith('"') and zipped.headers["etag"].startswith('"')
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'


@pytest.mark.parametrize("headers", [GZIP, IDENTITY], ids=["gzip", "identity"])
def test_revalidating_either_copy_returns_its_own_tag(migrated_url: str, headers: dict[str, str]) -> None:
    settings = Settings(database_url=migrated_url)
    tag = TestClient(create_app(settings)).get(PINNED, headers=headers).headers["etag"]
    # An app that has not seen the URL: the routes answer the revalidation ...
    routed = TestClient(create_app(settings)).get(PINNED, headers={**headers, "If-None-Match": tag})
    assert routed.status_code == 304 and routed.headers["etag"] == tag
    # ... and one that has: the response cache answers it from the stored 200 of that coding (the
    # statistics service is gone, so the routes could not).
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    client.get(PINNED, headers=headers)
    client.app.state.stats = None  # type: ignore[attr-defined]
    cached = client.get(PINNED, headers={**headers, "If-None-Match": tag})
    assert cached.status_code == 304 and cached.headers["etag"] == tag


def test_a_weak_tag_is_left_as_it_is() -> None:
    assert compressed_etag(b'W/"abc"') == b'W/"abc"'
    assert compressed_etag(b'"abc"') == b'"abc-gzip"'
