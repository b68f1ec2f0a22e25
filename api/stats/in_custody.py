"""The monthly number of people in custody."""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from sqlalchemy import Connection

from api.stats.cube import Slice, count_table, grouped_counts, protect_and_slice
from api.stats.dimensions import CASE, FILTER_NAMES, Dimension
from api.stats.months import month_index, months_between
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, CountTable, Key, PublishedTable

DEFINITION = (
    "In custody at the end of a month: recognized as a political prisoner in or before that month and "
    "not released before the end of it."
)


def in_custody(connection: Connection, release: ReleaseInfo, view: Slice, threshold: int) -> StatResult:
    table = series_table(connection, release, view.dimensions)
    return table_result(protect_and_slice(table, view, threshold), period_column="month", notes=(DEFINITION,))


def in_custody_now(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> PublishedTable:
    """The last month of the protected series: the same cells, hidden alike, as `in_custody` shows."""
    series = protect_and_slice(series_table(connection, release, view.dimensions), view, threshold)
    last = release.as_of_month
    cells = tuple(replace(cell, period=None) for cell in series.cells if cell.period == last)
    return PublishedTable(series.name, series.dimensions, cells, series.threshold)


def series_table(connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...]) -> CountTable:
    """Exact monthly counts in custody by `dims`, with the movement the flows reveal (see CountTable)."""
    months = months_between(release.first_recognized, release.as_of_month)
    first = month_index(months[0])
    # One GROUP BY (dimensions, recognized, released); each group is in custody over a span of months,
    # added as +n at its start and -n after its end, then summed along the months.
    steps: dict[Key, list[int]] = {}
    extra = [CASE.c.recognized_on, CASE.c.released_on]
    rows = grouped_counts(connection, release.id, dims, extra)
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
    movement = _movement(rows, dims, months)
    return count_table("in_custody", dims, counts, periods=months, exact_totals=True, movement=movement)


def _movement(
    rows: list[tuple[object, ...]], dims: tuple[Dimension, ...], months: tuple[str, ...]
) -> dict[Key, int]:
    """Per (month, *key): the recognitions plus releases of the month in the smallest published flow
    containing the count (`/v1/stats/flows` publishes them in all and by each filter dimension)."""
    first = month_index(months[0])
    flows: dict[tuple[int, str], list[int]] = {}  # (dimension position or -1, value) -> per month

    def add(month: str | None, n: int, values: list[str]) -> None:
        index = -1 if month is None else month_index(month) - first
        if not 0 <= index < len(months):
            return
        for position, value in [(-1, TOTAL), *enumerate(values)]:
            if position == -1 or dims[position].name in FILTER_NAMES:
                flows.setdefault((position, value), [0] * len(months))[index] += n

    for *values, recognized, released, count in rows:
        labels = [str(v) for v in values]
        add(str(recognized), int(str(count)), labels)
        add(None if released is None else str(released), int(str(count)), labels)
    movement: dict[Key, int] = {}
    for key in product(*((*d.levels, TOTAL) for d in dims)):
        containers = [(-1, TOTAL), *((i, v) for i, v in enumerate(key) if v != TOTAL)]
        none = [0] * len(months)
        published = [c for c in containers if c[0] == -1 or dims[c[0]].name in FILTER_NAMES]
        series = [flows.get(c, none) for c in published]
        for index, month in enumerate(months):
            movement[(month, *key)] = min(s[index] for s in series)
    return movement
