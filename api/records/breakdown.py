"""Counts of people by one or two dimensions."""

from __future__ import annotations

from sqlalchemy import Connection

from api.disclosure import protect_counts
from api.records.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.dimensions import STATUS, Dimension, whom_counted
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, Key, PublishedTable

NOTE = "Counts of people. A person charged under several articles counts under each (no article total)."


# The people in custody now, as a level of a dimension: the series in custody publishes them too.
IN_CUSTODY_LEVELS = {"status": "in_custody", "release_kind": "not_released"}


def breakdown(connection: Connection, release: ReleaseInfo, view: Slice, threshold: int) -> StatResult:
    table = protected_breakdown(connection, release, view, threshold)
    return table_result(table, notes=(NOTE, whom_counted(view.filters, [d.name for d in view.by])))


def protected_breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> PublishedTable:
    """The protected counts of people by the view's dimensions (the summary shows some of them too)."""
    dims = view.dimensions
    counts = keyed(grouped_counts(connection, release, dims), len(dims))
    decided = _custody_decided(connection, release, view, threshold)
    table = count_table("breakdown", release, dims, counts, exact_totals=True, decided_by_tables=decided)
    return protect_and_slice(table, view, threshold)


def custody_now(
    connection: Connection, release: ReleaseInfo, other: Dimension, threshold: int
) -> dict[str, bool]:
    """Whether each count of people in custody now by `other` is hidden (with their total under TOTAL,
    for an additive dimension). The breakdown by `other` and status decides; every other table that
    publishes these counts (by release kind, the last month of the series in custody, the summary)
    follows it, so one count is hidden alike everywhere."""
    dims = (other, STATUS)
    counts = keyed(grouped_counts(connection, release, dims), 2)
    decided = _headlines_decided(dims)
    table = count_table("breakdown", release, dims, counts, exact_totals=True, decided_by_tables=decided)
    return {
        str(cell.key[0]): cell.suppressed
        for cell in protect_counts(table, threshold).cells
        if cell.key[1] == "in_custody" and (other.additive or cell.key[0] != TOTAL)
    }


EXACT_LEVELS: dict[str, tuple[str, ...]] = {
    "status": ("in_custody", "released"),
    "release_kind": ("not_released",),
}
"""Levels whose total is a headline published exactly whatever its size: the people in custody now
(the last month of the series in custody, whose totals are exact) and so the people released (everyone
minus them). Hiding either where the other is shown would protect nothing."""


def _headlines_decided(dims: tuple[Dimension, ...]) -> dict[Key, bool]:
    """The headline totals of a table, shown (`EXACT_LEVELS`): a level's total over an additive other
    dimension, and the people not released in custody when a table is split by both."""
    names = [d.name for d in dims]
    decided: dict[Key, bool] = {}
    for position, name in enumerate(names):
        if name in EXACT_LEVELS and all(d.additive for i, d in enumerate(dims) if i != position):
            for level in EXACT_LEVELS[name]:
                key = [TOTAL] * len(names)
                key[position] = level
                decided[tuple(key)] = False
    if sorted(names) == ["release_kind", "status"]:
        decided[tuple(IN_CUSTODY_LEVELS[name] for name in names)] = False
    return decided


def _custody_decided(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> dict[Key, bool] | None:
    """The headlines are shown (`_headlines_decided`). In a split by release kind and one other dimension,
    the people not released are hidden as the split by status hides the same people (`custody_now`)."""
    decided = _headlines_decided(view.dimensions)
    names = [d.name for d in view.dimensions]
    if len(names) == 2 and "release_kind" in names and "status" not in names:
        position = names.index("release_kind")
        other = view.dimensions[1 - position]
        for value, hidden in custody_now(connection, release, other, threshold).items():
            key = [value, value]
            key[position] = IN_CUSTODY_LEVELS["release_kind"]
            decided[tuple(key)] = hidden
    return decided or None
