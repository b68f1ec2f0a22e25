"""Counts of people by one or two dimensions."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from api.cells import condition
from api.disclosure import protect_counts
from api.records.cube import Slice, column, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.dimensions import STATUS, Dimension
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, table_result
from api.table import TOTAL, CountTable, Key, PublishedTable

NOTE = "Counts of people. A person charged under several articles counts under each (no article total)."


# The people in custody now, as a level of a dimension: the series in custody publishes them too.
IN_CUSTODY_LEVELS = {"status": "in_custody", "release_kind": "not_released"}


POPULATION_NOTES = {
    "recognized": "Everyone recognized as a political prisoner since 2020, in custody or released.",
    "in_custody": "The people in custody on the as-of date.",
    "released": "The people released by the as-of date (release_kind: how).",
}


def breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, population: str = "recognized"
) -> StatResult:
    if population == "recognized":
        table = protected_breakdown(connection, release, view, threshold)
    else:
        table = population_breakdown(connection, release, view, threshold, population)
    return table_result(table, notes=(POPULATION_NOTES[population], NOTE))


def population_breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, population: str
) -> PublishedTable:
    """The protected counts of one population (a level of status) by the view's dimensions.

    Up to one dimension, this is the slice of the breakdown by those dimensions and status. By two, it
    is a table of its own (status makes a third dimension, which no breakdown table has), whose margins
    are counts that the breakdowns by one dimension and status publish: they decide them (seeds), and
    the grand total is the headline, exact."""
    if len(view.dimensions) < 2:
        with_status = Slice((*view.dimensions, STATUS), {**view.filters, "status": population})
        table = protected_breakdown(connection, release, with_status, threshold)
        return _without_empty_kind(table, population)
    dims = tuple(_within(d, population) for d in view.dimensions)
    tables = _population_tables(connection, release, view.dimensions, threshold)
    return protect_and_slice(tables[population], Slice(dims, view.filters), threshold)


def _population_tables(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], threshold: int
) -> dict[str, CountTable]:
    """The tables of the people in custody and of the people released by two dimensions, with the
    seeds that protect them jointly with the breakdown of everyone by the same dimensions.

    For each cell, everyone = in custody + released: no such line may have exactly one hidden member,
    or it would be the difference of the other two. So a count hidden for everyone is hidden in both
    populations, and a count one population hides is hidden in the other too, until nothing grows."""
    populations = ("released",) if "release_kind" in (d.name for d in dims) else ("in_custody", "released")
    tables = {p: _population_table(connection, release, dims, p, threshold) for p in populations}
    if len(populations) == 1:
        return tables  # released people of a release kind are everyone of that kind (its seeds)
    everyone = protected_breakdown(connection, release, Slice(dims, {}), threshold)
    interior = {cell.key for cell in everyone.cells if TOTAL not in cell.key}
    hide = {
        p: {cell.key for cell in everyone.cells if cell.suppressed and cell.key in interior} for p in tables
    }
    while True:
        for p, table in tables.items():
            # Except where the release's list shows the people: the published counts determine them.
            shown = {key for key, hidden in (table.listed or {}).items() if not hidden}
            tables[p] = replace(table, seeds={**(table.seeds or {}), **dict.fromkeys(hide[p] - shown, True)})
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
    within = tuple(_within(d, population) for d in dims)
    where = [column(STATUS) == population]
    counts = keyed(grouped_counts(connection, release, within, where=where), len(within))
    seeds = _population_seeds(connection, release, dims, population, threshold)
    named = condition("status", population, release.withheld.kinds)
    context = dict([named]) if named else None
    return count_table("breakdown", release, within, counts, exact_totals=True, seeds=seeds, context=context)


def _within(dimension: Dimension, population: str) -> Dimension:
    """Released people all have a release kind: `not_released` is no level of theirs."""
    if dimension.name == "release_kind" and population == "released":
        return replace(dimension, levels=tuple(k for k in dimension.levels if k != "not_released"))
    return dimension


def _without_empty_kind(table: PublishedTable, population: str) -> PublishedTable:
    if population != "released" or "release_kind" not in table.dimensions:
        return table
    position = table.dimensions.index("release_kind")
    cells = tuple(cell for cell in table.cells if cell.key[position] != "not_released")
    return replace(table, cells=cells)


def _population_seeds(
    connection: Connection, release: ReleaseInfo, dims: tuple[Dimension, ...], population: str, threshold: int
) -> dict[Key, bool]:
    """The decisions other tables made on the same people (`dims` with all their levels): a margin over
    an additive dimension counts the population at one level of the other dimension (the breakdown by
    it and status), and released people of one release kind are the people of that kind in the
    breakdown without a population."""
    seeds: dict[Key, bool] = {}
    for position, summed in enumerate(dims):
        if not summed.additive:
            continue  # a sum over articles counts some people twice: not published, nothing to agree with
        other = dims[1 - position]
        with_status = protected_breakdown(connection, release, Slice((other, STATUS), {}), threshold)
        for cell in with_status.cells:
            if cell.key[1] == population and cell.key[0] != TOTAL:
                key = [cell.key[0], cell.key[0]]
                key[position] = TOTAL
                seeds[tuple(key)] = cell.suppressed
    names = [d.name for d in dims]
    if "release_kind" in names:
        kind = names.index("release_kind")
        for cell in protected_breakdown(connection, release, Slice(dims, {}), threshold).cells:
            if cell.key[kind] not in ("not_released", TOTAL):
                seeds[cell.key] = cell.suppressed
    return seeds


def protected_breakdown(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> PublishedTable:
    """The protected counts of people by the view's dimensions (the summary shows some of them too)."""
    dims = view.dimensions
    counts = keyed(grouped_counts(connection, release, dims), len(dims))
    seeds = _custody_seeds(connection, release, view, threshold)
    table = count_table("breakdown", release, dims, counts, exact_totals=True, seeds=seeds)
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
    seeds = _headline_seeds(dims)
    table = count_table("breakdown", release, dims, counts, exact_totals=True, seeds=seeds)
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


def _headline_seeds(dims: tuple[Dimension, ...]) -> dict[Key, bool]:
    """The headline totals of a table, shown (`EXACT_LEVELS`): a level's total over an additive other
    dimension, and the people not released in custody when a table is split by both."""
    names = [d.name for d in dims]
    seeds: dict[Key, bool] = {}
    for position, name in enumerate(names):
        if name in EXACT_LEVELS and all(d.additive for i, d in enumerate(dims) if i != position):
            for level in EXACT_LEVELS[name]:
                key = [TOTAL] * len(names)
                key[position] = level
                seeds[tuple(key)] = False
    if sorted(names) == ["release_kind", "status"]:
        seeds[tuple(IN_CUSTODY_LEVELS[name] for name in names)] = False
    return seeds


def _custody_seeds(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> dict[Key, bool] | None:
    """The headlines are shown (`_headline_seeds`). In a split by release kind and one other dimension,
    the people not released are hidden as the split by status hides the same people (`custody_now`)."""
    seeds = _headline_seeds(view.dimensions)
    names = [d.name for d in view.dimensions]
    if len(names) == 2 and "release_kind" in names and "status" not in names:
        position = names.index("release_kind")
        other = view.dimensions[1 - position]
        for value, hidden in custody_now(connection, release, other, threshold).items():
            key = [value, value]
            key[position] = IN_CUSTODY_LEVELS["release_kind"]
            seeds[tuple(key)] = hidden
    return seeds or None
