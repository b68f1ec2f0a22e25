"""/oembed: oEmbed 1.0 for this service's chart and embed URLs, and its errors as the spec says."""

from __future__ import annotations

import io
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.charts.chart import CHARTS
from api.charts.published import chart_name
from api.figures_series import SERIES
from api.labels import LANGS
from tests.utils.browser import fitted_height
from tests.utils.http import get_json
from tests.utils.server import migrated_server, news_site

BASE = "http://testserver"


def _oembed(client: TestClient, url: str, extra: str = "") -> dict[str, Any]:
    return get_json(client, f"/oembed?url={quote(url, safe='')}&format=json{extra}")


class _Iframe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.attributes = dict(attrs)


def _iframe(html: str) -> dict[str, str | None]:
    parser = _Iframe()
    parser.feed(html)
    return parser.attributes


@pytest.mark.parametrize(
    "path",
    [
        "/embed/in-custody?lang=be",
        "/v1/charts/in-custody.svg?lang=be&width=400",
        "/v1/charts/in-custody.png?lang=be&scale=3",
        "/v1/charts/in-custody.vl.json?lang=be",
    ],
)
def test_chart_and_embed_urls_answer_a_rich_iframe_of_the_embed_page(client: TestClient, path: str) -> None:
    body = _oembed(client, BASE + path)
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_url"] == BASE + "/" and body["provider_name"]
    assert body["title"] == "Палітвязні пад вартай па месяцах"
    iframe = _iframe(str(body["html"]))
    # A link without a release is pinned to the release it resolves to.
    assert iframe["src"] == f"{BASE}/embed/in-custody?release=demo-2026-03&lang=be"
    assert iframe["title"] == body["title"] and iframe["width"] == str(body["width"])
    assert client.get(str(iframe["src"])).status_code == 200
    # The embed code's script, which heeds only this service's embed pages.
    assert "data-prisoners-api-chart" in iframe and f"m.origin!=='{BASE}'" in str(body["html"])


def test_size_respects_maxwidth(client: TestClient) -> None:
    assert _oembed(client, BASE + "/embed/flows", "&maxwidth=400")["width"] == 400
    wide = _oembed(client, BASE + "/embed/flows", "&maxwidth=5000")
    assert wide["width"] == 1200 and isinstance(wide["height"], int) and wide["height"] > 300


def test_maxheight_is_met_by_a_narrower_page_whose_chart_is_drawn_smaller(client: TestClient) -> None:
    at_640 = _oembed(client, BASE + "/embed/in-custody", "&maxwidth=640")
    assert isinstance(at_640["height"], int)
    fitted = _oembed(client, BASE + "/embed/in-custody", f"&maxwidth=1024&maxheight={at_640['height']}")
    assert isinstance(fitted["width"], int) and isinstance(fitted["height"], int)
    assert 640 <= fitted["width"] < 1024 and fitted["height"] <= at_640["height"]
    assert f'width="{fitted["width"]}" height="{fitted["height"]}"' in str(fitted["html"])


@pytest.mark.parametrize(
    ("extra", "parameter"), [("&maxwidth=400&maxheight=300", "maxheight"), ("&maxwidth=200", "maxwidth")]
)
def test_a_chart_that_cannot_fit_says_what_it_needs(client: TestClient, extra: str, parameter: str) -> None:
    response = client.get(f"/oembed?url={quote(BASE + '/embed/flows', safe='')}{extra}")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == parameter and problem["type"] == "/problems/embed-does-not-fit"
    assert problem["width"] >= 320
    if parameter == "maxheight":
        assert problem["height"] > 300 and str(problem["height"]) in problem["detail"]


def test_pinned_urls_may_be_kept_for_a_year(client: TestClient) -> None:
    body = _oembed(client, BASE + "/embed/flows?release=demo-2026-03")
    assert body["cache_age"] == 31536000
    assert _oembed(client, BASE + "/embed/flows")["cache_age"] == 300


def test_thumbnail_is_the_png_it_describes(client: TestClient) -> None:
    body = _oembed(client, BASE + "/embed/breakdown?by=age_band")
    response = client.get(str(body["thumbnail_url"]))
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (body["thumbnail_width"], body["thumbnail_height"])


def test_embed_pages_announce_their_oembed(client: TestClient) -> None:
    html = client.get("/embed/sentences?by=gender").text
    start = html.index('type="application/json+oembed" href="') + len('type="application/json+oembed" href="')
    href = html[start : html.index('"', start)].replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path == "/oembed"
    assert client.get(f"{parts.path}?{parts.query}").json()["type"] == "rich"


def test_description_is_the_chart_pages_summary_with_its_demonstration_mark(client: TestClient) -> None:
    body = _oembed(client, BASE + "/embed/flows?lang=ru")
    assert str(body["description"]).startswith("Демонстрационные данные")
    page = client.get("/charts/flows?lang=ru").text
    assert f'<p class="summary" id="summary">{body["description"]}</p>' in page
    real = _oembed(client, BASE + "/embed/published-in-custody")
    assert real["description"] and "Demonstration" not in str(real["description"])


# --- Heights measured in a real browser --------------------------------------------------------------

ALL_CHARTS = [*(chart_name(series) for series in SERIES.values()), *CHARTS]


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("oembed-server")) as base:
        yield base


MEASURED_WIDTHS = [320, 640, 1024]


@pytest.mark.browser
@pytest.mark.parametrize("width", MEASURED_WIDTHS)
def test_the_answered_height_is_the_height_chromium_lays_the_page_out_at(
    browser: Any, live_base: str, width: int
) -> None:
    """Every chart's iframe page, opened at the answered width, is as tall as the answer says (± 8 px);
    each chart in another language at each width, so every chart is seen in every language."""
    # A short window: the document is never stretched to it, so scrollHeight is the content's height.
    page = browser.new_page(viewport={"width": width, "height": 100})
    misses = {}
    for index, chart in enumerate(ALL_CHARTS):
        lang = LANGS[(index + MEASURED_WIDTHS.index(width)) % len(LANGS)]
        url = f"{live_base}/embed/{chart}?lang={lang}"
        body = httpx.get(f"{live_base}/oembed", params={"url": url, "maxwidth": width}).json()
        assert body["width"] == width, body
        page.goto(str(_iframe(body["html"])["src"]), wait_until="load")
        misses[chart, lang] = body["height"] - page.evaluate("document.documentElement.scrollHeight")
    page.close()
    worst = max(misses.values(), key=abs)
    assert abs(worst) <= 8, f"worst miss {worst} px at {width} px: {misses}"


@pytest.mark.browser
def test_the_answered_html_fits_a_narrower_column_on_another_site(browser: Any, live_base: str) -> None:
    """A CMS keeps the html it got for its column and shows it on a phone too, where the narrower page is
    taller: the html's script fits the iframe to it."""
    body = httpx.get(
        f"{live_base}/oembed", params={"url": f"{live_base}/embed/flows", "maxwidth": 640}
    ).json()
    article = f"<!doctype html><html lang=en><title>News</title><p>Before.</p>{body['html']}<p>After.</p>"
    page = browser.new_page(viewport={"width": 375, "height": 700})
    with news_site(article) as url:
        page.goto(url)
        height, content = fitted_height(page, "iframe")
    page.close()
    assert content > body["height"] + 100 and abs(height - content) <= 8, (body["height"], height, content)
