"""A chart's content, read from the protected result of its statistic: points, words and provenance.

A `Figure` is what every chart representation draws — the Vega-Lite spec, the SVG and PNG, the
embed page and its data table — so they cannot disagree. Its points are cells of the `StatResult`
the statistics service published (hidden cells stay hidden: `count` None, `suppressed` True); this
module only selects, orders and labels them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.charts.chart import Shape
from api.charts.locale import format_count, format_day, format_month, format_number
from api.charts.params import ChartQuery
from api.labels import Lang, vocabulary_label
from api.render.provenance import synthetic_label
from api.stats.dimensions import Vocabularies
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.table import TOTAL
from api.translations import has_text, text

_DESCENDING = {"region", "article"}
"""Splits without a natural order: their bars are sorted by size, largest first."""
_KIND_ORDER = (
    "pardon_expelled",
    "pardon",
    "end_of_term",
    "sentence_changed",
    "acquitted",
    "died_in_custody",
    "other",
)
"""Stacking order of releases: expulsions at the bottom of the stack, where they are easiest to read."""


@dataclass(frozen=True)
class Citation:
    """Where a published figure was read."""

    publisher: str
    title: str
    url: str
    published: str | None = None


@dataclass(frozen=True)
class Point:
    """One published cell (or published figure) as a chart draws it."""

    x: str
    x_label: str
    series: str
    series_label: str
    count: int | None
    suppressed: bool
    value_label: str | None = None
    """The value as its source states it ("at least 6"), for a published figure."""
    qualifier: str = "exact"
    """How a published figure's source states it: exact, at_least, more_than or about."""
    sources: tuple[Citation, ...] = ()
    """The citations of a published figure (several when a bar sums published parts)."""


@dataclass(frozen=True)
class Figure:
    """Everything a chart shows, in one language."""

    chart: str
    shape: Shape
    lang: Lang
    title: str
    description: str
    subtitle: tuple[str, ...]
    x_title: str
    y_title: str
    series_title: str | None
    points: tuple[Point, ...]
    line_series: tuple[str, ...]
    source: str
    notes: tuple[str, ...]
    synthetic_label: str | None

    @property
    def x_order(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.x for p in self.points))

    @property
    def series_order(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.series for p in self.points))

    def label_of(self, series: str) -> str:
        return next(p.series_label for p in self.points if p.series == series)

    @property
    def hidden(self) -> int:
        return sum(p.suppressed for p in self.points)


@dataclass(frozen=True)
class _Drawing:
    """What differs between the shapes of chart."""

    points: list[Point]
    title: str
    description: str
    x_title: str
    y_title: str
    split: str | None = None
    extra: tuple[str, ...] = ()


def build_figure(
    chart_query: ChartQuery, result: StatResult, release: ReleaseInfo, vocab: Vocabularies, threshold: int
) -> Figure:
    """The figure of `chart_query` from the protected `result` of its statistic."""
    chart, query, lang = chart_query.chart, chart_query.query, chart_query.query.lang
    drawing = _drawing(chart.name, chart.shape, result, chart_query, vocab)
    notes = []
    hidden = sum(p.suppressed for p in drawing.points)
    if hidden:
        notes.append(text("hidden.note", lang, n=format_count(hidden, lang), k=threshold))
        if chart.shape == "flows":
            notes.append(text("hidden.marked", lang))
    if "article" in (*query.by, *query.filters):
        notes.append(text("breakdown.articles", lang))
    series_title = text(drawing.split, lang) if drawing.split else None
    return Figure(
        chart=chart.name,
        shape=chart.shape,
        lang=lang,
        title=drawing.title,
        description=drawing.description,
        subtitle=(*_filters_line(query.filters, vocab, lang), *drawing.extra),
        x_title=drawing.x_title,
        y_title=drawing.y_title,
        series_title=series_title,
        points=tuple(drawing.points),
        line_series=("recognized",) if chart.shape == "flows" else (),
        source=source_line(release, lang),
        notes=tuple(notes),
        synthetic_label=synthetic_label(release, lang),
    )


