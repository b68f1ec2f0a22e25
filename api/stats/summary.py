"""Headline figures of a release: in custody now, recognized, released by kind, sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import Connection

from api.disclosure import protect_quantiles
from api.records import CASE
from api.stats.breakdown import protected_breakdown
from api.stats.cube import Slice, grouped_counts
from api.stats.dimensions import Dimension
from api.stats.in_custody import in_custody_now
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.table import TOTAL, GroupSample, PublishedTable

QUANTILES = {"p25": 0.25, "median": 0.5, "p75": 0.75}
NOTES = (
    "recognized: everyone in the release, recognized as a political prisoner since 2020.",
    "in_custody: recognized and not released on the as-of date; by gender and by sentence kind "
    "(sentence kind `pending`: awaiting trial) — not split further when a filter is given.",
    "released: by how the person left custody; died_in_custody counts deaths in custody.",
    "prison_sentence_months: quantiles of the prison sentences of everyone in the release, in months.",
)


def summary(
    connection: Connection,
    release: ReleaseInfo,
    view: Slice,
    dimension: Callable[[str], Dimension],
    threshold: int,
    min_group: int,
) -> StatResult:
    # Every count here is a count another endpoint publishes too (a breakdown, or the last month of
    # the series in custody): taken from the same protected tables, it is hidden alike everywhere.
    def counts(split: str, now: bool) -> PublishedTable:
        extra = () if split in view.filters else (dimension(split),)
        view_with_split = Slice((*view.dimensions, *extra), view.filters)
        if now:
            return in_custody_now(connection, release, view_with_split, threshold)
        return protected_breakdown(connection, release, view_with_split, threshold)

    status = counts("status", now=False)
    released_total = [replace(cell, key=(TOTAL,)) for cell in status.cells if cell.key[-1:] == ("released",)]
    by_kind = counts("release_kind", now=False)
    released = replace(by_kind, cells=(*(c for c in by_kind.cells if c.key[-1] != TOTAL), *released_total))

    rows: list[dict[str, Value]] = []
    suppressed = 0
    # With a filter, only the total in custody: a split of it (filter × gender) would be a three-way
    # count with the release kind, which the anonymity audit showed pins small counts of the breakdowns.
    if view.filters:
        in_custody = [("in_custody", counts(next(iter(view.filters)), now=True))]
    else:
        in_custody = [
            ("in_custody", counts("gender", now=True)),
            ("in_custody_by_sentence_kind", counts("sentence_kind", now=True)),
        ]
    for measure, table in (("recognized", status), *in_custody, ("released", released)):
        for cell in table.cells:
            category = cell.key[-1] if cell.key else TOTAL
            if measure == "released" and category == "not_released":
                continue
            rows.append(
                {"measure": measure, "category": category, "value": cell.value, "suppressed": cell.suppressed}
            )
            suppressed += cell.suppressed
    rows.extend(_prison_quantiles(connection, release, view, threshold, min_group))
    return StatResult(
        ("measure", "category", "value", "suppressed", "withheld_reason"), (), tuple(rows), suppressed, NOTES
    )


def _prison_quantiles(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, min_group: int
) -> list[dict[str, Value]]:
    dims = view.dimensions
    where = [CASE.c.sentence_kind == "prison", CASE.c.sentence_months.is_not(None)]
    values: list[float] = []
    for row in grouped_counts(connection, release, dims, [CASE.c.sentence_months], where):
        if all(str(row[i]) == view.filters[d.name] for i, d in enumerate(dims)):
            values.extend([float(str(row[len(dims)]))] * int(str(row[-1])))
    (published,) = protect_quantiles(
        [GroupSample((), tuple(sorted(values)))], min_group, threshold, QUANTILES
    )
    return [
        {
            "measure": "prison_sentence_months",
            "category": name,
            "value": value,
            "withheld_reason": published.withheld_reason,
        }
        for name, value in published.quantiles.items()
    ]
