"""Counts of people by one or two dimensions."""

from __future__ import annotations

from sqlalchemy import Connection

from api.stats.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.in_custody import in_custody_now
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import Key, PublishedTable

NOTE = "Counts of people. A person charged under several articles counts under each (no article total)."


# The people in custody now, as a level of a dimension: the series in custody publishes them too.
IN_CUSTODY_LEVELS = {"status": "in_custody", "release_kind": "not_released"}


def breakdown(connection: Connection, release: ReleaseInfo, view: Slice, threshold: int) -> StatResult:
    return table_result(protected_breakdown(connection, release, view, threshold), notes=(NOTE,))


def protected_breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> PublishedTable:
    """The protected counts of people by the view's dimensions (the summary shows some of them too)."""
    dims = view.dimensions
    rows = grouped_counts(connection, release.id, dims)
    seeds = _in_custody_seeds(connection, release, view, threshold)
    table = count_table("breakdown", dims, keyed(rows, len(dims)), exact_totals=True, seeds=seeds)
    return protect_and_slice(table, view, threshold)


def _in_custody_seeds(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> dict[Key, bool] | None:
    """For a split by status or release kind and one other dimension: the people in custody by that
    dimension are the last month of its series in custody, so their cells are hidden as it hides them."""
    names = [d.name for d in view.dimensions]
    population = [i for i, name in enumerate(names) if name in IN_CUSTODY_LEVELS]
    if len(names) != 2 or len(population) != 1:
        return None
    position = population[0]
    other = view.dimensions[1 - position]
    now = in_custody_now(connection, release, Slice((other,), {}), threshold)
    seeds: dict[Key, bool] = {}
    for cell in now.cells:
        if cell.value is not None and cell.value < threshold:
            continue  # an exact total below k: published exactly as a headline, not as a table cell
        key = [cell.key[0], cell.key[0]]
        key[position] = IN_CUSTODY_LEVELS[names[position]]
        seeds[tuple(key)] = cell.suppressed
    return seeds