def _drawing(
    name: str, shape: Shape, result: StatResult, chart_query: ChartQuery, vocab: Vocabularies
) -> _Drawing:
    query, lang = chart_query.query, chart_query.query.lang
    by = tuple(n for n in query.by if n not in chart_query.chart.fixed_by)
    split = by[0] if by else None
    if shape == "lines":
        return _Drawing(
            _series_points(result, by, vocab, lang),
            text("in-custody.title", lang),
            text("in-custody.description", lang),
            text("month", lang),
            text("in-custody.y", lang),
            split,
        )
    if shape == "flows":
        return _Drawing(
            _flow_points(result, vocab, lang),
            text("flows.title", lang),
            text("flows.description", lang),
            text("month", lang),
            text("flows.y", lang),
        )
    if shape == "columns":
        if name == "held-before-release":
            words = text("held.title", lang), text("held.description", lang), text("held.x", lang)
        else:
            kind = vocab.label("sentence_kind", query.sentence_kind or "prison", lang)
            words = (
                text("sentences.title", lang, kind=kind),
                text("sentences.description", lang, kind=kind),
                text("sentences.x", lang),
            )
        return _Drawing(
            _histogram_points(result, by, vocab, lang),
            *words,
            text("people", lang),
            split,
            _median_line(result, by, lang),
        )
    # The bars run along the article when there is one: a person counts under each of their articles,
    # so articles are never stacked on top of each other.
    axis = tuple(sorted(query.by, key=lambda n: n != "article"))
    points = _bar_points(name, result, axis, vocab, lang)
    if name == "releases-by-kind":
        title, description = text("releases-by-kind.title", lang), text("releases-by-kind.description", lang)
    else:
        phrase = _by_phrase(axis, lang)
        # Whom the bars count: everyone ever recognized, or the population asked for.
        whom = "" if query.population == "recognized" else f".{query.population}"
        title, description = (
            text(f"breakdown.title{whom}", lang, by=phrase),
            text(f"breakdown.description{whom}", lang, by=phrase),
        )
    x_title = text(axis[0], lang) if axis else ""
    return _Drawing(
        points, title, description, x_title, text("people", lang), axis[1] if len(axis) > 1 else None
    )


def source_line(release: ReleaseInfo, lang: Lang) -> str:
    names = []
    for source in release.sources:
        name = str(source.get("title", "")).split(",")[0].split("(")[0].strip()
        names.append(text(f"source:{name}", lang) if has_text(f"source:{name}") else name)
    return text(
        "source.synthetic" if release.synthetic else "source",
        lang,
        sources="; ".join(n for n in names if n) or "—",
        release=f"{release.id} ({text('synthetic.short', lang)})" if release.synthetic else release.id,
        as_of=format_day(release.valid_as_of, lang),
        licence=release.licence_name,
    )


