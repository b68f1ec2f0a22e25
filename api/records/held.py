"""How long the people released were held: months from detention to release, as a histogram and the
quantiles read off it — protected like the lengths of sentences (`api.records.sentences.distribution`).

Records are kept to the month, so a person detained and released in the same month was held 0 months.
Time held before the recognition counts too: it is time in custody, recognized later.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from api.cells import NOT_RELEASED, condition
from api.records.breakdown import protected_breakdown
from api.records.cube import Slice, grouped_counts
from api.records.sentences import Bins, distribution
from api.records.tables import CASE
from api.stats.dimensions import STATUS, Dimension
from api.stats.months import month_index
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult
from api.table import TOTAL, Key

HELD_BINS = Bins("held_months", (0, 6, 12, 24, 36, 60))
NOTES = (
    "Months held from detention to release, for every person who left custody by the as-of date, "
    "including those who died in custody (release_kind died_in_custody: held until their death); months "
    "between the two recorded months (detained and released in the same month is 0). Bins: "
    + ", ".join(HELD_BINS.labels)
    + " months.",
    "Quantiles are computed from the published histogram, not from individual people: linear "
    "interpolation inside the bin that holds the quantile (bin 0-5 spans months 0 to 6, and so on). They "
    "are published only for groups of at least the minimum group size whose size is shown, when the "
    "shown counts determine them, and not when they fall in the open 60+ bin. The mean is not published.",
)


def months_held(detained: str, released: str) -> int:
    """Whole months from the month of detention to the month of release (both YYYY-MM)."""
    return month_index(released) - month_index(detained)


def held_before_release(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int, min_group: int
) -> StatResult:
    """The months the released people were held, split by the view's one dimension (or a filter's
    row of that split)."""
    decided = _group_sizes_decided(connection, release, view, threshold)
    view = Slice(tuple(_released(d) for d in view.dimensions), view.filters)
    split = view.dimensions[0] if view.dimensions else None
    extra = [CASE.c.detained_on, CASE.c.released_on]
    samples: dict[Key, list[int]] = {}
    for row in grouped_counts(connection, release, view.dimensions, extra, [CASE.c.released_on.is_not(None)]):
        group = (str(row[0]),) if split else ()
        samples.setdefault(group, []).extend([months_held(str(row[-3]), str(row[-2]))] * int(str(row[-1])))
    named = condition("status", "released", release.withheld.kinds)
    context = dict([named]) if named else {}
    return distribution(release, view, samples, HELD_BINS, decided, context, threshold, min_group, NOTES)


def _released(dimension: Dimension) -> Dimension:
    """Released people all have a release kind: `not_released` is no group of theirs."""
    if dimension.name != "release_kind":
        return dimension
    return replace(dimension, levels=tuple(k for k in dimension.levels if k != NOT_RELEASED))


def _group_sizes_decided(
    connection: Connection, release: ReleaseInfo, view: Slice, threshold: int
) -> dict[Key, bool]:
    """The group sizes are the released people of each group, which the breakdown by the dimension and
    status publishes: hidden exactly as it hides them; a hidden size hides its whole row of bins. (By
    release kind, the group `not_released` has no released people: it is no group here.)"""
    split = view.dimensions[0] if view.dimensions else None
    dims = (split, STATUS) if split else (STATUS,)
    decided: dict[Key, bool] = {}
    for cell in protected_breakdown(connection, release, Slice(dims, {}), threshold).cells:
        if cell.key[-1] != "released" or cell.key[0] == NOT_RELEASED:
            continue
        group = cell.key[:-1]
        decided[(*group, TOTAL)] = cell.suppressed
        if cell.suppressed:
            decided |= {(*group, label): True for label in HELD_BINS.labels}
    return decided
