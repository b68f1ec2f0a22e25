"""The monthly number of people in custody."""

from __future__ import annotations

from sqlalchemy import Connection

from api.stats.cube import Slice, count_table, grouped_counts, protect_and_slice
from api.stats.dimensions import CASE
from api.stats.months import month_index, months_between
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import Key

DEFINITION = (
    "In custody at the end of a month: recognized as a political prisoner in or before that month and "
    "not released before the end of it."
)


def in_custody(connection: Connection, release: ReleaseInfo, view: Slice, threshold: int) -> StatResult:
    dims = view.dimensions
    months = months_between(release.first_recognized, release.as_of_month)
    first = month_index(months[0])
    # One GROUP BY (dimensions, recognized, released); each group is in custody over a span of months,
    # added as +n at its start and -n after its end, then summed along the months.
    steps: dict[Key, list[int]] = {}
    extra = [CASE.c.recognized_on, CASE.c.released_on]
    for *values, recognized, released, count in grouped_counts(connection, release.id, dims, extra):
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
    table = count_table("in_custody", dims, counts, periods=months, exact_totals=True)
    return table_result(protect_and_slice(table, view, threshold), period_column="month", notes=(DEFINITION,))
