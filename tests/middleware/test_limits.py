"""URL length and per-client rate limits, answered before any route runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.main import create_app
from api.settings import Settings


@pytest.fixture
def limited(migrated_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=migrated_url, rate_limit="3/minute"))
    with TestClient(app) as client:
        yield client


def test_a_long_url_is_414_problem_before_any_query(limited: TestClient) -> None:
    statements: list[str] = []
    engine = limited.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = limited.get("/v1/stats/breakdown?by=" + "x" * 5000)
    assert response.status_code == 414
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 414 and statements == []


def test_over_the_limit_is_429_problem_with_retry_after(limited: TestClient) -> None:
    statuses = [limited.get("/v1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = limited.get("/v1")
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["type"] == "/problems/rate-limited"


def test_not_modified_answers_are_not_counted(limited: TestClient) -> None:
    first = limited.get("/v1/stats/summary?release=demo-2026-03")
    etag = first.headers["etag"]
    revalidations = [
        limited.get("/v1/stats/summary?release=demo-2026-03", headers={"If-None-Match": etag}).status_code
        for _ in range(10)
    ]
    assert set(revalidations) == {304}
    assert limited.get("/v1").status_code == 200  # the second counted request of three


def test_probes_are_never_limited(limited: TestClient) -> None:
    assert {limited.get("/healthz").status_code for _ in range(10)} == {200}


def test_clients_are_told_apart_by_the_configured_header(migrated_url: str) -> None:
    settings = Settings(
        database_url=migrated_url, rate_limit="1/minute", rate_limit_client_header="X-Real-IP"
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1", headers={"X-Real-IP": "192.0.2.1"}).status_code == 200
        assert client.get("/v1", headers={"X-Real-IP": "192.0.2.1"}).status_code == 429
        assert client.get("/v1", headers={"X-Real-IP": "192.0.2.2"}).status_code == 200


@pytest.mark.parametrize("value", ["often", "5/fortnight"])
def test_a_bad_rate_is_refused_naming_the_setting(value: str) -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        Settings(rate_limit=value)
