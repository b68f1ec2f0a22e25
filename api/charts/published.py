"""A chart's content from a series of real published figures (`api.figures_series`).

The same `Figure` the dataset-release charts draw, so the Vega-Lite spec, the SVG and PNG, the embed
page and its data table come from the same code. Every point keeps its value as the source states it
and its citation; the source line names the publishers and never carries a demonstration mark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from api.charts.figure import Citation, Figure, Point
from api.charts.locale import format_count, format_partial_date
from api.figures_series import LICENCE, Series
from api.labels import Lang
from api.translations import has_text, text

SHOWN_PUBLISHERS = 4
"""Publishers the source line names; the rest are counted ("and 20 more") and cited point by point."""
_EVENT_MEASURES = ("released", "expelled")


def chart_name(series: Series) -> str:
    """The name of a series' chart (`/v1/charts/{name}.svg`, `/embed/{name}`)."""
    return f"published-{series.key}"


def value_label(value: int, qualifier: str, lang: Lang) -> str:
    """`at least 1,234` — the value as its source states it."""
    return text(f"qualifier.{qualifier}", lang, n=format_count(value, lang))


def plot_date(value: str) -> str:
    """Where a date of a source's precision is drawn: a month at its 15th, a year at 1 July."""
    return value if len(value) == 10 else f"{value}-15" if len(value) == 7 else f"{value}-07-01"


def _citation(point: Mapping[str, Any]) -> Citation:
    return Citation(
        point["source_publisher"], point["source_title"], point["source_url"] or "", point["source_published"]
    )


def _point(point: Mapping[str, Any], x: str, lang: Lang) -> Point:
    measure = point["measure"]
    return Point(
        x,
        format_partial_date(point["date"], lang),
        measure,
        text(f"measure.{measure}", lang),
        point["value"],
        False,
        value_label(point["value"], point["qualifier"], lang),
        point["qualifier"],
        (_citation(point),),
    )


def _event_points(points: Sequence[Mapping[str, Any]], lang: Lang) -> list[Point]:
    """One bar per release and, over it, how many were taken abroad (the sum of its published parts)."""
    drawn: list[Point] = []
    for total in (p for p in points if p["measure"] == "released"):
        drawn.append(_point(total, total["date"], lang))
        parts = [p for p in points if p["measure"] == "expelled" and p["date"] == total["date"]]
        if parts:
            value = sum(p["value"] for p in parts)
            qualifier = next((p["qualifier"] for p in parts if p["qualifier"] != "exact"), "exact")
            drawn.append(
                Point(
                    total["date"],
                    format_partial_date(total["date"], lang),
                    "expelled",
                    text("measure.expelled", lang),
                    value,
                    False,
                    value_label(value, qualifier, lang),
                    qualifier,
                    tuple(_citation(p) for p in parts),
                )
            )
    return drawn


def source_line(drawn: Sequence[Point], lang: Lang) -> str:
    """`Sources: Viasna, Belsat … and 20 more (each point cites its own page) · … · CC-BY-4.0`."""
    counts = Counter(citation.publisher for point in drawn for citation in point.sources)
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    names = [text(f"source:{n}", lang) if has_text(f"source:{n}") else n for n in ranked]
    shown = ", ".join(names[:SHOWN_PUBLISHERS])
    if len(names) > SHOWN_PUBLISHERS:
        shown += " " + text("published.more", lang, n=len(names) - SHOWN_PUBLISHERS)
    return text("published.source", lang, publishers=shown or "—", licence=LICENCE)


def build_published_figure(series: Series, points: Sequence[Mapping[str, Any]], lang: Lang) -> Figure:
    """The figure of a published series in `lang`: real figures, each with its citation."""
    if series.shape == "events":
        drawn = _event_points(points, lang)
        x_title = text("release_event", lang)
    elif series.shape == "columns":
        drawn = [_point(p, p["date"], lang) for p in points]
        x_title = text("year" if series.key.endswith("year") else "month", lang)
    else:
        drawn = [_point(p, plot_date(p["date"]), lang) for p in points]
        x_title = text("date", lang)
    return Figure(
        chart=chart_name(series),
        shape=series.shape,
        lang=lang,
        title=text(f"published.{series.key}.title", lang),
        description=text(f"published.{series.key}.description", lang),
        subtitle=(),
        x_title=x_title,
        y_title=text("people", lang),
        series_title=None,
        points=tuple(drawn),
        line_series=series.lines,
        source=source_line(drawn, lang),
        notes=(text("published.conflicts", lang),) if series.shape == "timeline" else (),
        synthetic_label=None,
    )
