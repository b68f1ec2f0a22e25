"""Small helpers for asking the app through a TestClient."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def get_json(client: TestClient, path: str) -> dict[str, Any]:
    """The JSON object at `path`, after checking it was answered 200 as `application/json`."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body
