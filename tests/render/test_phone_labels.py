"""Charts at phone width (320 px): no category label cut, no band label dropped — read in the SVG."""

from __future__ import annotations

import calendar
import re

import pytest
from fastapi.testclient import TestClient

from api.labels import LANGS
from api.render.embed import drawing_width


def _texts(svg: str) -> list[str]:
    """Each SVG text element shown, as it reads: its lines (tspans) joined by spaces. An axis label Vega
    drops because it would overlap stays in the SVG with opacity 0: it is not shown."""
    found = []
    for attributes, element in re.findall(r"<text([^>]*)>(.*?)</text>", svg, re.DOTALL):
        if 'opacity="0"' in attributes:
            continue
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", element) or [element]
        found.append(" ".join(line.replace("&amp;", "&").replace("&quot;", '"') for line in lines))
    return found


def _labels(client: TestClient, path: str) -> list[str]:
    spec = client.get(path.replace(".svg", ".vl.json")).json()
    return list(dict.fromkeys(str(v["x_label"]) for v in spec["data"]["values"]))


def _shown_at(client: TestClient, chart: str, query: str, page_width: int) -> tuple[list[str], list[str]]:
    """The data's category labels, and the texts of the drawing an embed page `page_width` px wide
    shows (CSS picks the widest of its drawings that fits)."""
    page = client.get(f"/embed/{chart}?{query}&theme=light").text
    (svg,) = re.findall(rf'<div class="w{drawing_width(page_width)}">(.*?)</div>', page, re.DOTALL)
    return _labels(client, f"/v1/charts/{chart}.svg?{query}"), _texts(svg)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("by", ["article", "region"])
def test_no_category_label_is_cut_at_320_px(sqlite_client: TestClient, lang: str, by: str) -> None:
    labels, texts = _shown_at(sqlite_client, "breakdown", f"by={by}&lang={lang}", 320)
    assert not [t for t in texts if "…" in t]
    assert len(labels) > 5
    missing = [label for label in labels if label not in texts]
    assert not missing, missing


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [320, 640])
def test_every_band_of_the_sentences_chart_is_labelled(client: TestClient, lang: str, width: int) -> None:
    labels, texts = _shown_at(client, "sentences", f"lang={lang}", width)
    assert len(labels) >= 5
    assert [label for label in labels if label in texts] == labels


def test_wide_charts_keep_their_labels_on_one_line(client: TestClient) -> None:
    svg = client.get("/v1/charts/breakdown.svg?by=region&width=1200").text
    axis = "".join(re.findall(r'<g class="mark-text role-axis-label".*?</g>', svg, re.DOTALL))
    assert "Minsk" in axis and "<tspan" not in axis


@pytest.mark.parametrize("chart", ["in-custody", "flows"])
@pytest.mark.parametrize("width", [320, 1200])
def test_time_axes_label_the_first_and_the_last_month(client: TestClient, chart: str, width: int) -> None:
    path = f"/v1/charts/{chart}.svg?width={width}"
    months = sorted(
        str(v["x"]) for v in client.get(path.replace(".svg", ".vl.json")).json()["data"]["values"]
    )
    texts = _texts(client.get(path).text)
    for month in (months[0], months[-1]):
        label = f"{calendar.month_abbr[int(month[5:])]} {month[:4]}"
        assert label in texts, (label, texts[:12])
    assert len([t for t in texts if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)]) >= 3


@pytest.mark.parametrize("lang", LANGS)
def test_hidden_releases_are_marked_not_left_as_empty_months(client: TestClient, lang: str) -> None:
    spec = client.get(f"/v1/charts/flows.vl.json?lang={lang}&width=320").json()
    hidden = [v for v in spec["data"]["values"] if v["suppressed"] and v["series"] != "recognized"]
    assert hidden
    svg = client.get(f"/v1/charts/flows.svg?lang={lang}&width=320").text
    (symbols,) = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.DOTALL)
    assert symbols.count("<path") == len(hidden)
    assert any("▲" in t for t in _texts(svg)), "the note that explains the mark"


@pytest.mark.parametrize("lang", LANGS)
def test_the_flows_legend_on_a_phone_is_two_columns_of_whole_labels(client: TestClient, lang: str) -> None:
    spec = client.get(f"/v1/charts/flows.vl.json?lang={lang}&width=320").json()
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["columns"] == 2
    labels = list(dict.fromkeys(str(v["series_label"]) for v in spec["data"]["values"]))
    texts = _texts(client.get(f"/v1/charts/flows.svg?lang={lang}&width=320").text)
    assert len(labels) >= 6 and not [label for label in labels if label not in texts]
    assert not [t for t in texts if "…" in t]
