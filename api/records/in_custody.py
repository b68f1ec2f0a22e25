"""The monthly number of people in custody."""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from sqlalchemy import Connection

from api.query import FLOW_FILTERS
from api.records.breakdown import custody_now
from api.records.cube import Slice, count_table, grouped_counts, protect_and_slice
from api.records.tables import CASE
from api.stats.dimensions import Dimension
from api.stats.months import month_index, months_between
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, CountTable, Key, PublishedTable

DEFINITION = (
    "In custody at the end of a month: recognized as a political prisoner in or before that month and "
    "not released before the end of it."
)


def in_custody(connection: Connection, release: ReleaseInfo, view: Slice, threshold: int) -> StatResult:
    table = series_table(connection, release, view.dimensions, threshold)
    return table_result(protect_and_slice(table, view, threshold), period_column="month", notes=(DEFINITION,))


def in_custody_now(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> PublishedTable:
    """The last month of the protected series: the same cells, hidden alike, as `in_custody` shows."""
    series = protect_and_slice(series_table(connection, release, view.dimensions, threshold), view, threshold)
    last = release.as_of_month
    cells = tuple(replace(cell, period=None) for cell in series.cells if cell.period == last)
    return PublishedTable(series.name, series.dimensions, cells, series.threshold)


def series_table(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], threshold: int
) -> CountTable:
    """Exact monthly counts in custody by `dims`, with the movement the flows reveal (see CountTable);
    the last month hides what the breakdown by status hides of the same people (`custody_now`)."""
    months = months_between(release.first_recognized, release.as_of_month)
    first = month_index(months[0])
    # One GROUP BY (dimensions, recognized, released); each group is in custody over a span of months,
    # added as +n at its start and -n after its end, then summed along the months.
    steps: dict[Key, list[int]] = {}
    extra = [CASE.c.recognized_on, CASE.c.released_on]
    rows = grouped_counts(connection, release, dims, extra)
    for *values, recognized, released, count in rows:
        line = steps.setdefault(tuple(str(v) for v in values), [0] * (len(months) + 1))
        start = max(month_index(str(recognized)) - first, 0)
        end = len(months) if released is None else month_index(str(released)) - first
        if end > start:
            line[start] += int(count)  # type: ignore[call-overload]
            line[end] -= int(count)  # type: ignore[call-overload]
    counts: dict[Key, int] = {}
    for key, line in steps.items():
        running = 0
        for index, month in enumerate(months):
            running += line[index]
            if running:
                counts[(month, *key)] = running
    # By article a person charged under two is in two rows: everyone's movement counts them once.
    everyone = rows if all(d.additive for d in dims) else grouped_counts(connection, release, (), extra)
    movement = _movement(rows, everyone, dims, months)
    decided: dict[Key, bool] | None = None
    if len(dims) == 1:
        last = release.as_of_month
        decided = {
            (last, value): hidden
            for value, hidden in custody_now(connection, release, dims[0], threshold).items()
            if value != TOTAL  # the series' total is a headline, exact whatever its size
        }
        if dims[0].name == "year_detained":
            # Nobody is in custody before the year of detention: those zeros are known, never hidden
            # (hiding one would seem to protect a neighbour while protecting nothing); and where one
            # year is left, its count is the month's published total.
            for month in months:
                possible = [year for year in dims[0].levels if year <= month[:4]]
                decided |= {(month, year): False for year in dims[0].levels if year > month[:4]}
                if len(possible) == 1:
                    decided[(month, possible[0])] = False
    return count_table(
        "in_custody",
        release,
        dims,
        counts,
        periods=months,
        exact_totals=True,
        movement=movement,
        decided_by_tables=decided,
    )


def _movement(
    rows: list[tuple[object, ...]],
    everyone: list[tuple[object, ...]],
    dims: tuple[Dimension, ...],
    months: tuple[str, ...],
) -> dict[Key, int]:
    """Per (month, *key): the recognitions plus releases of the month in the smallest flow
    `/v1/stats/flows` publishes that holds the count (everyone's, from `everyone`: the same rows
    without dimensions; or one group's: `FLOW_FILTERS`); no count can change between two months by
    more."""
    first = month_index(months[0])

    def add(line: list[int], recognized: object, released: object, count: object) -> None:
        for month in (recognized, released):
            index = -1 if month is None else month_index(str(month)) - first
            if 0 <= index < len(months):
                line[index] += int(str(count))

    total = [0] * len(months)
    for *_, recognized, released, count in everyone:
        add(total, recognized, released, count)
    published = [d.name in FLOW_FILTERS for d in dims]
    by_group: dict[tuple[int, str], list[int]] = {}
    for *values, recognized, released, count in rows:
        for i, value in enumerate(values):
            if published[i]:
                add(by_group.setdefault((i, str(value)), [0] * len(months)), recognized, released, count)
    movement: dict[Key, int] = {}
    for key in product(*((*d.levels, TOTAL) for d in dims)):
        groups = [
            by_group.get((i, v), [0] * len(months)) for i, v in enumerate(key) if v != TOTAL and published[i]
        ]
        smallest = [min(moved) for moved in zip(*groups, strict=True)] if groups else total
        movement |= {(month, *key): smallest[index] for index, month in enumerate(months)}
    return movement
