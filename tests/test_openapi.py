"""The committed OpenAPI document is the one the app generates, and it documents every parameter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.openapi_export import COMMITTED, openapi_document, render
from api.query import RELEASE_PATTERN


def test_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(openapi_document()), (
        "openapi/openapi.json is out of date: run `python -m api.openapi_export`"
    )


def test_statistics_parameters_are_documented_with_their_allowed_values() -> None:
    document = openapi_document()
    parameters = {p["name"]: p for p in document["paths"]["/v1/stats/breakdown"]["get"]["parameters"]}
    assert {
        "release",
        "gender",
        "age_band",
        "region",
        "article",
        "status",
        "by",
        "format",
        "lang",
        "bom",
    } <= set(parameters)
    assert parameters["gender"]["schema"]["enum"] == ["female", "male", "unknown"]
    assert "342" in parameters["article"]["schema"]["enum"]
    responses = document["paths"]["/v1/stats/breakdown"]["get"]["responses"]
    assert "application/problem+json" in responses["400"]["content"]


def test_every_route_is_read_only() -> None:
    for path, operations in openapi_document()["paths"].items():
        assert set(operations) <= {"get", "head"}, path


def _operations_with(document: dict[str, Any], name: str) -> list[str]:
    return sorted(
        path
        for path, operations in document["paths"].items()
        if any(p["name"] == name for p in operations["get"].get("parameters", []))
    )


DOCUMENT = openapi_document()
SPLIT_OPERATIONS = _operations_with(DOCUMENT, "by")


def test_an_empty_split_is_forbidden_by_the_document() -> None:
    for path in SPLIT_OPERATIONS:
        (by,) = (p for p in DOCUMENT["paths"][path]["get"]["parameters"] if p["name"] == "by")
        assert not re.fullmatch(by["schema"]["pattern"], ""), path


@pytest.mark.parametrize("path", SPLIT_OPERATIONS)
def test_an_empty_split_is_a_400_problem_as_the_document_says(client: TestClient, path: str) -> None:
    response = client.get(f"{path}?by=")
    assert response.status_code == 400, path
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["parameter"] == "by"


def test_every_release_parameter_states_the_pattern_the_server_checks() -> None:
    releases = [
        (path, parameter)
        for path, operations in DOCUMENT["paths"].items()
        for parameter in operations["get"].get("parameters", [])
        if parameter["name"] == "release"
    ]
    assert len(releases) >= 30
    for path, parameter in releases:
        assert parameter["schema"].get("pattern") == RELEASE_PATTERN, path


@pytest.mark.parametrize("path", ["/v1/releases/Not_A_Release", "/v1/charts?release=Not_A_Release"])
def test_a_release_outside_the_pattern_is_a_400_problem(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400 and response.json()["parameter"] == "release"


def test_every_operation_documents_the_414_the_limits_answer_before_any_route() -> None:
    for path, operations in DOCUMENT["paths"].items():
        responses = operations["get"]["responses"]
        assert "application/problem+json" in responses["414"]["content"], path
        if path not in ("/healthz", "/readyz"):
            assert "Retry-After" in responses["429"]["headers"], path


def test_a_url_over_the_limit_is_the_documented_414(client: TestClient) -> None:
    response = client.get("/v1/charts/in-custody.png?" + "lang=en&" * 400)
    assert response.status_code == 414
    assert response.headers["content-type"].startswith("application/problem+json")
