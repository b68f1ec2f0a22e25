"""Checks shared by the chart tests: the Vega-Lite schema, the counts a chart shows, hand-made figures."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema
import vl_convert

from api.charts.figure import Figure, Point


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft7Validator:
    # Altair ships the JSON schema of the Vega-Lite version vl-convert renders (v6), so no network is needed.
    schema = json.loads((resources.files("altair") / "vegalite/v6/schema/vega-lite-schema.json").read_text())
    return jsonschema.Draft7Validator(schema)


def assert_valid_spec(spec: dict[str, Any]) -> None:
    """Valid against the Vega-Lite JSON schema, and compiles to Vega."""
    errors = list(_validator().iter_errors(spec))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise AssertionError(f"{best.message[:300]} at {list(best.absolute_path)}")
    compiled = vl_convert.vegalite_to_vega(spec)
    assert compiled["marks"], "the spec compiled to no marks"


def shown_counts(spec: dict[str, Any]) -> list[int]:
    """Every count of people the inline data of a spec holds (what any renderer of it could show)."""
    return [v["count"] for v in spec["data"]["values"] if isinstance(v.get("count"), int)]


def figure(
    shape: str = "bars",
    points: list[tuple[str, str, int | None]] | None = None,
    synthetic: bool = True,
    lang: str = "en",
) -> Figure:
    """A figure with points (x, series, count); a None count is a hidden cell."""
    rows = points or [("a", "total", 120), ("b", "total", None), ("c", "total", 40)]
    months = shape in ("lines", "flows")
    return Figure(
        chart="test",
        shape=shape,  # type: ignore[arg-type]
        lang=lang,  # type: ignore[arg-type]
        title="A test chart",
        description="What the test chart shows.",
        subtitle=(),
        x_title="" if months else "Category",
        y_title="People",
        series_title="Series" if len({s for _, s, _ in rows}) > 1 else None,
        points=tuple(Point(x, x.upper(), s, s.title(), count, count is None) for x, s, count in rows),
        line_series=("recognized",) if shape == "flows" else (),
        source="Source: tests · release t-1, data as of 1 March 2026",
        notes=("Values hidden to protect people: 1.",),
        synthetic_label="Demonstration data generated to match published totals — not real records."
        if synthetic
        else None,
    )


def spec_texts(spec: dict[str, Any]) -> str:
    """Every text a spec shows in words: its title, subtitle and the text marks of its layers."""
    lines = list(spec.get("title", {}).get("text", [])) + list(spec.get("title", {}).get("subtitle", []))
    for layer in spec["layer"]:
        value = layer.get("encoding", {}).get("text", {}).get("value")
        lines += value if isinstance(value, list) else [value] if value else []
    return " ".join(lines)
