"""A short description of a chart view in its language, for alt text and for people who quote it.

Built from the figure's visible points only: a hidden (suppressed) cell is never read, whatever it
holds, so the description cannot say more than the chart shows. A figure of a synthetic release
starts with the demonstration mark.
"""

from __future__ import annotations

from collections.abc import Sequence

from api.charts.figure import Figure, Point
from api.charts.locale import format_count
from api.translations import text

_ORDERED = ("lines", "flows", "timeline", "events")
"""Shapes along time: described by their latest points and their highest one."""


def visible_points(figure: Figure) -> list[Point]:
    """The points a reader sees a number for: never a hidden one."""
    return [p for p in figure.points if not p.suppressed and p.count is not None]


def _value(point: Point, figure: Figure) -> str:
    assert point.count is not None
    return point.value_label or format_count(point.count, figure.lang)


def _cell(point: Point, figure: Figure, several: bool) -> str:
    """`March 2026, Women: 118`, or `Minsk: 400` when the chart has one series."""
    where = f"{point.x_label}, {point.series_label}" if several else point.x_label
    if figure.shape == "columns" and not point.sources and figure.x_title:
        where = f"{where} ({figure.x_title})"  # a band of months says nothing without its unit
    return f"{where}: {_value(point, figure)}"


def _latest(points: Sequence[Point], figure: Figure, several: bool) -> str:
    """Every visible value at the latest x that has one: `March 2026 — Women: 118; Men: 732`."""
    last = max(figure.x_order.index(p.x) for p in points)
    shown = [p for p in points if figure.x_order.index(p.x) == last]
    if not several:
        return _cell(shown[0], figure, False)
    return f"{shown[0].x_label} — " + "; ".join(f"{p.series_label}: {_value(p, figure)}" for p in shown)


def describe(figure: Figure) -> str:
    """What the chart shows, in a few sentences in the figure's language."""
    lang = figure.lang
    sentences = [text("describe.demo", lang)] if figure.synthetic_label else []
    points = visible_points(figure)
    several = len(figure.series_order) > 1
    if not points:
        sentences.append(text("describe.none", lang))
    else:
        highest = max(points, key=lambda p: p.count or 0)
        if figure.shape in _ORDERED or (figure.shape == "columns" and any(p.sources for p in points)):
            sentences.append(text("describe.latest", lang, what=_latest(points, figure, several)))
            sentences.append(text("describe.highest", lang, what=_cell(highest, figure, several)))
        else:
            lowest = min(points, key=lambda p: p.count or 0)
            sentences.append(text("describe.highest", lang, what=_cell(highest, figure, several)))
            if lowest is not highest:
                sentences.append(text("describe.lowest", lang, what=_cell(lowest, figure, several)))
    if figure.hidden:
        sentences.append(text("describe.hidden", lang, n=format_count(figure.hidden, lang)))
    return " ".join(sentences)
