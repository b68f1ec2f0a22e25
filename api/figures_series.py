"""Series of real published figures: the rows of the figures table that make one statistic over time.

Read from the `published_figure` table (real data, never synthetic); no HTTP here. A series is a
selection of rows, each tagged with a `measure` (what the chart draws it as); every point keeps its own
value, qualifier, date and citation, and figures that disagree stay side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, select

from api.models import FIGURE

Row = Mapping[str, Any]
Shape = Literal["timeline", "events", "columns"]
"""How a series is drawn: points in time; one bar per release event; one column per period."""

POINT_COLUMNS = (
    "measure",
    "figure_id",
    "date",
    "value",
    "qualifier",
    "period_start",
    "period_end",
    "dimension",
    "dimension_value",
    "source_publisher",
    "source_title",
    "source_url",
    "source_published",
    "source_kind",
    "note",
)
"""A point of a series, in order: what it measures, the figure as published, and its citation."""
LICENCE = "CC-BY-4.0"
"""The licence of the figures table and its series (the figures themselves belong to their sources)."""


@dataclass(frozen=True)
class Series:
    """A published series: which rows it takes and how they are drawn."""

    key: str
    title: str
    description: str
    shape: Shape
    select: Callable[[Sequence[Row]], list[tuple[str, Row]]]
    """The series' rows of the figures table, each with its measure."""
    lines: tuple[str, ...] = ()
    """Measures of a timeline joined by a line (counts at a date); the others are points only."""


def _total(row: Row, key: str) -> bool:
    return row["key"] == key and row["dimension"] is None


def _precision(value: str | None) -> int:
    return len(value or "")


def _in_custody(rows: Sequence[Row]) -> list[tuple[str, Row]]:
    return [("in_custody", r) for r in rows if _total(r, "in_custody") and r["period_start"] is None]


def _women_in_custody(rows: Sequence[Row]) -> list[tuple[str, Row]]:
    # Most rows are the female part of a total; a report that gives only the women has no dimension.
    return [
        ("in_custody_women", r)
        for r in rows
        if r["key"] == "in_custody_women" and r["dimension"] in (None, "gender")
    ]


def _release_events(rows: Sequence[Row]) -> list[tuple[str, Row]]:
    """Each release with its size, and who of them was taken out of Belarus where a source says so.

    `expelled` is the `pardon_expelled` part of an event, or else its parts by destination other than
    Belarus (released and taken abroad); other parts (by gender, citizenship) are `part`.
    """
    events = [r for r in rows if r["key"] == "release_event"]
    named = {r["as_of"] for r in events if r["dimension"] == "release_kind"}

    def measure(row: Row) -> str:
        if row["dimension"] is None:
            return "released"
        if row["dimension"] == "release_kind":
            return "expelled" if row["dimension_value"] == "pardon_expelled" else "part"
        abroad = row["dimension"] == "release_destination" and row["dimension_value"] != "BY"
        return "expelled" if abroad and row["as_of"] not in named else "part"

    return [(measure(row), row) for row in events]


def _deaths_in_custody(rows: Sequence[Row]) -> list[tuple[str, Row]]:
    chosen: list[tuple[str, Row]] = []
    for row in rows:
        if not _total(row, "deaths_in_custody"):
            continue
        if row["period_start"] is None and row["period_end"] is None:
            chosen.append(("running_total", row))
        else:
            chosen.append(("in_month" if _precision(row["period_end"]) == 7 else "in_period", row))
    return chosen


def _recognitions(precision: int) -> Callable[[Sequence[Row]], list[tuple[str, Row]]]:
    def select_rows(rows: Sequence[Row]) -> list[tuple[str, Row]]:
        return [
            ("recognized", r)
            for r in rows
            if _total(r, "recognized_in_year")
            and _precision(r["period_start"]) == precision
            and r["period_start"] == r["period_end"]
        ]

    return select_rows


SERIES: dict[str, Series] = {
    series.key: series
    for series in (
        Series(
            "in-custody",
            "Political prisoners in custody, as published",
            "The number of political prisoners held in places of detention on each date a source counted "
            "them (Viasna's count unless a point says otherwise).",
            "timeline",
            _in_custody,
            lines=("in_custody",),
        ),
        Series(
            "women-in-custody",
            "Women political prisoners in custody, as published",
            "The number of women among the political prisoners in custody on each date a source "
            "counted them.",
            "timeline",
            _women_in_custody,
            lines=("in_custody_women",),
        ),
        Series(
            "release-events",
            "Releases of political prisoners, event by event",
            "Each published release (mostly pardons) with its size and, where a source says so, how many "
            "of those released were taken out of Belarus (`expelled`); parts by gender, citizenship or "
            "destination are kept as `part`.",
            "events",
            _release_events,
        ),
        Series(
            "deaths-in-custody",
            "Deaths of political prisoners in custody, as published",
            "Running totals of political prisoners who died in places of detention (`running_total`), and "
            "deaths known in a month (`in_month`) or a longer period (`in_period`).",
            "timeline",
            _deaths_in_custody,
            lines=("running_total",),
        ),
        Series(
            "recognitions-per-year",
            "People recognized as political prisoners, per year",
            "People newly recognized as political prisoners during each year a source counted.",
            "columns",
            _recognitions(4),
        ),
        Series(
            "recognitions-per-month",
            "People recognized as political prisoners, per month",
            "People newly recognized as political prisoners during each month a source counted.",
            "columns",
            _recognitions(7),
        ),
    )
}
"""The published series, by key (the `{key}` of `/v1/figures/series/{key}`)."""


def read_figures(engine: Engine) -> list[dict[str, Any]]:
    """Every row of the figures table, in date order."""
    with engine.connect() as connection:
        query = select(FIGURE).order_by(FIGURE.c.as_of, FIGURE.c.figure_id)
        return [dict(row._mapping) for row in connection.execute(query)]


def series_points(series: Series, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """The points of `series`, in date order: one per figure, with its measure and citation."""
    return [
        {c: row.get(c) for c in POINT_COLUMNS} | {"measure": measure, "date": row["as_of"]}
        for measure, row in series.select(rows)
    ]


def publishers(points: Sequence[Mapping[str, Any]]) -> list[str]:
    """The publishers the points cite, the most cited first."""
    counts: dict[str, int] = {}
    for point in points:
        counts[point["source_publisher"]] = counts.get(point["source_publisher"], 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def series_citation(series: Series, points: Sequence[Mapping[str, Any]], base: str) -> str:
    """How to cite a series: what it is, where it is served, and that each point cites its own source."""
    names = publishers(points)
    return (
        f"{series.title}. Political prisoners in Belarus open data, published series '{series.key}', "
        f"{base}/v1/figures/series/{series.key}. Figures as published by {', '.join(names) or '—'}; each "
        f"point cites the page it was read in (cite that page when quoting one figure). Real published "
        f"figures, not a dataset release. Licence: {LICENCE}."
    )
