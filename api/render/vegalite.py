"""A figure as a Vega-Lite spec with its data inline — the one drawing behind every chart format.

The inline data are the figure's points (cells of the protected statistic), nothing else: a hidden
cell stays `null` and the marks leave a gap where it would be. Sizes are given for the whole chart
(`autosize: fit`), so `width=320` is 320 pixels including axes, legend and texts.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass
from typing import Any

from api.charts.figure import Figure, Point
from api.charts.locale import number_locale, time_locale
from api.render.text_lines import Style, broken
from api.translations import text

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
_CHAR = 0.53
_BANNER = Style(11, 14, bold=True)
"""The demonstration label inside the plot (`_banner` draws it so)."""
"""Average glyph width in ems of the font, to wrap texts before Vega lays them out."""
_AXIS_WIDTH = 56
"""Room the value axis of a vertical chart takes at the left (labels and title)."""
_GAP = "break-paths-show-domains"
"""Vega-Lite's `invalid` mode that breaks a line at a null value: hidden months are gaps."""
_MONTH_LABEL = 70
"""Pixels a month label of a time axis takes, with room on each side ("сакавік 2026" is the widest)."""
_LABEL_LINE = 13
"""Pixels per line of a wrapped category label."""
_LEGEND_ITEM = 170
_PHONE_LEGEND_ITEM = 140
"""Pixels per legend entry (symbol and label); the legend wraps into rows of as many as fit."""


@dataclass(frozen=True)
class Palette:
    foreground: str
    background: str


PALETTES = {
    "light": Palette("#1f1f1f", "#ffffff"),
    "dark": Palette("#ececec", "#18181b"),
    # Inline SVG in the embed page: text and lines take the page's colour, so one drawing serves
    # the light, dark and auto themes alike.
    "page": Palette("currentColor", "transparent"),
}
# Mid-tone colours that read on white and on near-black alike.
SERIES_COLOURS = ("#4a7fc1", "#e8793b", "#3aa17e", "#c25a9a", "#a08a2c", "#8c6fd1", "#d9534f", "#6f8f9f")
RELEASE_COLOURS = {
    "pardon_expelled": "#d9534f",
    "pardon": "#e8a33b",
    "end_of_term": "#4a7fc1",
    "sentence_changed": "#3aa17e",
    "acquitted": "#8c6fd1",
    "died_in_custody": "#8a5a44",
    "other": "#9aa5ad",
}


def wrap(line: str, width: float, font_size: float, *, bold: bool = False) -> list[str]:
    """`line` broken into lines that fit `width` pixels (an estimate: Cyrillic and bold run wider)."""
    em = _CHAR + (0.06 if bold else 0) + (0.04 if any("\u0400" <= c <= "\u04ff" for c in line) else 0)
    return textwrap.wrap(line, max(12, int(width / (font_size * em)))) or [""]


def chart_spec(figure: Figure, width: int, theme: str, *, framed: bool = True) -> dict[str, Any]:
    """The Vega-Lite spec of `figure`, `width` pixels wide; `framed` adds title, source and notes."""
    palette = PALETTES[theme]
    left = _left_axis_width(figure, width)
    plot_width = width - left - 12
    title, subtitle = (_title_lines(figure, width)) if framed else ([], [])
    footer = [line for part in (figure.source, *figure.notes) for line in wrap(part, width - 12, 10.5)]
    # Measured on the wide side as the embed page's text is: a cut word here would be a cut warning.
    banner = broken(figure.synthetic_label or "", plot_width - 12, _BANNER)
    banner_height = 14 * len(banner) + 8 if banner else 0
    legend_rows = _legend_rows(figure, width)
    plot_height = _plot_height(figure, width, banner_height)
    axis_height = (40 if figure.x_title else 26) + _turned_label_room(figure, width)
    height = (
        (20 * len(title) + 16 * len(subtitle) + 14 if framed else 0)
        + (legend_rows * 18 + 12 if legend_rows else 0)
        + plot_height
        + axis_height
        + (len(footer) * 13 + 12 if framed else 0)
        + 12
    )
    layers = _marks(figure, palette, width)
    if banner:
        layers += _banner(banner, palette)
    if framed:
        layers.append(_footer(footer, -left, axis_height, palette))
    for layer in layers:
        # No ARIA roles on single marks: the chart is one image, described as a whole (and by its table).
        # A mark with a tooltip keeps its description for the drawn SVG, which turns it into a hover
        # title and drops the roles again (`api.render.images.hover_titles`).
        described = "tooltip" in layer.get("encoding", {})
        layer["mark"]["aria"] = described
        if described:
            layer["encoding"]["description"] = {"field": "hover"}
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "description": " ".join((figure.title + ".", figure.description, figure.source)),
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": 6,
        "background": palette.background,
        "config": _config(figure, palette),
        "data": _data(figure),
        "encoding": _position(figure, width, banner_height),
        "layer": layers,
    }
    if framed:
        spec["title"] = {
            "text": title,
            "subtitle": subtitle,
            "anchor": "start",
            "frame": "bounds",
            "offset": 12,
        }
    return spec


