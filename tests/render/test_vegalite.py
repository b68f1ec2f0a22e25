"""Vega-Lite specs of hand-made figures: valid, sized, gaps for hidden cells, the demonstration label."""

from __future__ import annotations

from typing import Any

import pytest

from api.render.vegalite import chart_spec
from tests.utils.charts import assert_valid_spec, figure

MONTHS = [("2024-01", "total", 1500), ("2024-02", "total", None), ("2024-03", "total", 1450)]
FLOWS = [
    ("2024-01", "recognized", 40),
    ("2024-01", "pardon_expelled", None),
    ("2024-01", "pardon", 25),
    ("2024-02", "recognized", 35),
    ("2024-02", "pardon_expelled", 12),
    ("2024-02", "pardon", None),
]
SPLIT = [("a", "female", 10), ("a", "male", 50), ("b", "female", None), ("b", "male", 40)]
SHAPES = {"lines": MONTHS, "flows": FLOWS, "columns": SPLIT, "bars": SPLIT}


def _texts(spec: dict[str, Any]) -> list[str]:
    """Every constant text a spec draws (text marks with a value)."""
    found = []
    for layer in spec["layer"]:
        value = layer.get("encoding", {}).get("text", {}).get("value")
        if value is not None:
            found += value if isinstance(value, list) else [value]
    return found


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("width", [300, 1200])
@pytest.mark.parametrize("framed", [True, False])
def test_every_shape_is_valid_vega_lite(shape: str, width: int, framed: bool) -> None:
    spec = chart_spec(figure(shape, SHAPES[shape]), width, "light", framed=framed)
    assert_valid_spec(spec)
    assert spec["width"] == width and spec["autosize"] == {"type": "fit", "contains": "padding"}


@pytest.mark.parametrize("shape", SHAPES)
def test_hidden_cells_stay_null_in_the_inline_data(shape: str) -> None:
    spec = chart_spec(figure(shape, SHAPES[shape]), 640, "light")
    hidden = [v for v in spec["data"]["values"] if v["suppressed"]]
    assert hidden and all(v["count"] is None for v in hidden)


def test_a_line_breaks_at_a_hidden_month_instead_of_joining_over_it() -> None:
    spec = chart_spec(figure("lines", MONTHS), 640, "light")
    assert spec["layer"][0]["mark"]["invalid"] == "break-paths-show-domains"


def test_hidden_bars_are_marked_hidden_not_drawn_as_zero() -> None:
    spec = chart_spec(figure("bars"), 640, "light")
    markers = [layer for layer in spec["layer"] if layer.get("transform") == [{"filter": "datum.suppressed"}]]
    assert markers and markers[0]["encoding"]["text"]["value"] == "hidden"


def test_the_synthetic_label_is_drawn_inside_the_plot_only_for_synthetic_data() -> None:
    label = "Demonstration data generated to match published totals — not real records."
    synthetic = chart_spec(figure(synthetic=True), 1200, "light")
    real = chart_spec(figure(synthetic=False), 1200, "light")
    assert label in " ".join(_texts(synthetic))
    assert label not in " ".join(_texts(real))


def test_framed_specs_carry_title_description_and_source() -> None:
    spec = chart_spec(figure(), 640, "light", framed=True)
    assert spec["title"]["text"] == ["A test chart"]
    assert "What the test chart shows." in spec["title"]["subtitle"]
    assert any(line.startswith("Source: tests") for line in _texts(spec))
    assert spec["description"].startswith("A test chart.")
    assert "title" not in chart_spec(figure(), 640, "light", framed=False)


@pytest.mark.parametrize(("lang", "month"), [("en", "March"), ("be", "сакавік"), ("ru", "март")])
def test_the_spec_carries_its_own_locale(lang: str, month: str) -> None:
    locale = chart_spec(figure("lines", MONTHS, lang=lang), 640, "light")["config"]["locale"]
    assert locale["time"]["months"][2] == month
    assert locale["number"]["thousands"] == ("," if lang == "en" else "\u00a0")


def test_page_drawings_take_their_colours_from_the_page() -> None:
    spec = chart_spec(figure(), 640, "page", framed=False)
    assert spec["background"] == "transparent"
    assert spec["config"]["axis"]["labelColor"] == "currentColor"
