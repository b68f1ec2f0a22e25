"""/embed pages: self-contained HTML, then a real Chromium in three languages, two themes, two widths."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import html5lib
import pytest
from fastapi.testclient import TestClient

from api.charts.chart import CHARTS
from api.charts.published import chart_name
from api.figures_series import SERIES
from api.labels import LANGS
from tests.utils.browser import ARTIFACTS, Watched, serious_violations
from tests.utils.http import get_page
from tests.utils.server import migrated_server, news_site

LABELS = {
    "en": "Demonstration data generated to match published totals",
    "be": "Дэманстрацыйныя даныя",
    "ru": "Демонстрационные данные",
}
THEMES = ("light", "dark")
WIDTHS = (320, 1024)
SHOTS = ARTIFACTS / "embed"


@pytest.mark.parametrize("lang", LANGS)
def test_page_is_self_contained_html_with_chart_table_and_label(sqlite_client: TestClient, lang: str) -> None:
    response = get_page(sqlite_client, f"/embed/flows?lang={lang}", lang)
    html5lib.HTMLParser(strict=True).parse(response.text)
    html = response.text
    assert (
        f'<html lang="{lang}"' in html and "<script src" not in html and '<link rel="stylesheet"' not in html
    )
    chart = html[html.index('<div class="chart">') : html.index("</figure>")]
    # The label is drawn inside the chart (the SVG), not only around it.
    assert LABELS[lang] in chart.replace("</tspan><tspan", " <tspan")
    assert "<table>" in html and "<caption>" in html
    assert "release=demo-2026-03" in html and "format=csv" in html


def test_policy_allows_framing_anywhere_and_nothing_external(client: TestClient) -> None:
    headers = client.get("/embed/in-custody").headers
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors *" in policy
    assert "http" not in policy and "unsafe-inline" not in policy
    assert "x-frame-options" not in headers and headers["x-content-type-options"] == "nosniff"


def test_embed_takes_the_statistics_parameters_and_refuses_image_ones(client: TestClient) -> None:
    assert client.get("/embed/breakdown?by=age_band&gender=female&theme=auto").status_code == 200
    response = client.get("/embed/breakdown?width=400")
    assert response.status_code == 400 and response.json()["parameter"] == "width"


def test_cache_headers_are_those_of_the_statistics(client: TestClient) -> None:
    assert client.get("/embed/flows").headers["cache-control"] == "public, max-age=300"
    pinned = client.get("/embed/flows?release=demo-2026-03")
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    again = client.get("/embed/flows?release=demo-2026-03", headers={"If-None-Match": pinned.headers["etag"]})
    assert again.status_code == 304


# --- In a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("embed-server")) as base:
        yield base


def _check_page(page: Any, url: str, shot: str) -> list[str]:
    """Load `url`; return what is wrong (errors, refused answers, horizontal scroll, no table, no visible
    chart)."""
    watched = Watched(page)
    page.goto(url, wait_until="load")
    layout = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            rows: document.querySelectorAll('table tbody tr').length,
            shown: Array.from(document.querySelectorAll('.chart svg'))
                .filter(s => s.getBoundingClientRect().height > 50).length,
        })"""
    )
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    watched.stop()
    problems = [f"console: {e}" for e in watched.errors]
    if layout["scroll"] > 0:
        problems.append(f"scrolls horizontally by {layout['scroll']} px")
    if not layout["rows"]:
        problems.append("no data table rows")
    if layout["shown"] != 1:
        problems.append(f"{layout['shown']} charts shown instead of one")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("chart", CHARTS)
def test_embed_renders_cleanly_in_every_language_theme_and_width(
    browser: Any, live_base: str, chart: str
) -> None:
    """Each embed, in every language, theme and width a host page gives it: no console error, no
    sideways scroll, its data table filled and one chart shown; kept as PNGs under ARTIFACTS_DIR."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 700})
        for lang in LANGS:
            for theme in THEMES:
                url = f"{live_base}/embed/{chart}?lang={lang}&theme={theme}"
                shot = f"{chart}_{lang}_{theme}_{width}.png"
                problems += [(lang, theme, width, p) for p in _check_page(page, url, shot)]
        page.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_embeds_have_no_serious_accessibility_violations(browser: Any, live_base: str, theme: str) -> None:
    # axe is injected as a script, which the page's own policy forbids: this context bypasses it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 700})
    page = context.new_page()
    found = []
    for index, chart in enumerate([*(chart_name(series) for series in SERIES.values()), *CHARTS]):
        lang = LANGS[index % len(LANGS)]  # every chart once per theme, every language several times
        assert page.goto(f"{live_base}/embed/{chart}?lang={lang}&theme={theme}").ok, chart
        found += [(chart, lang, v) for v in serious_violations(page)]
    context.close()
    assert not found, found


@pytest.mark.browser
def test_auto_theme_follows_the_reader_setting(browser: Any, live_base: str) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{live_base}/embed/in-custody?theme=auto")
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(24, 24, 27)"}


@pytest.mark.browser
def test_page_works_without_javascript(browser: Any, live_base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 700, "height": 700})
    page = context.new_page()
    page.goto(f"{live_base}/embed/sentences?by=gender")
    box = page.locator(".chart .w500 svg").bounding_box()
    assert box is not None and box["width"] >= 500 and box["height"] > 200
    context.close()


@pytest.mark.browser
def test_page_posts_its_height_to_the_parent(browser: Any, live_base: str) -> None:
    article = (
        "<!doctype html><title>News</title><script>window.heights=[];"
        "addEventListener('message',e=>window.heights.push(e.data));</script>"
        f'<iframe src="{live_base}/embed/breakdown?lang=be" width="500" height="300"></iframe>'
    )
    page = browser.new_page(viewport={"width": 600, "height": 400})
    with news_site(article) as url:
        page.goto(url)
        page.wait_for_function("window.heights.length > 0", timeout=10_000)
    message = page.evaluate("window.heights[window.heights.length - 1]")
    height = page.frames[1].evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    assert message == {"type": "prisoners-api:embed-height", "chart": "breakdown", "height": height}
    assert height > 300
    page.close()


def test_first_render_and_cached_render_are_quick(live_base: str) -> None:
    import httpx

    # httpx's 5 s default is not what this checks: a busy machine's first render took longer.
    url, timeout = f"{live_base}/embed/releases-by-kind?gender=male", 60
    started = time.perf_counter()
    assert httpx.get(url, timeout=timeout).status_code == 200
    first = time.perf_counter() - started
    started = time.perf_counter()
    httpx.get(url, timeout=timeout)
    assert time.perf_counter() - started < max(first, 0.2)
