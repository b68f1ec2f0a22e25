"""Debian's Chromium driven by Playwright, and axe-core from npm, for tests of pages as readers see them.

Both are installed by .ci/run: missing under CI=true is a failure, elsewhere the browser tests skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "artifacts" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "artifacts"
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
    # A missing browser or axe-core is a failure, never a skip: .ci/run installs both
    # (apt-get install chromium; npm install --prefix artifacts axe-core@4).
    pytest.fail(f"{path} is missing: run `bash .ci/run` once, or install it as .ci/run does")


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


def serious_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core's serious and critical findings on the loaded page (axe must be injectable: bypass CSP)."""
    require(AXE)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