def _title_lines(figure: Figure, width: int) -> tuple[list[str], list[str]]:
    title = wrap(figure.title, width - 16, 16, bold=True)
    subtitle = [
        line for part in (figure.description, *figure.subtitle) for line in wrap(part, width - 16, 12)
    ]
    return title, subtitle


def _left_axis_width(figure: Figure, width: int) -> int:
    """An estimate of the axis at the left of the plot, so the footer lines up with the title."""
    if figure.shape in ("bars", "events"):
        longest = max((len(p.x_label) for p in figure.points), default=4)
        longest = max(
            (len(line) for lines in _label_lines(figure, width).values() for line in lines), default=longest
        )
        return min(_label_limit(width), math.ceil(longest * 11 * _CHAR)) + 10
    top = max((p.count or 0 for p in figure.points), default=0)
    digits = len(f"{top * 2:,}")
    return math.ceil(digits * 11 * _CHAR) + 26


def _label_limit(width: int) -> int:
    return max(90, int(width * 0.4))


def _legend_item(width: int) -> int:
    """Pixels per legend entry: narrower on a phone, where long labels wrap instead."""
    return _LEGEND_ITEM if width >= 500 else _PHONE_LEGEND_ITEM


def _legend_columns(width: int) -> int:
    return max(1, (width - 16) // _legend_item(width))


def _legend_label_lines(figure: Figure, width: int) -> dict[str, list[str]]:
    """Legend labels too long for their entry, broken into lines (a phone's legend in two columns takes
    half the rows of one column of uncut labels)."""
    limit = _legend_item(width) - 30
    wrapped = {label: wrap(label, limit, 11) for label in (figure.label_of(s) for s in figure.series_order)}
    return {label: lines for label, lines in wrapped.items() if len(lines) > 1}


def _legend_rows(figure: Figure, width: int) -> int:
    """Lines the legend takes: its rows of entries, each as tall as its most wrapped label."""
    labels = [figure.label_of(s) for s in figure.series_order]
    if len(labels) < 2:
        return 0
    columns, lines = _legend_columns(width), _legend_label_lines(figure, width)
    rows = [labels[i : i + columns] for i in range(0, len(labels), columns)]
    return sum(max(len(lines.get(label, [label])) for label in row) for row in rows)


def _plot_height(figure: Figure, width: int, banner_height: int) -> int:
    if figure.shape in ("bars", "events"):
        bands = len(figure.x_order) + len(_blank_bands(figure, banner_height, width))
        return bands * _bar_step(figure, width)
    return max(170, min(380, round(width * 0.42))) + banner_height


def _bar_step(figure: Figure, width: int) -> int:
    # A release event's parts are drawn over its bar, not beside it.
    step = 24 if len(figure.series_order) == 1 or figure.shape == "events" else 28
    lines = max((len(lines) for lines in _label_lines(figure, width).values()), default=1)
    return max(step, lines * _LABEL_LINE + 6)


def _label_lines(figure: Figure, width: int) -> dict[str, list[str]]:
    """Category labels too long for the axis, broken into lines that fit it: a label is never cut (an
    article's title is what tells one bar from another)."""
    if figure.shape != "bars":
        return {}
    limit = _label_limit(width)
    wrapped = {label: wrap(label, limit, 11) for label in dict.fromkeys(p.x_label for p in figure.points)}
    return {label: lines for label, lines in wrapped.items() if len(lines) > 1}


def _label_expr(lines: dict[str, list[str]]) -> str:
    """A Vega expression that draws each wrapped label as its lines (the others as they are)."""
    return f"({json.dumps(lines, ensure_ascii=False)})[datum.label] || datum.label"


def _bands_turned(figure: Figure, width: int) -> bool:
    """Whether the band labels of a column chart stand upright: side by side they would overlap, and
    an axis that drops every other label leaves bands unnamed."""
    if figure.shape != "columns" or any(p.sources for p in figure.points):
        return False
    labels = list(dict.fromkeys(p.x_label for p in figure.points))
    plot_width = width - _left_axis_width(figure, width) - 12
    longest = max((len(label) for label in labels), default=0) * 11 * _CHAR
    return bool(labels) and longest > plot_width / len(labels) - 4


def _turned_label_room(figure: Figure, width: int) -> int:
    """Extra height an axis of upright labels takes (their length, less the one line they had)."""
    if not _bands_turned(figure, width):
        return 0
    longest = max(len(p.x_label) for p in figure.points)
    return math.ceil(longest * 11 * _CHAR) - 12


def _blank_bands(figure: Figure, banner_height: int, width: int) -> list[str]:
    """Empty categories above the first bar, where the demonstration label sits (distinct blank names)."""
    return (
        [" " * (i + 1) for i in range(math.ceil((banner_height + 4) / _bar_step(figure, width)))]
        if banner_height
        else []
    )


def _config(figure: Figure, palette: Palette) -> dict[str, Any]:
    ink = palette.foreground
    return {
        "font": FONT,
        "aria": False,
        "view": {"stroke": None},
        "locale": {"number": number_locale(figure.lang), "time": time_locale(figure.lang)},
        "title": {
            "color": ink,
            "subtitleColor": ink,
            "fontSize": 16,
            "subtitleFontSize": 12,
            "subtitlePadding": 6,
        },
        "axis": {
            "labelColor": ink,
            "titleColor": ink,
            "domainColor": ink,
            "tickColor": ink,
            "gridColor": ink,
            "gridOpacity": 0.14,
            "labelFontSize": 11,
            "titleFontSize": 11,
            "titleFontWeight": "normal",
        },
        "legend": {"labelColor": ink, "titleColor": ink, "labelFontSize": 11, "titleFontSize": 11},
        "text": {"color": ink, "font": FONT},
    }


def _data(figure: Figure) -> dict[str, Any]:
    values = [
        {
            "x": p.x,
            "x_label": p.x_label,
            "series": p.series,
            "series_label": p.series_label,
            "count": p.count,
            "suppressed": p.suppressed,
        }
        | (_cited(p) if p.sources else {})
        for p in figure.points
    ]
    data: dict[str, Any] = {"values": values}
    if figure.shape in ("lines", "flows"):
        data["format"] = {"parse": {"x": "utc:'%Y-%m'"}}
    if figure.shape == "timeline":
        data["format"] = {"parse": {"x": "utc:'%Y-%m-%d'"}}
    return data


def _cited(point: Point) -> dict[str, Any]:
    """A published figure's value as its source states it, and its sources, for the tooltip."""
    source = "; ".join(f"{c.publisher}: {c.title}" for c in point.sources)
    return {
        "value_label": point.value_label,
        "exact": point.qualifier == "exact",
        "source": source,
        "source_url": point.sources[0].url,
        "hover": f"{point.x_label}, {point.series_label}: {point.value_label}. {source}",
    }


def _tooltip(figure: Figure) -> list[dict[str, Any]]:
    """Date, measure, value as published and source of the point under the pointer."""
    return [
        {"field": "x_label", "title": figure.x_title},
        {"field": "series_label", "title": text("measure", figure.lang)},
        {"field": "value_label", "title": figure.y_title},
        {"field": "source", "title": text("source_column", figure.lang)},
    ]


def _colour(figure: Figure, palette: Palette, width: int) -> dict[str, Any]:
    series = figure.series_order
    if figure.shape == "flows":
        colours = [
            palette.foreground if s in figure.line_series else RELEASE_COLOURS.get(s, "#9aa5ad")
            for s in series
        ]
    elif figure.shape == "events":
        colours = [RELEASE_COLOURS["pardon_expelled" if s == "expelled" else "pardon"] for s in series]
    else:
        colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(series))]
    if len(series) < 2:
        return {"value": colours[0] if colours else SERIES_COLOURS[0]}
    labels = [figure.label_of(s) for s in series]
    return {
        "field": "series_label",
        "type": "nominal",
        "title": figure.series_title,
        "scale": {"domain": labels, "range": colours},
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            "columns": _legend_columns(width),
            "labelLimit": 0,
            "symbolSize": 90,
            **(
                {"labelExpr": _label_expr(wrapped)} if (wrapped := _legend_label_lines(figure, width)) else {}
            ),
        },
    }


