"""The interactive docs and the favicon: served from this origin, so they work offline under our CSP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.utils.server import migrated_server


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_load_only_from_this_origin(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "http" not in response.text.lower().replace("http-equiv", "")
    policy = response.headers["content-security-policy"]
    assert "http" not in policy and "default-src 'none'" in policy


def test_the_docs_assets_and_favicon_answer(client: TestClient) -> None:
    assets = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js")
    for path in (f"/docs/assets/{name}" for name in assets):
        assert client.get(path).status_code == 200, path
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
    assert icon.content.startswith(b"\x89PNG")


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("docs-server")) as base:
        yield base


def _operation_count(live_base: str) -> int:
    # Not through the `client` fixture: tests using it are grouped (and so the browser started) early.
    paths = httpx.get(f"{live_base}/openapi.json").json()["paths"]
    return sum(len(item) for item in paths.values())


def _offline_page(browser: Any, live_base: str) -> tuple[Any, Any, list[str]]:
    """A page whose every request off this server is refused, and which records console errors."""
    context = browser.new_context()
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_base) else route.abort()
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    return context, page, errors


DOCS_PAGES = [
    # (page, the element of one rendered operation, an error the page may log)
    ("/docs", ".opblock", None),
    # ReDoc hard-codes its attribution logo from its own CDN: refused here, it hides itself on error.
    ("/redoc", "[data-section-id^='operation/']", "cdn.redoc.ly/redoc/logo-mini.svg"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "operation", "tolerated"), DOCS_PAGES)
def test_docs_page_renders_every_operation_offline(
    browser: Any, live_base: str, path: str, operation: str, tolerated: str | None
) -> None:
    operations = _operation_count(live_base)
    context, page, errors = _offline_page(browser, live_base)
    page.goto(f"{live_base}{path}")
    page.wait_for_selector(operation, timeout=20_000)
    assert page.locator(operation).count() == operations
    assert not [error for error in errors if tolerated is None or tolerated not in error], errors
    context.close()
