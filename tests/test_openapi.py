"""The committed OpenAPI document is the one the app generates, and it documents every parameter."""

from __future__ import annotations

from api.openapi_export import COMMITTED, openapi_document, render


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