def _position(figure: Figure, width: int, banner_height: int) -> dict[str, Any]:
    """The shared encoding of categories (or months) and counts."""
    count: dict[str, Any] = {"field": "count", "type": "quantitative", "title": figure.y_title}
    labels = list(dict.fromkeys(p.x_label for p in figure.points))
    if figure.shape in ("lines", "flows"):
        months: dict[str, Any] = {"field": "x", "type": "temporal", "timeUnit": "utcyearmonth", "title": None}
        months["axis"] = {"values": _month_ticks(figure, width), "labelOverlap": False, "grid": False}
        count["axis"] = {"tickCount": 5}
        return {"x": months, "y": count | _headroom(figure, banner_height, width)}
    if figure.shape == "timeline":
        dates: dict[str, Any] = {"field": "x", "type": "temporal", "title": None}
        dates["axis"] = {"labelOverlap": True, "grid": False, "tickCount": max(2, width // 110)}
        count["axis"] = {"tickCount": 5}
        return {"x": dates, "y": count}
    if figure.shape == "columns":
        bins: dict[str, Any] = {
            "field": "x_label",
            "type": "ordinal",
            "sort": labels,
            "title": figure.x_title,
        }
        if _bands_turned(figure, width):
            bins["axis"] = {"labelAngle": -90, "labelOverlap": False}
        else:
            bins["axis"] = {"labelAngle": 0, "labelOverlap": True}
        return {"x": bins, "y": count | _headroom(figure, banner_height, width)}
    category: dict[str, Any] = {"field": "x_label", "type": "nominal", "sort": labels, "title": None}
    # No limit: labels that would not fit are wrapped into lines, never cut with an ellipsis.
    category["axis"] = {"labelLimit": 0, "labelLineHeight": _LABEL_LINE}
    wrapped = _label_lines(figure, width)
    if wrapped:
        category["axis"]["labelExpr"] = _label_expr(wrapped)
    if banner_height:
        # The demonstration label sits in empty bands at the top of the plot, above the first bar.
        category["scale"] = {"domain": [*_blank_bands(figure, banner_height, width), *labels]}
        category["axis"]["values"] = labels
    count["axis"] = {"tickCount": max(2, width // 120)}
    top = max((p.count or 0 for p in figure.points), default=0)
    if (len(figure.series_order) == 1 or figure.shape == "events") and top:
        # Room at the end of the longest bar for its value label.
        plot_width = width - _left_axis_width(figure, width) - 12
        count["scale"] = {"domainMax": math.ceil(top * plot_width / max(plot_width - 48, 1))}
    return {"y": category, "x": count}


def _month_ticks(figure: Figure, width: int) -> list[dict[str, Any]]:
    """Months labelled on a time axis: the first and the last drawn, and evenly spaced ones between, as
    many as fit — a reader sees where the series starts and ends, not only round years."""
    months = sorted(dict.fromkeys(figure.x_order))
    if not months:
        return []
    count = min(len(months), max(2, (width - 70) // _MONTH_LABEL))
    picked = dict.fromkeys(months[round(i * (len(months) - 1) / max(count - 1, 1))] for i in range(count))
    return [{"year": int(m[:4]), "month": int(m[5:7]), "utc": True} for m in picked]


def _headroom(figure: Figure, banner_height: int, width: int) -> dict[str, Any]:
    """Raises the top of the value scale so that no data point hides under the demonstration label."""
    if not banner_height:
        return {}
    totals: dict[tuple[str, str], int] = {}
    for p in figure.points:
        stacked = figure.shape == "flows" and p.series not in figure.line_series
        key = (p.x, "stack" if stacked else p.series)
        totals[key] = totals.get(key, 0) + (p.count or 0)
    top = max(totals.values(), default=0)
    if not top:
        return {}
    plot_height = _plot_height(figure, width, banner_height)
    return {"scale": {"domainMax": math.ceil(top / (1 - (banner_height + 8) / plot_height))}}


def _marks(figure: Figure, palette: Palette, width: int) -> list[dict[str, Any]]:
    colour = _colour(figure, palette, width)
    hidden_marker: dict[str, Any] = {
        # `invalid: show` keeps the rows whose count is null: they are the ones this layer marks.
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "middle",
            "dx": 4,
            "fontSize": 10,
            "fontStyle": "italic",
            "invalid": "show",
        },
        "transform": [{"filter": "datum.suppressed"}],
        "encoding": {"text": {"value": text("hidden", figure.lang)}, "color": {"value": palette.foreground}},
    }
    if figure.shape == "lines":
        return [{"mark": {"type": "line", "strokeWidth": 2, "invalid": _GAP}, "encoding": {"color": colour}}]
    if figure.shape == "timeline":
        return _timeline_marks(figure, colour)
    if figure.shape == "events":
        return _event_marks(figure, colour, palette)
    if figure.shape == "flows":
        order = ", ".join(f"'{s}'" for s in figure.series_order)
        bars = {
            "mark": {"type": "bar", "invalid": _GAP},
            "transform": [
                {"filter": {"not": {"field": "series", "oneOf": list(figure.line_series)}}},
                {"calculate": f"indexof([{order}], datum.series)", "as": "stack_order"},
            ],
            "encoding": {"color": colour, "order": {"field": "stack_order", "type": "quantitative"}},
        }
        line = {
            "mark": {"type": "line", "strokeWidth": 1.5, "invalid": _GAP},
            "transform": [{"filter": {"field": "series", "oneOf": list(figure.line_series)}}],
            "encoding": {"color": colour},
        }
        return [bars, line, _hidden_releases(figure, palette)]
    several = len(figure.series_order) > 1
    series_offset = {"field": "series_label", "sort": [figure.label_of(s) for s in figure.series_order]}
    if figure.shape == "columns":
        columns: dict[str, Any] = {"mark": {"type": "bar", "invalid": _GAP}, "encoding": {"color": colour}}
        if any(p.sources for p in figure.points):
            columns["encoding"]["tooltip"] = _tooltip(figure)
        hidden_marker["mark"] |= {"angle": 270}
        hidden_marker["encoding"] |= {"y": {"datum": 0}}
        if several:
            columns["encoding"]["xOffset"] = series_offset
            hidden_marker["encoding"]["xOffset"] = series_offset
        return [columns, hidden_marker]
    bars_layer: dict[str, Any] = {"mark": {"type": "bar", "invalid": _GAP}, "encoding": {"color": colour}}
    if several:
        return [bars_layer]  # stacked: a hidden part is a gap in its bar, named in the note
    hidden_marker["encoding"] |= {"x": {"datum": 0}}
    values = {
        "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 3, "fontSize": 10.5},
        "encoding": {"text": {"field": "count", "format": ","}, "color": {"value": palette.foreground}},
    }
    return [bars_layer, values, hidden_marker]


def _hidden_releases(figure: Figure, palette: Palette) -> dict[str, Any]:
    """A mark at the foot of each month with hidden releases: a gap alone reads as "nobody released"."""
    return {
        "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 22, "invalid": "show"},
        "transform": [
            {"filter": "datum.suppressed"},
            {"filter": {"not": {"field": "series", "oneOf": list(figure.line_series)}}},
        ],
        "encoding": {
            "y": {"datum": 0},
            "color": {"value": palette.foreground},
            "opacity": {"value": 0.55},
        },
    }


def _timeline_marks(figure: Figure, colour: dict[str, Any]) -> list[dict[str, Any]]:
    """Published counts as points (hollow when the source gives a bound or an approximation), joined
    by a line where they count one thing at successive dates."""
    line = {
        "mark": {"type": "line", "strokeWidth": 1.5, "opacity": 0.6},
        "transform": [{"filter": {"field": "series", "oneOf": list(figure.line_series)}}],
        "encoding": {"color": colour},
    }
    points = [
        {
            "mark": {"type": "point", "filled": exact, "size": 40, "opacity": 1, "strokeWidth": 1.5},
            "transform": [{"filter": f"{'' if exact else '!'}datum.exact"}],
            "encoding": {"color": colour, "tooltip": _tooltip(figure)},
        }
        for exact in (True, False)
    ]
    return ([line] if figure.line_series else []) + points


def _event_marks(figure: Figure, colour: dict[str, Any], palette: Palette) -> list[dict[str, Any]]:
    """Each release as a bar of its size, how many were taken abroad drawn over it, and its size as text."""
    order = ", ".join(f"'{s}'" for s in figure.series_order)
    bars = {
        "mark": {"type": "bar"},
        "transform": [{"calculate": f"indexof([{order}], datum.series)", "as": "layer_order"}],
        "encoding": {
            "x": {"field": "count", "type": "quantitative", "stack": None, "title": figure.y_title},
            "color": colour,
            "order": {"field": "layer_order", "type": "quantitative"},
            "tooltip": _tooltip(figure),
        },
    }
    sizes = {
        "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 3, "fontSize": 10.5},
        "transform": [{"filter": "datum.series == 'released'"}],
        "encoding": {"text": {"field": "value_label"}, "color": {"value": palette.foreground}},
    }
    return [bars, sizes]


def _banner(lines: list[str], palette: Palette) -> list[dict[str, Any]]:
    """The demonstration-data label, inside the plot, so that no crop of the chart loses it."""
    height = 14 * len(lines) + 8
    one: dict[str, Any] = {"values": [{}]}
    band = {
        "data": one,
        "mark": {"type": "rect", "fill": palette.foreground, "opacity": 0.08},
        "encoding": {
            "x": {"value": 0},
            "x2": {"value": {"expr": "width"}},
            "y": {"value": 0},
            "y2": {"value": height},
        },
    }
    label = {
        "data": one,
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": 11,
            "fontWeight": "bold",
            "lineHeight": 14,
            "fill": palette.foreground,
        },
        "encoding": {"x": {"value": 6}, "y": {"value": 5}, "text": {"value": lines}},
    }
    return [band, label]


def _footer(lines: list[str], x: int, axis_height: int, palette: Palette) -> dict[str, Any]:
    """Source and notes under the x axis (Vega-Lite has one title per chart, and it is at the top)."""
    return {
        "data": {"values": [{}]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": 10.5,
            "lineHeight": 13,
            "fill": palette.foreground,
        },
        "encoding": {
            "x": {"value": x},
            "y": {"value": {"expr": f"height + {axis_height}"}},
            "text": {"value": lines},
        },
    }
