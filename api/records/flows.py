"""Per month: people newly recognized as political prisoners, and people released, by how."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from api.disclosure import protect_counts
from api.records.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.records.in_custody import series_table
from api.records.tables import CASE
from api.stats.dimensions import Dimension
from api.stats.months import months_between
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.table import TOTAL, CountTable, Key

NOTES = (
    "recognized: people recognized as political prisoners in the month (by month of recognition).",
    "released_<kind>: people who left custody in the month, by how; released_total is their sum.",
)


def flows(
    connection: Connection, release: ReleaseInfo, view: Slice, release_kind: Dimension, threshold: int
) -> StatResult:
    months = months_between(release.first_recognized, release.as_of_month)
    dims = view.dimensions
    released_levels = tuple(k for k in release_kind.levels if k != "not_released")
    kinds = Dimension(release_kind.name, release_kind.description, released_levels)

    recognized_rows = grouped_counts(connection, release, dims, [CASE.c.recognized_on])
    recognized = count_table(
        "recognized", release, dims, _month_first(recognized_rows, len(dims)), periods=months
    )
    released_rows = grouped_counts(
        connection, release, (*dims, kinds), [CASE.c.released_on], [CASE.c.released_on.is_not(None)]
    )
    released = count_table(
        "released", release, (*dims, kinds), _month_first(released_rows, len(dims) + 1), periods=months
    )

    recognized, released = _balanced(connection, release, dims, recognized, released, threshold)
    recognized_cells = {c.period: c for c in protect_and_slice(recognized, view, threshold).cells}
    released_table = protect_and_slice(released, Slice((*dims, kinds), view.filters), threshold)
    rows: dict[str, dict[str, Value]] = {m: {"month": m} for m in months}
    for period, cell in recognized_cells.items():
        assert period is not None
        rows[period]["recognized"] = cell.value
        rows[period]["recognized_suppressed"] = cell.suppressed
    suppressed = sum(c.suppressed for c in recognized_cells.values())
    for cell in released_table.cells:
        assert cell.period is not None
        kind = cell.key[-1]
        name = "released_total" if kind == TOTAL else f"released_{kind}"
        rows[cell.period][name] = cell.value
        rows[cell.period][f"{name}_suppressed"] = cell.suppressed
        suppressed += cell.suppressed
    columns = ["month", "recognized", "recognized_suppressed"]
    for kind in (*kinds.levels, TOTAL):
        name = "released_total" if kind == TOTAL else f"released_{kind}"
        columns += [name, f"{name}_suppressed"]
    return StatResult(tuple(columns), (), tuple(rows[m] for m in months), suppressed, NOTES)


def _month_first(rows: list[tuple[object, ...]], width: int) -> dict[tuple[str, ...], int]:
    """SQL rows are (dimensions…, month, count); tables want (month, dimensions…)."""
    return keyed(rows, width + 1, lambda row: (str(row[width]), *(str(v) for v in row[:width])))


def _balanced(
    connection: Connection,
    release: ReleaseInfo,
    dims: tuple[Dimension, ...],
    recognized: CountTable,
    released: CountTable,
    threshold: int,
) -> tuple[CountTable, CountTable]:
    """The flow tables with decisions that keep every month's balance protected.

    For each month and group, in custody before + recognized = in custody after + released: the
    series in custody publishes both stocks, so when exactly one of the four is hidden it could be
    recovered by subtraction. Hide a flow of that line too (the recognitions first), and protect again,
    until no balance line has exactly one hidden member.
    """
    stock = protect_counts(series_table(connection, release, dims, threshold), threshold)
    stock_hidden = {(cell.period, *cell.key) for cell in stock.cells if cell.suppressed}
    periods = recognized.periods or ()
    extra_recognized: dict[Key, bool] = {}
    extra_released: dict[Key, bool] = {}
    while True:
        shown_recognized = protect_counts(replace(recognized, decided_by_tables=extra_recognized), threshold)
        shown_released = protect_counts(replace(released, decided_by_tables=extra_released), threshold)
        hidden_recognized = {(c.period, *c.key) for c in shown_recognized.cells if c.suppressed}
        hidden_released = {
            (c.period, *c.key[:-1]) for c in shown_released.cells if c.suppressed and c.key[-1] == TOTAL
        }
        grown = False
        for index, month in enumerate(periods):
            for cell in shown_recognized.cells:
                if cell.period != month:
                    continue
                key = cell.key
                before = index > 0 and (periods[index - 1], *key) in stock_hidden
                members = [before, (month, *key) in stock_hidden]
                flows_hidden = [(month, *key) in hidden_recognized, (month, *key) in hidden_released]
                if sum(members) + sum(flows_hidden) != 1 or all(flows_hidden):
                    continue
                if not flows_hidden[0]:  # hide the month's recognitions, else its releases
                    extra_recognized[(month, *key)] = True
                else:
                    extra_released[(month, *key, TOTAL)] = True
                grown = True
        if not grown:
            return replace(recognized, decided_by_tables=extra_recognized or None), replace(
                released, decided_by_tables=extra_released or None
            )
