"""The generated description of a chart view: visible cells only, its language, the demonstration mark."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.charts.describe import describe, visible_points
from api.charts.figure import Point
from api.labels import LANGS
from api.translations import text
from tests.utils.charts import figure


def _numbers(sentence: str) -> set[int]:
    return {int(n.replace(",", "").replace("\u00a0", "")) for n in re.findall(r"\d[\d,\u00a0]*", sentence)}


def test_a_hidden_cell_is_never_read_even_when_it_holds_a_number() -> None:
    # A hidden point that (wrongly) still carried its count must not leak into the words.
    leaky = Point("b", "B", "total", "Total", 7777, True)
    shown = figure("bars", [("a", "total", 120), ("c", "total", 40)])
    drawn = replace(shown, points=(*shown.points, leaky))
    words = describe(drawn)
    assert "7777" not in words and "7,777" not in words
    assert leaky not in visible_points(drawn)
    assert {120, 40} <= _numbers(words)


@pytest.mark.parametrize("shape", ["lines", "bars", "columns", "flows"])
def test_every_number_said_is_a_visible_cell_or_the_hidden_count(shape: str) -> None:
    points = [("jan", "total", 300), ("feb", "total", None), ("mar", "total", 280)]
    drawn = figure(shape, points)
    allowed = {p.count for p in visible_points(drawn)} | {drawn.hidden}
    said = _numbers(describe(drawn))
    assert said and said <= allowed, (said, allowed)


@pytest.mark.parametrize("lang", LANGS)
def test_demonstration_data_is_marked_and_real_data_is_not(lang: str) -> None:
    mark = text("describe.demo", lang)  # type: ignore[arg-type]
    assert describe(figure(lang=lang)).startswith(mark)
    assert mark not in describe(figure(synthetic=False, lang=lang))


def test_latest_and_highest_of_a_time_series() -> None:
    points: list[tuple[str, str, int | None]] = [
        ("2026-01", "total", 900),
        ("2026-02", "total", 1200),
        ("2026-03", "total", 850),
    ]
    words = describe(figure("lines", points, synthetic=False))
    assert words == "Latest: 2026-03: 850. Highest: 2026-02: 1,200."


def test_a_view_with_every_cell_hidden_says_so() -> None:
    words = describe(figure("bars", [("a", "total", None), ("b", "total", None)], synthetic=False))
    assert words == f"{text('describe.none', 'en')} {text('describe.hidden', 'en', n='2')}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_flows_description_names_no_hidden_value_in_any_language(client: TestClient, lang: str) -> None:
    spec = client.get(f"/v1/charts/flows.vl.json?lang={lang}").json()
    hidden = [v for v in spec["data"]["values"] if v.get("suppressed")]
    assert hidden and all(v.get("count") is None for v in hidden)
    page = client.get(f"/charts/flows?lang={lang}").text
    (summary,) = re.findall(r'<p class="summary" id="summary">([^<]*)</p>', page)
    assert summary.startswith(text("describe.demo", lang))  # type: ignore[arg-type]
    visible = {v["count"] for v in spec["data"]["values"] if isinstance(v.get("count"), int)}
    said = _numbers(summary) - {int(y) for y in re.findall(r"20\d\d", summary)}
    assert said <= visible | {len(hidden)}, said - visible
