"""Headline figures of a release: in custody now, recognized, released by kind, sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import Connection

from api.records.breakdown import protected_breakdown
from api.records.cube import Slice
from api.records.in_custody import in_custody_now
from api.records.sentences import sentences
from api.stats.dimensions import Dimension
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.table import TOTAL, PublishedTable

QUANTILES = {"p25": 0.25, "median": 0.5, "p75": 0.75}
NOTES = (
    "recognized: everyone in the release, recognized as a political prisoner since 2020.",
    "in_custody: recognized and not released on the as-of date; by gender and by sentence kind "
    "(sentence kind `pending`: awaiting trial) — not split further when a filter is given.",
    "released: by how the person left custody; died_in_custody counts deaths in custody.",
    "prison_sentence_months: quartiles of the prison sentences of everyone in the release (or the filter's "
    "group), in months, as /v1/stats/sentences publishes them: computed from the published histogram, "
    "withheld where a bin or the group size is hidden. The mean is not published.",
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
    kind = dimension("sentence_kind")
    rows.extend(_prison_quantiles(connection, release, kind, view, threshold, min_group))
    return StatResult(
        ("measure", "category", "value", "suppressed", "withheld_reason"), (), tuple(rows), suppressed, NOTES
    )


def _prison_quantiles(
    connection: Connection,
    release: ReleaseInfo,
    kind: Dimension,
    view: Slice,
    threshold: int,
    min_group: int,
) -> list[dict[str, Value]]:
    """The quartiles (and the withheld mean) of the prison sentences of the view's people: the rows of
    `sentences?sentence_kind=prison` with the same filter, so derived from its published histogram."""
    published = sentences(connection, release, kind, "prison", view, threshold, min_group)
    return [
        {
            "measure": "prison_sentence_months",
            "category": row["statistic"],
            "value": row["value"],
            "withheld_reason": row["withheld_reason"],
        }
        for row in published.rows
        if row["measure"] == "quantiles" and (row["statistic"] in QUANTILES or row["statistic"] == "mean")
    ]
