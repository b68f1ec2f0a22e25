"""Query parameters of the chart endpoints: the statistic's own, plus width, scale and theme.

The statistic's parameters go through the statistics API's own `parse_query`, so a chart and its
statistic accept and refuse exactly the same values; `format` and `bom` (CSV only) are not taken.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from api.charts.chart import Chart
from api.labels import LANGS, Lang
from api.problems import bad_parameter
from api.query import (
    MAX_DIMENSIONS,
    Params,
    StatQuery,
    allowed_value,
    one_value,
    openapi_parameters,
    parse_query,
)

Output = Literal["spec", "svg", "png", "embed", "page"]
"""What a request asks for: an image or spec, the embed page, or the chart page (`/charts/{chart}`)."""
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 300, 1200, 640
DRAWN_WIDTHS = (300, 400, 500, 640, 800, 1000, 1200)
"""The widths charts are drawn at: a width asked for is drawn at the largest of these not above it, so
the drawings of a chart are few (each costs a render and a place in the caches) whatever is asked."""
SCALES = ("1", "2", "3")
DEFAULT_SCALE = 2
IMAGE_THEMES = ("light", "dark")
EMBED_THEMES = ("light", "dark", "auto")
_CSV_ONLY = {"format", "bom", "totals", "sep", "shape", "part"}
"""Parameters of a table's representation, not of a chart."""
_OWN: dict[Output, tuple[str, ...]] = {
    "spec": ("width", "theme"),
    "svg": ("width", "theme"),
    "png": ("width", "scale", "theme"),
    "embed": ("theme",),
    # The chart page takes the width of the images and snippets it offers, and the embed's themes.
    "page": ("width", "theme"),
}


@dataclass(frozen=True)
class ChartQuery:
    """A checked chart request: the statistics query behind it and how to draw it."""

    chart: Chart
    query: StatQuery
    width: int = DEFAULT_WIDTH
    scale: int = DEFAULT_SCALE
    theme: str = "light"

    def link_params(self, release: str) -> list[tuple[str, str]]:
        """The query's parameters for the chart's own URLs: a split the chart always has is the chart,
        not a parameter (its URLs refuse `by`), whereas the statistic's URLs need it."""
        params = self.query.canonical_params(release)
        return [(name, value) for name, value in params if not (name == "by" and self.chart.fixed_by)]

    def chart_params(self, output: Output) -> list[tuple[str, str]]:
        """The drawing parameters `output` takes, when they differ from the defaults."""
        return drawing_params(output, self.width, self.scale, self.theme)


def drawing_params(output: Output, width: int, scale: int, theme: str) -> list[tuple[str, str]]:
    """The drawing parameters `output` takes, when they differ from the defaults."""
    params: list[tuple[str, str]] = []
    if "width" in _OWN[output] and width != DEFAULT_WIDTH:
        params.append(("width", str(width)))
    if "scale" in _OWN[output] and scale != DEFAULT_SCALE:
        params.append(("scale", str(scale)))
    if theme != "light":
        params.append(("theme", theme))
    return params


@dataclass(frozen=True)
class DrawingQuery:
    """A checked request for a chart of published figures: only language and drawing parameters."""

    lang: Lang = "en"
    width: int = DEFAULT_WIDTH
    scale: int = DEFAULT_SCALE
    theme: str = "light"

    def params(self, output: Output) -> list[tuple[str, str]]:
        """The parameters `output` takes, when they differ from the defaults."""
        own = drawing_params(output, self.width, self.scale, self.theme)
        return ([("lang", self.lang)] if self.lang != "en" else []) + own


def parse_drawing_query(params: Params, output: Output) -> DrawingQuery:
    """Check every parameter of a request for a chart of published figures; a bad one is a 400 problem."""
    own = _OWN[output]
    allowed = {"lang", *own}
    for name in params.names():
        if name not in allowed:
            raise bad_parameter(name, "unknown", sorted(allowed))
    lang: Lang = _choice(params, "lang", LANGS, "en")  # type: ignore[assignment]
    return DrawingQuery(
        lang,
        _width(params) if "width" in own else DEFAULT_WIDTH,
        int(_choice(params, "scale", SCALES, str(DEFAULT_SCALE))) if "scale" in own else DEFAULT_SCALE,
        _choice(params, "theme", EMBED_THEMES if output in ("embed", "page") else IMAGE_THEMES, "light"),
    )


