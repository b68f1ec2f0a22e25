"""Counts of people by one or two dimensions."""

from __future__ import annotations

from sqlalchemy import Connection

from api.disclosure import protect_counts
from api.stats.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.dimensions import STATUS, Dimension
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, Key, PublishedTable

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
    counts = keyed(grouped_counts(connection, release.id, dims), len(dims))
    seeds = _custody_seeds(connection, release, view, counts, threshold)
    table = count_table("breakdown", dims, counts, exact_totals=True, seeds=seeds)
    return protect_and_slice(table, view, threshold)


def custody_now(
    connection: Connection, release: ReleaseInfo, other: Dimension, threshold: int
) -> dict[str, bool]:
    """Whether each count of people in custody now by `other` is hidden (with their total under TOTAL,
    for an additive dimension). The breakdown by `other` and status decides; every other table that
    publishes these counts (by release kind, the last month of the series in custody, the summary)
    follows it, so one count is hidden alike everywhere."""
    dims = (other, STATUS)
    counts = keyed(grouped_counts(connection, release.id, dims), 2)
    seeds = _status_seeds(other, 1, counts, threshold)
    table = count_table("breakdown", dims, counts, exact_totals=True, seeds=seeds)
    return {
        str(cell.key[0]): cell.suppressed
        for cell in protect_counts(table, threshold).cells
        if cell.key[1] == "in_custody" and (other.additive or cell.key[0] != TOTAL)
    }


def _status_seeds(
    other: Dimension, position: int, counts: dict[Key, int], threshold: int
) -> dict[Key, bool] | None:
    """The total in custody now is a headline published exactly (the series' last month): shown, unless
    it is below the threshold (a table cell never shows a small count; only the headline does)."""
    in_custody = sum(n for key, n in counts.items() if key[position] == IN_CUSTODY_LEVELS["status"])
    if not other.additive or in_custody < threshold:
        return None
    key = [TOTAL, TOTAL]
    key[position] = IN_CUSTODY_LEVELS["status"]
    return {tuple(key): False}


def _custody_seeds(
    connection: Connection, release: ReleaseInfo, view: Slice, counts: dict[Key, int], threshold: int
) -> dict[Key, bool] | None:
    """For a split by status and one other dimension: the headline total in custody is shown. For a
    split by release kind and one other dimension: the people not released are hidden as the split
    by status hides the same people (`custody_now`)."""
    names = [d.name for d in view.dimensions]
    population = [i for i, name in enumerate(names) if name in IN_CUSTODY_LEVELS]
    if len(names) != 2 or len(population) != 1:
        return None
    position = population[0]
    other = view.dimensions[1 - position]
    if names[position] == "status":
        return _status_seeds(other, position, counts, threshold)
    seeds: dict[Key, bool] = {}
    for value, hidden in custody_now(connection, release, other, threshold).items():
        key = [value, value]
        key[position] = IN_CUSTODY_LEVELS[names[position]]
        seeds[tuple(key)] = hidden
    return seeds
