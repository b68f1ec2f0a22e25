"""The chart gallery (`/charts`) and the chart pages (`/charts/{chart}`): HTML, then a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from fastapi.testclient import TestClient

from api.charts.catalogue import CHARTS
from api.charts.published import chart_name
from api.figures_series import SERIES
from api.labels import LANGS
from api.render.chart_pages_text import text
from tests.utils.browser import ARTIFACTS, serious_violations
from tests.utils.server import migrated_server

PUBLISHED = [chart_name(series) for series in SERIES.values()]
SHOTS = ARTIFACTS / "chart-pages"


def _parse(html: str) -> Element:
    tree: Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return tree


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- The gallery -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_gallery_lists_every_chart_real_ones_first(client: TestClient, lang: str) -> None:
    response = client.get(f"/charts?lang={lang}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-language"] == lang
    tree = _parse(response.text)
    assert tree.get("lang") == lang
    cards = [li.get("data-chart") for li in tree.iter("li") if li.get("data-chart")]
    assert cards == [*PUBLISHED, *CHARTS]
    suffix = f"?lang={lang}" if lang != "en" else ""
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert {f"/charts/{name}{suffix}" for name in cards} <= hrefs


def test_gallery_marks_every_demonstration_chart_and_no_real_one(client: TestClient) -> None:
    tree = _parse(client.get("/charts").text)
    badge = text("demo.badge", "en")
    for li in (li for li in tree.iter("li") if li.get("data-chart")):
        marked = any(_text(span) == badge for span in li.iter("span") if span.get("class") == "badge")
        assert marked == (li.get("data-chart") in CHARTS), li.get("data-chart")
    (section,) = [s for s in tree.iter("section") if s.get("aria-labelledby") == "release"]
    assert "Demonstration data" in _text(section)
    assert [s.get("aria-labelledby") for s in tree.iter("section")] == ["real", "release"]


def test_gallery_thumbnails_are_in_the_page_so_nothing_is_drawn_per_image(client: TestClient) -> None:
    tree = _parse(client.get("/charts").text)
    thumbs = [span for span in tree.iter("span") if span.get("class") == "thumb"]
    assert len(thumbs) == len(PUBLISHED) + len(CHARTS)
    for thumb in thumbs:
        (svg,) = [child for child in thumb if child.tag.endswith("svg")]
        assert svg.get("aria-hidden") == "true" and svg.get("viewBox")
    assert not [e for e in tree.iter() if e.tag == "img" or e.get("src")]


def test_gallery_policy_runs_nothing_and_allows_its_style_only(client: TestClient) -> None:
    response = client.get("/charts?lang=ru")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'sha256-" in policy
    assert "script-src" not in policy and "unsafe" not in policy
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("query", "parameter"), [("lang=de", "lang"), ("release=latest", "release")])
def test_gallery_bad_parameters_are_problems(client: TestClient, query: str, parameter: str) -> None:
    response = client.get(f"/charts?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


# --- In a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("chart-pages-server")) as base:
        yield base


class Watched:
    """Console errors, page errors and failed or refused answers of one page, as Chromium saw them."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)


LAYOUT = """() => ({
    scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""


@pytest.mark.browser
def test_gallery_on_a_cold_cache_shows_every_thumbnail_without_a_refusal(
    browser: Any, tmp_path: Path
) -> None:
    # A server of its own: nothing drawn yet, as on the morning after a deployment.
    with migrated_server(tmp_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watched = Watched(page)
        page.goto(f"{base}/charts", wait_until="load")
        sizes = page.eval_on_selector_all(
            ".thumb svg",
            "all => all.map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height,"
            " s.querySelectorAll('path, line, rect, text').length])",
        )
        page.close()
    assert len(sizes) == len(PUBLISHED) + len(CHARTS)
    assert all(width > 100 and height > 50 and marks > 5 for width, height, marks in sizes), sizes
    assert not watched.errors, watched.errors


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_gallery_renders_cleanly_in_every_language_and_width(
    browser: Any, live_base: str, scheme: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[tuple[str, int, str]] = []
    for width in (320, 1280):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
        page = context.new_page()
        watched = Watched(page)
        for lang in LANGS:
            page.goto(f"{live_base}/charts?lang={lang}", wait_until="load")
            layout = page.evaluate(LAYOUT)
            page.screenshot(path=str(SHOTS / f"gallery_{lang}_{scheme}_{width}.png"), full_page=True)
            if layout["scroll"] > 0:
                problems.append((lang, width, f"scrolls sideways by {layout['scroll']} px"))
        problems += [(scheme, width, error) for error in watched.errors]
        context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_gallery_has_no_serious_accessibility_violations(browser: Any, live_base: str, scheme: str) -> None:
    # axe is injected as a script, which the page's own policy forbids: this context bypasses it.
    context = browser.new_context(
        bypass_csp=True, color_scheme=scheme, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    found = []
    for lang in LANGS:
        page.goto(f"{live_base}/charts?lang={lang}")
        found += [(lang, v) for v in serious_violations(page)]
    context.close()
    assert not found, found