def _width(params: Params) -> int:
    value = one_value(params, "width")
    if value is None:
        return DEFAULT_WIDTH
    if not value.isdigit() or not MIN_WIDTH <= int(value) <= MAX_WIDTH:
        raise bad_parameter("width", "width", value=value[:16], low=MIN_WIDTH, high=MAX_WIDTH)
    return max(width for width in DRAWN_WIDTHS if width <= int(value))


def within_months(chart_query: ChartQuery, first: str, last: str) -> ChartQuery:
    """The same chart with `from` and `to` inside the release's months `first`..`last`, and left out
    where they add nothing: `to=9999-12` and no `to` draw the same chart, so they are one drawing."""
    query = chart_query.query
    month_from, month_to = query.month_from, query.month_to
    if month_from is not None:
        month_from = min(max(month_from, first), last)
        month_from = None if month_from == first else month_from
    if month_to is not None:
        month_to = max(min(month_to, last), first)
        month_to = None if month_to == last else month_to
    return replace(chart_query, query=replace(query, month_from=month_from, month_to=month_to))


def _choice(params: Params, name: str, allowed: tuple[str, ...], default: str) -> str:
    return allowed_value(params, name, allowed) or default


def _statistic_params(params: Params, own: tuple[str, ...]) -> Params:
    """The request's query without the drawing parameters, for the statistics API's parser."""
    return Params([(name, value) for name, value in params.pairs if name not in own], params.accept)


def parse_chart_query(
    params: Params, chart: Chart, output: Output, levels: dict[str, tuple[str, ...]]
) -> ChartQuery:
    """Check every parameter of a chart request; a bad one is a 400 problem that names it."""
    own = _OWN[output]
    allowed = (chart.spec.names() - _CSV_ONLY) | set(own)
    for name in params.names():
        if name not in allowed:
            raise bad_parameter(name, "unknown", sorted(allowed))
    width = _width(params) if "width" in own else DEFAULT_WIDTH
    scale = int(_choice(params, "scale", SCALES, str(DEFAULT_SCALE))) if "scale" in own else DEFAULT_SCALE
    theme = _choice(params, "theme", EMBED_THEMES if output in ("embed", "page") else IMAGE_THEMES, "light")
    query = parse_query(_statistic_params(params, own), chart.spec, levels)
    return ChartQuery(
        chart, replace(query, format="json", bom=False, by=_split(chart, query)), width, scale, theme
    )


def _split(chart: Chart, query: StatQuery) -> tuple[str, ...]:
    if chart.fixed_by:
        return chart.fixed_by
    if query.by or len(query.filters) >= MAX_DIMENSIONS:
        return query.by
    return next(((name,) for name in chart.default_by if name not in query.filters), ())


def chart_openapi_parameters(
    chart: Chart, output: Output, levels: dict[str, tuple[str, ...]]
) -> list[dict[str, object]]:
    """The statistic's documented parameters (less the CSV-only ones) and the drawing parameters."""
    params = [p for p in openapi_parameters(chart.spec, levels) if p["name"] not in _CSV_ONLY]
    if chart.default_by:
        for item in params:
            if item["name"] == "by":
                item["description"] = (
                    f"{item['description']} Default: the first of {', '.join(chart.default_by)} "
                    "not fixed by a filter."
                )
    return params + drawing_openapi_parameters(output)


def drawing_openapi_parameters(output: Output) -> list[dict[str, object]]:
    """The documented drawing parameters of `output`: width, scale, theme."""
    params: list[dict[str, object]] = []
    own = _OWN[output]
    if "width" in own:
        params.append(
            _param(
                "width",
                f"Width of the whole chart in pixels, {MIN_WIDTH}–{MAX_WIDTH}; drawn at the largest of "
                + ", ".join(map(str, DRAWN_WIDTHS))
                + " not above it.",
                {"type": "integer", "minimum": MIN_WIDTH, "maximum": MAX_WIDTH, "default": DEFAULT_WIDTH},
            )
        )
    if "scale" in own:
        params.append(
            _param(
                "scale",
                "Pixels per chart pixel of the PNG (2 for sharp images on most screens).",
                {"type": "integer", "enum": [int(s) for s in SCALES], "default": DEFAULT_SCALE},
            )
        )
    themes = EMBED_THEMES if output in ("embed", "page") else IMAGE_THEMES
    description = "Colours: light or dark" + (
        ", or auto to follow the reader's system setting." if output == "embed" else "."
    )
    params.append(_param("theme", description, {"type": "string", "enum": list(themes), "default": "light"}))
    return params


def _param(name: str, description: str, schema: dict[str, object]) -> dict[str, object]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
