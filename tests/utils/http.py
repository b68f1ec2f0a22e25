"""Small helpers for asking the app through a TestClient."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient


def get_json(client: TestClient, path: str) -> dict[str, Any]:
    """The JSON object at `path`, after checking it was answered 200 as `application/json`."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def get_page(client: TestClient, path: str, lang: str) -> httpx.Response:
    """The response of the page for people at `path`, after checking it was answered 200 as HTML in `lang`."""
    response: httpx.Response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-language"] == lang
    return response


def get_data(client: TestClient, path: str) -> list[dict[str, Any]]:
    """The `data` rows of the JSON answer at `path` (answered 200)."""
    data: list[dict[str, Any]] = get_json(client, path)["data"]
    return data


def assert_bad_parameter(
    client: TestClient, path: str, parameter: str, statuses: tuple[int, ...] = (400,)
) -> None:
    """`path` is answered with a problem (RFC 9457) that names the bad `parameter`."""
    response = client.get(path)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter
