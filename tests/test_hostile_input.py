"""Hostile and odd requests: every one is answered with a problem (or the data), never a 5xx, and no
parameter value ever reaches SQL as text (every value is bound or rejected before a query runs)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.routing import Route

from api.main import create_app
from api.settings import Settings

STATS = ["summary", "in-custody", "flows", "sentences", "breakdown"]
PARAMETERS = [
    "release", "gender", "age_band", "region", "article", "status", "by", "from", "to",
    "sentence_kind", "format", "lang", "bom",
]  # fmt: skip
SQL_VALUES = ["' OR '1'='1", 'x\'; DROP TABLE "case"; --', '" OR ""="', '1 UNION SELECT case_id FROM "case"']
ODD_VALUES = ["\x00", "\x1b[31m", "ж" * 10, "é\u202e", "\ufeffmale", "%00", "a" * 65, " ", ""]


@pytest.fixture
def statements(client: TestClient) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the test runs."""
    seen: list[str] = []
    engine = client.app.state.engine  # type: ignore[attr-defined]

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _is_problem(response: httpx.Response) -> bool:
    return response.headers["content-type"].startswith("application/problem+json")


def test_every_route_is_get_or_head_only() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    routes = [route for route in app.routes if isinstance(route, Route | APIRoute)]
    assert routes
    for route in routes:
        assert route.methods is not None and route.methods <= {"GET", "HEAD"}, route.path


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT"])
@pytest.mark.parametrize("path", ["/", "/v1", "/v1/stats/summary", "/v1/releases/demo-2026-03", "/healthz"])
def test_other_methods_are_405_problems(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405 and _is_problem(response)
    assert set(response.headers["allow"].replace(" ", "").split(",")) <= {"GET", "HEAD"}


@pytest.mark.parametrize("path", ["/v1/stats/summary", "/v1/releases", "/"])
def test_head_answers_the_get_headers_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_options_without_cors_is_405_and_a_preflight_is_answered(client: TestClient) -> None:
    assert client.options("/v1/stats/summary").status_code == 405
    preflight = client.options(
        "/v1/stats/summary", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200 and "POST" not in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize("statistic", STATS)
@pytest.mark.parametrize("value", SQL_VALUES + ODD_VALUES)
def test_metacharacters_and_control_characters_in_every_parameter_are_400_before_sql(
    client: TestClient, statements: list[str], statistic: str, value: str
) -> None:
    for name in PARAMETERS:
        statements.clear()
        response = client.get(f"/v1/stats/{statistic}", params={name: value})
        assert response.status_code in (200, 400), (name, value, response.text)
        if response.status_code == 400:
            assert _is_problem(response) and response.json()["parameter"] == name
            assert statements == [], (name, value)
        assert not any(value.strip() and value in statement for statement in statements)


@pytest.fixture
def uncached_client(migrated_url: str) -> Iterator[TestClient]:
    """An app of its own: nothing it answers was computed (and cached) by an earlier test."""
    with TestClient(create_app(Settings(database_url=migrated_url))) as fresh:
        yield fresh


def test_valid_values_reach_sql_only_as_bound_parameters(uncached_client: TestClient) -> None:
    client = uncached_client
    statements: list[str] = []
    event.listen(
        client.app.state.engine,  # type: ignore[attr-defined]
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_args: statements.append(statement),
    )
    queries = [
        "/v1/stats/breakdown?release=demo-2026-03&article=361-1&by=region",
        "/v1/stats/in-custody?region=BY-HM&from=2021-01&to=2022-12",
        "/v1/stats/sentences?gender=female&sentence_kind=restricted_freedom",
        "/v1/stats/in-custody?age_band=65_plus&lang=be",
    ]
    for query in queries:
        assert client.get(query).status_code == 200
    values = ["demo-2026-03", "361-1", "BY-HM", "65_plus", "restricted_freedom", "female"]
    assert statements
    for statement in statements:
        assert not any(f"'{value}'" in statement or value in statement for value in values), statement


def test_repeated_parameters_are_400_naming_the_parameter(client: TestClient) -> None:
    for query in ("gender=female&gender=female", "by=region&by=gender", "release=latest&release=latest"):
        response = client.get(f"/v1/stats/breakdown?{query}")
        assert response.status_code == 400 and _is_problem(response)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/releases/..%2F..%2Fetc%2Fpasswd",
        "/v1/releases/%2e%2e/changes",
        "/v1/releases/demo-2026-03/tables/..%2F..%2F..%2Fpyproject.toml.csv",
        "/v1/releases/demo-2026-03/tables/%2e%2e%2fcases.csv",
        "/v1/releases/..%5C..%5Cwindows/datapackage.json",
        "/v1/stats/summary?release=..%2F..%2Fetc",
        "/v1/charts/..%2F..%2Fpyproject.vl.json",
        "/embed/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_path_traversal_finds_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404, 422) and _is_problem(response), response.text[:200]
    assert b"case_id" not in response.content and b"[project]" not in response.content


@pytest.mark.parametrize(
    "accept",
    [
        "*/*",
        "text/csv;q=0.1, application/json;q=0.9",
        "application/xml",
        "image/png",
        "text/csv, application/json",
        ", ".join(f"application/x-{i};q=0.{i % 10}" for i in range(200)),
        "text/csv;;;q=abc, */*;q=",
        "\u00e9",
    ],
)
def test_odd_accept_headers_get_json_or_csv(client: TestClient, accept: str) -> None:
    response = client.get("/v1/stats/summary", headers={"Accept": accept.encode("utf-8")})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("application/json", "text/csv")


def test_a_very_long_query_is_refused_before_any_query(client: TestClient, statements: list[str]) -> None:
    response = client.get("/v1/stats/breakdown", params={"gender": "f" * 10_000})
    assert response.status_code == 414 and _is_problem(response) and statements == []
    response = client.get("/v1/stats/breakdown", params={"gender": "f" * 500})
    assert response.status_code == 400 and statements == []
