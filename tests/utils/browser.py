"""Debian's Chromium driven by Playwright, and axe-core, for tests of pages as readers see them.

The README's test command (scripts/check) installs Chromium when it is missing; axe-core is the copy that
the test extra's `axe-playwright-python` ships. Tests using them carry the `browser` marker.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(str(files("axe_playwright_python").joinpath("axe.min.js")))
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR") or REPO / "artifacts")
"""Where browser tests write screenshots (gitignored; CI may point ARTIFACTS_DIR elsewhere and keep it)."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def require(path: Path) -> None:
    if path.exists():
        return
    # A missing browser is a failure, never a skip: scripts/check installs it (apt-get install chromium).
    pytest.fail(f"{path} is missing: run `bash scripts/check` once, or `apt-get install chromium` as root")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (never a browser Playwright downloads)."""
    require(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's findings on the loaded page (axe must be injectable: open the page with bypass_csp)."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    found: list[dict[str, Any]] = results["violations"]
    return found


def serious_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core's serious and critical findings on the loaded page."""
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations(page)
        if v["impact"] in ("serious", "critical")
    ]


FRAME_HEIGHT = "(r => r ? Math.ceil(r.getBoundingClientRect().height) : -1)(document.documentElement)"
"""The height of a frame's document, or -1 while it has none yet (the iframe is still navigating)."""


def fitted_height(page: Any, selector: str, seconds: float = 10) -> tuple[int, int]:
    """The height of an iframe once its embed page has told it (postMessage), and the embed's own.

    Polled from here: a predicate evaluated in the page would be refused by its strict policy."""
    deadline = time.monotonic() + seconds
    while True:
        frame = page.locator(selector).element_handle().content_frame()
        try:
            content = frame.evaluate(FRAME_HEIGHT)
        except PlaywrightError:  # the iframe navigated (about:blank, then the embed) while asked
            content = -1
        height = int(page.get_attribute(selector, "height") or 0)
        if (content >= 0 and abs(height - content) <= 8) or time.monotonic() > deadline:
            return height, int(content)
        page.wait_for_timeout(100)


class Watched:
    """Console errors, page errors and failed or refused answers of one page, as Chromium saw them,
    from now until `stop()`."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self._page = page
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _page_error(self, error: Any) -> None:
        self.errors.append(str(error))

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")

    def stop(self) -> None:
        self._page.remove_listener("console", self._console)
        self._page.remove_listener("pageerror", self._page_error)
        self._page.remove_listener("response", self._response)
