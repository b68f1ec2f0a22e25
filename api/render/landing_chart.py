"""The chart the landing page leads with: the real published count in custody, with its citation.

The image is the series' own SVG (`/v1/charts/published-in-custody.svg`, same origin, so the page's
`img-src 'self'` allows it), light or dark as the reader's setting; the caption says what it is, names
the publishers, gives the series' citation and links to its data (each point with its source page), its
embed page and a PNG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from api.charts.figure import Figure
from api.charts.locale import format_partial_date
from api.charts.published import build_published_figure
from api.figures_series import Series, series_citation
from api.labels import Lang
from api.translations import text

LANDING_CHART_SERIES = "in-custody"
"""The published series whose chart leads the page."""


@dataclass(frozen=True)
class RealChart:
    """A published series' chart as the landing page shows it, in one language."""

    series: Series
    figure: Figure
    first: str
    """The date of the series' first point, and of its last one (as precise as the sources)."""
    last: str
    citation: str
    """How to cite the series (the text of its JSON `meta.citation`)."""

    @property
    def name(self) -> str:
        return self.figure.chart


def real_chart(
    series: Series, points: Sequence[Mapping[str, Any]], lang: Lang, base: str
) -> RealChart | None:
    """The chart of `series` from its points (None when it has none); `base` is the service's address."""
    if not points:
        return None
    figure = build_published_figure(series, points, lang)
    dates = sorted(str(point["date"]) for point in points)
    return RealChart(series, figure, dates[0], dates[-1], series_citation(series, points, base))


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def chart_image_url(chart: RealChart, theme: str = "light") -> str:
    """The chart's SVG in the page's language (`theme=dark` for readers who prefer dark)."""
    params: list[tuple[str, str]] = [("lang", chart.figure.lang)] if chart.figure.lang != "en" else []
    params += [("theme", theme)] if theme != "light" else []
    return _url(f"/v1/charts/{chart.name}.svg", params)


def _alt(chart: RealChart, lang: Lang) -> str:
    summary = text("chart_alt", lang).format(
        n=len(chart.figure.points),
        first=format_partial_date(chart.first, lang),
        last=format_partial_date(chart.last, lang),
    )
    return f"{chart.figure.title}. {chart.figure.description} {summary}"


@dataclass(frozen=True)
class ChartView:
    """What the landing page's `<figure>` shows of a chart (api/templates/_landing_chart.html)."""

    name: str
    figure: Figure
    light: str
    dark: str
    alt: str
    citation: str
    links: tuple[tuple[str, str], ...]
    """(URL, label key) of its data, embed page and PNG."""


def _links(chart: RealChart, lang: Lang) -> tuple[tuple[str, str], ...]:
    own: list[tuple[str, str]] = [("lang", lang)] if lang != "en" else []
    key = chart.series.key
    return (
        (f"/v1/figures/series/{key}?format=csv", "chart_csv"),
        (f"/v1/figures/series/{key}", "chart_json"),
        (_url(f"/embed/{chart.name}", own), "chart_embed"),
        (_url(f"/v1/charts/{chart.name}.png", own), "chart_png"),
    )


def chart_view(chart: RealChart | None, lang: Lang) -> ChartView | None:
    """The chart as the page shows it: its images, their description, its citation and its links."""
    if chart is None or not chart.figure.points:
        return None
    return ChartView(
        chart.name,
        chart.figure,
        chart_image_url(chart),
        chart_image_url(chart, "dark"),
        _alt(chart, lang),
        chart.citation,
        _links(chart, lang),
    )