def _count(value: Value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _total_label(lang: Lang) -> str:
    return vocabulary_label(TOTAL, lang) or TOTAL


def _without_empty_series(points: list[Point]) -> list[Point]:
    """Drops series that are exactly zero in every month (e.g. unknown gender): nothing to draw."""
    shown = {p.series for p in points if p.suppressed or p.count}
    return [p for p in points if p.series in shown] if shown else points


def _series_points(result: StatResult, by: tuple[str, ...], vocab: Vocabularies, lang: Lang) -> list[Point]:
    points = []
    for row in result.rows:
        month, series = str(row["month"]), str(row[by[0]]) if by else TOTAL
        if by and series == TOTAL:
            continue  # the split's lines are drawn; their total is the in-custody chart without a split
        label = vocab.label(by[0], series, lang) if by else _total_label(lang)
        points.append(
            Point(
                month, format_month(month, lang), series, label, _count(row["count"]), bool(row["suppressed"])
            )
        )
    return _without_empty_series(points)


def _flow_points(result: StatResult, vocab: Vocabularies, lang: Lang) -> list[Point]:
    kinds = [c.removeprefix("released_") for c in result.columns if c.startswith("released_")]
    kinds = [k for k in _KIND_ORDER if k in kinds] + [
        k for k in kinds if k not in _KIND_ORDER and k != TOTAL and not k.endswith("_suppressed")
    ]
    points = []
    for row in result.rows:
        month = str(row["month"])
        label = format_month(month, lang)
        points.append(
            Point(
                month,
                label,
                "recognized",
                text("recognized", lang),
                _count(row.get("recognized")),
                bool(row.get("recognized_suppressed")),
            )
        )
        for kind in kinds:
            points.append(
                Point(
                    month,
                    label,
                    kind,
                    vocab.label("release_kind", kind, lang),
                    _count(row.get(f"released_{kind}")),
                    bool(row.get(f"released_{kind}_suppressed")),
                )
            )
    return _without_empty_series(points)


def _histogram_points(
    result: StatResult, by: tuple[str, ...], vocab: Vocabularies, lang: Lang
) -> list[Point]:
    points = []
    for row in result.rows:
        if row.get("measure") != "histogram":
            continue
        series = str(row[by[0]]) if by else TOTAL
        if by and series == TOTAL:
            continue
        label = vocab.label(by[0], series, lang) if by else _total_label(lang)
        band = str(row["bin_months"])
        points.append(
            Point(band, band.replace("-", "–"), series, label, _count(row["count"]), bool(row["suppressed"]))
        )
    return _without_empty_series(points) if by else points


def _median_line(result: StatResult, by: tuple[str, ...], lang: Lang) -> tuple[str, ...]:
    """`Median: 36 months (people: 1,234)` of everyone in the chart, when it is published."""
    found: dict[str, Value] = {}
    for row in result.rows:
        if row.get("measure") == "quantiles" and (not by or row.get(by[0]) == TOTAL):
            found[str(row["statistic"])] = row["value"]
    median, n = found.get("median"), _count(found.get("n"))
    if not isinstance(median, int | float) or isinstance(median, bool) or n is None:
        return ()
    return (
        text("sentences.median", lang, median=format_number(float(median), lang), n=format_count(n, lang)),
    )


def _bar_points(
    chart: str, result: StatResult, axis: tuple[str, ...], vocab: Vocabularies, lang: Lang
) -> list[Point]:
    points = []
    for row in result.rows:
        values = [str(row[name]) for name in axis]
        if TOTAL in values or (chart == "releases-by-kind" and values[0] == "not_released"):
            continue
        x = values[0] if values else TOTAL
        x_label = vocab.label(axis[0], x, lang) if axis else _total_label(lang)
        series = values[1] if len(values) > 1 else TOTAL
        series_label = vocab.label(axis[1], series, lang) if len(values) > 1 else _total_label(lang)
        points.append(Point(x, x_label, series, series_label, _count(row["count"]), bool(row["suppressed"])))
    if len(axis) == 1 and axis[0] in _DESCENDING:
        points.sort(key=lambda p: (p.suppressed, -(p.count or 0)))
    return points


def _by_phrase(dims: Iterable[str], lang: Lang) -> str:
    phrases = [text(f"by.{name}", lang) for name in dims]
    if not phrases:
        return text("by.none", lang)
    if len(phrases) == 1:
        return phrases[0]
    # "by region and by gender" reads as "by region and gender": drop the second preposition.
    second = (
        phrases[1].split(" ", 1)[1] if lang == "en" or phrases[1].startswith(("па ", "по ")) else phrases[1]
    )
    return f"{phrases[0]} {text('and', lang)} {second}"


def _filters_line(filters: dict[str, str], vocab: Vocabularies, lang: Lang) -> tuple[str, ...]:
    if not filters:
        return ()
    labels = ", ".join(vocab.label(name, value, lang) for name, value in filters.items())
    return (text("only", lang, filters=labels),)
