"""/v1/charts on the bundled release, on SQLite and PostgreSQL: catalogue, specs, SVG, PNG, parameters."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.charts.chart import CHARTS
from api.figures_series import SERIES
from api.render import images
from api.render.pool import RenderPool, current_client
from tests.utils.charts import assert_valid_spec, shown_counts, spec_texts
from tests.utils.http import get_json

K = 5
LABEL = "Demonstration data generated to match published totals — not real records."
QUERIES = {
    "in-custody": ["", "by=gender", "region=BY-HM&from=2022-01", "by=sentence_kind&lang=be"],
    "flows": ["", "lang=ru&from=2025-01", "to=2022-12"],
    "sentences": ["", "by=gender", "sentence_kind=restricted_freedom&lang=be"],
    "breakdown": ["", "by=article,gender", "gender=female&region=BY-BR", "by=year_detained&status=released"],
    "releases-by-kind": ["", "gender=female", "article=342&lang=ru"],
}


def _spec(client: TestClient, chart: str, query: str = "") -> dict[str, Any]:
    return get_json(client, f"/v1/charts/{chart}.vl.json?{query}")


def test_catalogue_lists_every_chart_with_working_links(sqlite_client: TestClient) -> None:
    body = sqlite_client.get("/v1/charts").json()
    release_charts = [entry for entry in body["data"] if entry["kind"] == "release"]
    assert [entry["name"] for entry in release_charts] == list(CHARTS)
    assert body["meta"]["synthetic"] is True and body["meta"]["release"] == "demo-2026-03"
    for entry in release_charts:
        assert entry["synthetic"] is True and entry["series"] is None
        assert (
            entry["title"]
            and entry["description"]
            and entry["query"].startswith(f"/v1/stats/{entry['statistic']}")
        )
        assert {"release", "lang", "width", "theme"} <= set(entry["parameters"])
        for link in ("spec", "svg", "png", "embed", "statistic"):
            assert sqlite_client.get(entry["links"][link]).status_code == 200, entry["links"][link]


def test_catalogue_lists_the_real_published_series_first(sqlite_client: TestClient) -> None:
    body = sqlite_client.get("/v1/charts").json()
    kinds = [entry["kind"] for entry in body["data"]]
    assert kinds == ["published_series"] * len(SERIES) + ["release"] * len(CHARTS)
    assert body["links"]["figures_series"] == "/v1/figures/series"
    for entry, key in zip(body["data"], SERIES, strict=False):
        assert entry["name"] == f"published-{key}" and entry["series"] == key
        assert entry["synthetic"] is False and entry["statistic"] is None
        assert entry["query"] == entry["links"]["series"] == f"/v1/figures/series/{key}"
        assert {"lang", "width", "theme"} <= set(entry["parameters"]) and "release" not in entry["parameters"]
        for link in ("spec", "svg", "png", "embed", "series", "csv"):
            assert sqlite_client.get(entry["links"][link]).status_code == 200, entry["links"][link]
        series = sqlite_client.get(entry["links"]["series"]).json()
        assert series["meta"]["synthetic"] is False and series["meta"]["release"] is None


def test_catalogue_is_translated(client: TestClient) -> None:
    entries = client.get("/v1/charts?lang=be").json()["data"]
    titles = {e["name"]: e["title"] for e in entries}
    assert titles["in-custody"] == "Палітвязні пад вартай па месяцах"
    assert titles["published-in-custody"] == "Палітвязні пад вартай паводле апублікаваных лічбаў"
    links = {e["name"]: e["links"] for e in entries}
    assert links["published-in-custody"]["svg"] == "/v1/charts/published-in-custody.svg?lang=be"


def _every_query() -> Iterator[tuple[str, str]]:
    for chart, queries in QUERIES.items():
        for query in queries:
            yield chart, query


@pytest.mark.parametrize(("chart", "query"), list(_every_query()))
def test_specs_are_valid_vega_lite_with_source_and_synthetic_label(
    sqlite_client: TestClient, chart: str, query: str
) -> None:
    spec = _spec(sqlite_client, chart, query)
    assert_valid_spec(spec)
    texts = spec_texts(spec)
    assert "demo-2026-03" in texts and "2026" in texts
    if "lang" not in query:
        # A demonstration chart says what it is calibrated to, never "Source:" under synthetic numbers.
        assert LABEL in " ".join(texts.split()) and "Source:" not in texts
        assert "Demonstration data calibrated to figures published by" in texts
    assert spec["description"] and spec["data"]["values"]


def test_no_chart_shows_a_count_below_the_threshold_for_any_single_filter(client: TestClient) -> None:
    levels = {
        p["name"]: p["schema"]["enum"]
        for p in client.get("/openapi.json").json()["paths"]["/v1/charts/breakdown.vl.json"]["get"][
            "parameters"
        ]
        if p["name"] in ("gender", "age_band", "region", "article")
    }
    checked = 0
    for chart in CHARTS:
        if chart == "flows":  # in all only: no filters
            queries = [""]
        else:
            queries = [""] + [f"{name}={value}" for name, values in levels.items() for value in values]
        for query in queries:
            for count in shown_counts(_spec(client, chart, query)):
                assert count == 0 or count >= K, (chart, query, count)
                checked += 1
    assert checked > 1000


def test_a_chart_draws_exactly_the_cells_of_its_statistic(client: TestClient) -> None:
    stats = client.get("/v1/stats/breakdown?by=region&lang=ru").json()["data"]
    expected = {r["region_label"]: r["count"] for r in stats if r["region"] != "total"}
    spec = _spec(client, "breakdown", "by=region&lang=ru")
    assert {v["x_label"]: v["count"] for v in spec["data"]["values"]} == expected


def test_hidden_cells_are_gaps_with_a_footnote_never_zeros(client: TestClient) -> None:
    stats = client.get("/v1/stats/flows").json()["data"]
    hidden_in_stats = sum(
        1
        for row in stats
        for key, value in row.items()
        if key.endswith("_suppressed") and value and "total" not in key
    )
    spec = _spec(client, "flows")
    hidden = [v for v in spec["data"]["values"] if v["suppressed"]]
    assert hidden and all(v["count"] is None for v in hidden)
    # Every hidden cell of the statistic is hidden in the chart: only all-zero series are left out.
    assert len(hidden) == hidden_in_stats
    assert f"Values hidden to protect people: {len(hidden)}." in spec_texts(spec)


def test_svg_is_an_image_of_the_asked_width_with_title_and_label(client: TestClient) -> None:
    response = client.get("/v1/charts/in-custody.svg?width=500&lang=ru&release=demo-2026-03")
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    root = ElementTree.fromstring(response.content)
    assert root.get("width") == "500"
    texts = " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Политзаключённые под стражей по месяцам" in texts
    assert "Демонстрационные данные" in texts


def test_png_is_decoded_at_width_times_scale(client: TestClient) -> None:
    spec = _spec(client, "releases-by-kind", "width=400&theme=dark")
    response = client.get("/v1/charts/releases-by-kind.png?width=400&scale=3&theme=dark")
    assert response.headers["content-type"] == "image/png"
    assert 'filename="releases-by-kind_demo-2026-03_synthetic.png"' in response.headers["content-disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, spec["height"] * 3)


def test_cache_headers_are_those_of_the_statistics(client: TestClient) -> None:
    latest = client.get("/v1/charts/flows.svg")
    assert latest.headers["cache-control"] == "public, max-age=300"
    pinned = client.get("/v1/charts/flows.svg?release=demo-2026-03")
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert pinned.content == latest.content and pinned.headers["etag"] == latest.headers["etag"]
    again = client.get(
        "/v1/charts/flows.svg?release=demo-2026-03", headers={"If-None-Match": pinned.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


def test_unknown_chart_and_release_are_404(client: TestClient) -> None:
    assert client.get("/v1/charts/pie.svg").status_code == 404
    response = client.get("/v1/charts/flows.svg?release=2019-01")
    assert response.status_code == 404 and response.json()["parameter"] == "release"


def test_widths_and_months_beyond_what_is_drawn_share_one_drawing(client: TestClient) -> None:
    """The key space of drawings is finite: a width snaps to one of a few, months clamp to the release's."""
    cache = client.app.state.stats.cache  # type: ignore[attr-defined]
    before = len(cache)
    base = "/v1/charts/flows.svg?release=demo-2026-03&lang=be"
    variants = ["", "&width=700", "&width=799&to=9999-12", "&from=0001-01&width=641", "&to=2999-01"]
    etags = {client.get(base + variant).headers["etag"] for variant in variants}
    assert len(etags) == 1 and len(cache) == before + 1
    root = ElementTree.fromstring(client.get(base + "&width=1199").content)
    assert root.get("width") == "1000"


def test_a_miss_finding_every_renderer_busy_is_503_with_retry_after(
    sqlite_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = RenderPool(slots=1, per_client=1)
    monkeypatch.setattr(images, "POOL", pool)

    def someone_else_drawing() -> None:
        current_client.set("someone else")
        pool.run(time.sleep, 3)

    held = threading.Thread(target=someone_else_drawing)
    held.start()
    while not pool._busy:
        time.sleep(0.01)
    response = sqlite_client.get("/v1/charts/sentences.png?release=demo-2026-03&width=300&scale=1&theme=dark")
    held.join()
    pool.close()
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) >= 1
