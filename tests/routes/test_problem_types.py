"""Every problem `type` the code raises is a page for people, listed at /problems."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
from fastapi.testclient import TestClient

from api.routes.problem_types import PROBLEM_TYPES

API = Path(__file__).resolve().parents[2] / "api"


def _raised_types() -> set[str]:
    """Every `/problems/<name>` the source of the API names."""
    found: set[str] = set()
    for module in API.rglob("*.py"):
        found |= set(re.findall(r"[\"']/problems/([a-z-]+)[\"']", module.read_text(encoding="utf-8")))
    return found


def test_every_type_the_code_raises_has_a_page(client: TestClient) -> None:
    raised = _raised_types()
    assert {"invalid-parameter", "unknown-release", "rate-limited"} <= raised
    assert raised <= set(PROBLEM_TYPES), raised - set(PROBLEM_TYPES)
    for name in raised:
        response = client.get(f"/problems/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)
        (heading,) = list(tree.iter("h1"))
        assert heading.text == PROBLEM_TYPES[name][0]


def test_the_list_links_every_type_and_the_index_links_the_list(client: TestClient) -> None:
    page = client.get("/problems")
    assert page.status_code == 200
    assert set(re.findall(r'href="/problems/([a-z-]+)"', page.text)) == set(PROBLEM_TYPES)
    assert client.get("/v1").json()["links"]["problems"] == "/problems"


def test_a_problem_names_the_page_of_its_type(client: TestClient) -> None:
    problem = client.get("/v1/stats/summary?gender=woman").json()
    assert client.get(problem["type"]).status_code == 200


def test_an_unknown_type_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/problems/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
