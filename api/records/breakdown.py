"""Counts of people by one or two dimensions."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from api.cells import condition
from api.disclosure import protect_counts
from api.records.cube import Slice, column, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.dimensions import STATUS, Dimension, whom_counted
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, CountTable, Key, PublishedTable

NOTE = "Counts of people. A person charged under several articles counts under each (no article total)."


# The people in custody now, as a level of a dimension: the series in custody publishes them too.
IN_CUSTODY_LEVELS = {"status": "in_custody", "release_kind": "not_released"}


def breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, population: str = "recognized"
) -> StatResult:
    if population == "recognized":
        table = protected_breakdown(connection, release, view, threshold)
    else:
        table = population_breakdown(connection, release, view, threshold, population)
    filters = view.filters if population == "recognized" else {**view.filters, "status": population}
    return table_result(table, notes=(NOTE, whom_counted(filters, [d.name for d in view.by])))


def population_breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, population: str
) -> PublishedTable:
    """The protected counts of one population (a level of status) by the view's dimensions.

    Up to one dimension, this is the slice of the breakdown by those dimensions and status. By two, it
    is a table of its own (status makes a third dimension, which no breakdown table has), whose margins
    are counts that the breakdowns by one dimension and status publish: those decide them, and
    the grand total is the headline, exact."""
    if len(view.dimensions) < 2:
        with_status = Slice((*view.dimensions, STATUS), {**view.filters, "status": population})
        table = protected_breakdown(connection, release, with_status, threshold)
        return _without_empty_kind(table, population)
    tables = _population_tables(connection, release, view.dimensions, threshold)
    return protect_and_slice(tables[population], view, threshold)


def _population_tables(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], threshold: int
) -> dict[str, CountTable]:
    """The tables of the people in custody and of the people released by two dimensions (who people
    are: `api.query.POPULATION_PAIRS`), with the decisions that protect them jointly with the breakdown
    of everyone by the same dimensions.

    For each cell, everyone = in custody + released: no such line may have exactly one hidden member,
    or it would be the difference of the other two. So a count hidden for everyone is hidden in both
    populations, and a count one population hides is hidden in the other too, until nothing grows."""
    populations = ("in_custody", "released")
    tables = {p: _population_table(connection, release, dims, p, threshold) for p in populations}
    everyone = protected_breakdown(connection, release, Slice(dims, {}), threshold)
    interior = {cell.key for cell in everyone.cells if TOTAL not in cell.key}
    hide = {
        p: {cell.key for cell in everyone.cells if cell.suppressed and cell.key in interior} for p in tables
    }
    while True:
        for p, table in tables.items():
            # Except where the release's list shows the people: the published counts determine them.
            shown = {key for key, hidden in (table.decided_by_list or {}).items() if not hidden}
            decided = {**(table.decided_by_tables or {}), **dict.fromkeys(hide[p] - shown, True)}
            tables[p] = replace(table, decided_by_tables=decided)
        hidden = {
            p: {c.key for c in protect_counts(t, threshold).cells if c.suppressed and c.key in interior}
            for p, t in tables.items()
        }
        grown = False
        for p, other in zip(populations, reversed(populations), strict=True):
            more = hidden[p] - hidden[other] - hide[other]
            hide[other] |= more
            grown = grown or bool(more)
        if not grown:
            return tables


def _population_table(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], population: str, threshold: int
) -> CountTable:
    """The exact counts of one population by two dimensions; its margins decided by other tables."""
    where = [column(STATUS) == population]
    counts = keyed(grouped_counts(connection, release, dims, where=where), len(dims))
    decided = _population_decided(connection, release, dims, population, threshold)
    named = condition("status", population, release.withheld.kinds)
    context = dict([named]) if named else None
    return count_table(
        "breakdown", release, dims, counts, exact_totals=True, decided_by_tables=decided, context=context
    )


def _without_empty_kind(table: PublishedTable, population: str) -> PublishedTable:
    """Released people all have a release kind: `not_released` is no level of theirs."""
    if population != "released" or "release_kind" not in table.dimensions:
        return table
    position = table.dimensions.index("release_kind")
    cells = tuple(cell for cell in table.cells if cell.key[position] != "not_released")
    return replace(table, cells=cells)


def _population_decided(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], population: str, threshold: int
) -> dict[Key, bool]:
    """The decisions other tables made on the same people: a margin over an additive dimension counts
    the population at one level of the other dimension (the breakdown by it and status decides)."""
    decided: dict[Key, bool] = {}
    for position, summed in enumerate(dims):
        if not summed.additive:
            continue  # a sum over articles counts some people twice: not published, nothing to agree with
        other = dims[1 - position]
        with_status = protected_breakdown(connection, release, Slice((other, STATUS), {}), threshold)
        for cell in with_status.cells:
            if cell.key[1] == population and cell.key[0] != TOTAL:
                key = [cell.key[0], cell.key[0]]
                key[position] = TOTAL
                decided[tuple(key)] = cell.suppressed
    return decided


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
