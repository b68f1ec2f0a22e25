"""/v1/figures/series and the charts of the real published series: JSON, CSV, charts, embed, oEmbed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from fastapi.testclient import TestClient

from api.figures_series import SERIES
from api.labels import LANGS
from tests.utils.browser import Watched, serious_violations
from tests.utils.charts import assert_valid_spec, spec_texts
from tests.utils.server import migrated_server

CHARTS = [f"published-{key}" for key in SERIES]
DEMO_MARKS = ("Demonstration", "synthetic", "Дэманстрацыйныя", "Демонстрационные")


def test_listing_links_every_series_and_its_charts(sqlite_client: TestClient) -> None:
    body = sqlite_client.get("/v1/figures/series").json()
    assert [entry["key"] for entry in body["data"]] == list(SERIES)
    assert body["meta"]["synthetic"] is False
    for entry in body["data"]:
        assert entry["count"] > 0 and entry["as_of"], entry["key"]
        for name, link in entry["links"].items():
            assert sqlite_client.get(link).status_code == 200, (name, link)


@pytest.mark.parametrize("key", SERIES)
def test_every_point_has_value_qualifier_date_and_a_page_address(client: TestClient, key: str) -> None:
    body = client.get(f"/v1/figures/series/{key}").json()
    meta = body["meta"]
    assert meta["synthetic"] is False and meta["release"] is None and meta["count"] == len(body["data"])
    assert f"/v1/figures/series/{key}" in meta["citation"] and "not a dataset release" in meta["citation"]
    for point in body["data"]:
        assert isinstance(point["value"], int) and point["qualifier"] and point["date"], point
        assert point["source_url"].startswith("https://") and point["source_publisher"], point
    assert [p["date"] for p in body["data"]] == sorted(p["date"] for p in body["data"])


def test_in_custody_series_has_the_latest_published_count(client: TestClient) -> None:
    points = client.get("/v1/figures/series/in-custody?from=2026-03").json()["data"]
    assert {(p["date"], p["value"]) for p in points} >= {("2026-03-05", 1140)}
    assert all(p["measure"] == "in_custody" for p in points)


def test_release_events_name_who_was_taken_abroad(client: TestClient) -> None:
    points = client.get("/v1/figures/series/release-events?from=2025-12-13&to=2025-12-13").json()["data"]
    by_measure = {(p["measure"], p["dimension_value"]): p["value"] for p in points}
    assert by_measure[("released", None)] == 123
    assert by_measure[("expelled", "UA")] == 114 and by_measure[("expelled", "LT")] == 9
    # A release that names its expelled people does not count them twice by destination.
    march = client.get("/v1/figures/series/release-events?from=2026-03-19&to=2026-03-19").json()["data"]
    assert [p["dimension_value"] for p in march if p["measure"] == "expelled"] == ["pardon_expelled"]


def test_csv_has_one_row_per_point_with_its_citation(client: TestClient) -> None:
    response = client.get("/v1/figures/series/women-in-custody", headers={"Accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    json_points = client.get("/v1/figures/series/women-in-custody").json()["data"]
    assert [r["figure_id"] for r in rows] == [p["figure_id"] for p in json_points]
    assert {r["synthetic"] for r in rows} == {"false"} and all(r["source_url"] for r in rows)


@pytest.mark.parametrize("path", ["/v1/figures/series/in-custody", "/v1/charts/published-in-custody.svg"])
def test_cached_like_the_figures_table(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("chart", CHARTS)
def test_specs_are_valid_and_cite_real_publishers_without_a_demonstration_mark(
    client: TestClient, chart: str
) -> None:
    for lang in LANGS:
        spec = client.get(f"/v1/charts/{chart}.vl.json?lang={lang}").json()
        assert_valid_spec(spec)
        texts = spec_texts(spec)
        assert ("Sources:", "Крыніцы:", "Источники:")[LANGS.index(lang)] in texts
        assert not any(mark in texts for mark in DEMO_MARKS), texts
        values = spec["data"]["values"]
        assert values and all(v["source"] and v["source_url"].startswith("https://") for v in values)
        tooltips = [
            layer["encoding"].get("tooltip") for layer in spec["layer"] if "tooltip" in layer["encoding"]
        ]
        assert tooltips and all(any(t["field"] == "source" for t in tip) for tip in tooltips)


def test_demonstration_charts_never_carry_the_real_source_line(client: TestClient) -> None:
    texts = spec_texts(client.get("/v1/charts/in-custody.vl.json").json())
    assert "Demonstration data calibrated" in texts and "Sources:" not in texts


def test_release_events_chart_shows_each_wave_and_how_many_were_expelled(client: TestClient) -> None:
    values = client.get("/v1/charts/published-release-events.vl.json").json()["data"]["values"]
    drawn = {(v["x"], v["series"]): v for v in values}
    assert drawn[("2024-08-16", "released")]["count"] == 30 and ("2024-08-16", "expelled") not in drawn
    expelled = drawn[("2025-12-13", "expelled")]
    assert expelled["count"] == 123 and expelled["source"].count("Human Rights Centre Viasna") == 2
    assert drawn[("2026-03-19", "expelled")]["count"] == 15


def test_images_are_drawn(client: TestClient) -> None:
    svg = client.get("/v1/charts/published-release-events.svg?lang=ru")
    assert svg.headers["content-type"] == "image/svg+xml" and "Освобождения" in svg.text
    png = client.get("/v1/charts/published-deaths-in-custody.png?scale=1&width=400")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_embed_page_lists_each_point_with_its_source(client: TestClient) -> None:
    response = client.get("/embed/published-in-custody")
    html5lib.HTMLParser(strict=True).parse(response.text)
    table = response.text[response.text.index("<table>") : response.text.index("</table>")]
    assert '<th scope="col">Source</th>' in table
    assert (
        table.count('rel="external"') >= client.get("/v1/figures/series/in-custody").json()["meta"]["count"]
    )
    assert "1,140" in table and "Demonstration" not in response.text
    assert "/v1/figures/series/in-custody?format=csv" in response.text


def test_oembed_answers_for_a_published_chart(client: TestClient) -> None:
    url = "http://testserver/embed/published-release-events?lang=be"
    body = client.get("/oembed", params={"url": url}).json()
    assert body["type"] == "rich" and "published-release-events?lang=be" in body["html"]
    assert client.get(body["thumbnail_url"]).headers["content-type"] == "image/png"
    bad = client.get("/oembed", params={"url": url + "&theme=pink"})
    assert bad.status_code == 404 and bad.json()["parameter"] == "url"


# --- In a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("series-server")) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("chart", CHARTS)
def test_embed_renders_cleanly_and_accessibly(browser: Any, live_base: str, chart: str) -> None:
    """The shared Chromium (a second Playwright in the same thread fails once the shared one runs)."""
    problems: list[Any] = []
    for index, lang in enumerate(LANGS):
        theme = ("light", "dark", "auto")[index]
        context = browser.new_context(
            bypass_csp=True, viewport={"width": (320, 1024, 500)[index], "height": 700}
        )
        page = context.new_page()
        watched = Watched(page)
        page.goto(f"{live_base}/embed/{chart}?lang={lang}&theme={theme}", wait_until="load")
        layout = page.evaluate(
            """() => ({
                scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                rows: document.querySelectorAll('table tbody tr').length,
                sources: document.querySelectorAll('table tbody a[href^="https://"]').length,
                shown: Array.from(document.querySelectorAll('.chart svg'))
                    .filter(s => s.getBoundingClientRect().height > 50).length,
            })"""
        )
        problems += [(lang, "console", e) for e in watched.errors]
        if layout["scroll"] > 0 or not layout["rows"] or layout["sources"] < layout["rows"]:
            problems.append((lang, "layout", layout))
        if layout["shown"] != 1:
            problems.append((lang, "charts shown", layout["shown"]))
        problems += [(lang, "axe", v) for v in serious_violations(page)]
        context.close()
    assert not problems, problems


def test_readme_names_every_series_and_its_examples_answer(client: TestClient) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for key in SERIES:
        assert f"`{key}`" in readme and f"`published-{key}`" in readme, key
    examples = set(
        re.findall(
            r"(/(?:v1/charts|embed|v1/figures/series)/published-[^\s`\"]*|"
            r"/v1/figures/series/[a-z-]+)",
            readme,
        )
    )
    assert "/v1/charts/published-in-custody.svg" in examples and len(examples) >= 3
    for example in sorted(examples):
        assert client.get(example.replace("&amp;", "&")).status_code == 200, example


def test_each_drawn_point_names_its_source_under_the_pointer(client: TestClient) -> None:
    """A drawn SVG runs no script, so each point carries its tooltip as a <title> (issue 16), and the
    chart stays one image to assistive technology (no role on single marks)."""
    svg = client.get("/v1/charts/published-in-custody.svg").text
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    series = client.get("/v1/figures/series/in-custody").json()
    assert len(titles) == len(series["data"]), titles[:3]  # one point per published figure
    for point in series["data"][:5]:
        assert any(f"{point['value']}." in t and point["source_publisher"] in t for t in titles), point
    assert "graphics-object" not in svg and 'aria-roledescription="point"' not in svg
