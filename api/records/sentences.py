"""Lengths of sentences: a histogram in fixed bins and quantiles, for one kind of sentence.

The histogram is one protected table, (group ×) bin, whose margins are the group sizes `n`: bins and
sizes are published from the same protected cells, so no hidden bin equals `n` minus the visible ones.
The quantiles are computed from those published cells alone (`api.disclosure.protect_quantiles`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection

from api.dataset.files import SENTENCE_KINDS_WITH_LENGTH
from api.disclosure import Edges, protect_counts, protect_quantiles
from api.records.breakdown import protected_breakdown
from api.records.cube import Slice, grouped_counts
from api.records.tables import CASE
from api.stats.dimensions import Dimension
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.table import TOTAL, CountTable, GroupHistogram, Key, PublishedEntry

# Bins in months: (label, lowest, highest) — both bounds included.
BINS: tuple[tuple[str, int, int], ...] = (
    ("1-11", 1, 11),
    ("12-23", 12, 23),
    ("24-35", 24, 35),
    ("36-59", 36, 59),
    ("60-119", 60, 119),
    ("120-179", 120, 179),
    ("180+", 180, 10_000),
)
BIN_LABELS = tuple(label for label, _, _ in BINS)
QUANTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
NOTES = (
    "Sentence lengths in months as imposed by the court, for every person with that kind of sentence "
    "(in custody or released). Bins: " + ", ".join(BIN_LABELS) + " months.",
    "Quantiles are computed from the published histogram, not from individual sentences: linear "
    "interpolation inside the bin that holds the quantile (bin 1-11 spans months 1 to 12, and so on). "
    "They are published only for groups of at least the minimum group size whose size is shown, when the "
    "shown counts determine them (not when they depend on a suppressed bin), and not when they fall in "
    "the open 180+ bin. The mean is not published.",
)


def bin_of(months: int) -> str:
    return next(label for label, low, high in BINS if low <= months <= high)


def sentences(
    connection: Connection,
    release: ReleaseInfo,
    kind: Dimension,
    chosen: str,
    view: Slice,
    threshold: int,
    min_group: int,
) -> StatResult:
    """Sentences of one kind (the population described, like custody in the monthly series): their
    histogram and quantiles, split by the view's one dimension — or, for a filter, that split's row."""
    split = view.dimensions[0] if view.dimensions else None
    where = [CASE.c.sentence_kind == chosen, CASE.c.sentence_months.is_not(None)]
    samples: dict[Key, list[int]] = {}
    for row in grouped_counts(connection, release, view.dimensions, [CASE.c.sentence_months], where):
        group = (str(row[0]),) if split else ()
        samples.setdefault(group, []).extend([int(str(row[-2]))] * int(str(row[-1])))
    decided = _group_sizes_decided(connection, release, kind, chosen, split, threshold)
    context = {"sentence_kind": frozenset({chosen})}
    return distribution(release, view, samples, SENTENCE_BINS, decided, context, threshold, min_group, NOTES)


@dataclass(frozen=True)
class Bins:
    """The bins of a distribution in months: (label, lowest, highest), both bounds included."""

    dimension: str
    """The dimension the histogram table calls them (`api.cells.ATTRIBUTE_OF` names the attribute)."""
    bins: tuple[tuple[str, int, int], ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _, _ in self.bins)

    @property
    def edges(self) -> Edges:
        """The bins as intervals of months for interpolation: 1-11 is [1, 12); the top bin is open."""
        return tuple(
            (float(low), None if label.endswith("+") else float(high + 1)) for label, low, high in self.bins
        )

    def of(self, months: int) -> str:
        return next(label for label, low, high in self.bins if low <= months <= high)


SENTENCE_BINS = Bins("bin_months", BINS)


def distribution(
    release: ReleaseInfo,
    view: Slice,
    samples: dict[Key, list[int]],
    bins: Bins,
    decided: dict[Key, bool] | None,
    context: dict[str, frozenset[str]],
    threshold: int,
    min_group: int,
    notes: tuple[str, ...],
) -> StatResult:
    """A histogram of months in `bins` and the quantiles read off it, split by the view's one dimension
    (or a filter's row of that split), protected as one table whose margins are the group sizes;
    `samples` are the months of each group, `decided` what other tables decided of the group sizes,
    `context` the conditions every count shares (whom the distribution describes)."""
    split = view.dimensions[0] if view.dimensions else None
    groups: list[Key] = [(level,) for level in split.levels] if split else [()]
    histogram = _histogram(groups, samples, split.name if split else None, bins)
    by_list = release.withheld.keys(
        histogram, context=context, margins={bins.dimension: frozenset(bins.labels)}
    )
    table = replace(histogram, decided_by_tables=decided, decided_by_list=by_list)
    published = {cell.key: cell for cell in protect_counts(table, threshold).cells}
    additive = split is None or split.additive
    if not additive:  # a person charged under two articles is in two groups: no overall margin
        published = {key: cell for key, cell in published.items() if key[0] != TOTAL}

    by_column: tuple[str, ...] = ()
    if split and split.name in view.filters:  # a filter: the split's row of that value, as one group
        value = view.filters[split.name]
        published = {key[1:]: cell for key, cell in published.items() if key[0] == value}
        groups = [()]
    elif split:
        by_column = (split.name,)
    rows: list[dict[str, Value]] = []
    for key, cell in published.items():
        if key[-1] != TOTAL:
            columns: dict[str, Value] = dict(zip(by_column, key[:-1], strict=True))
            rows.append({"measure": "histogram", "bin_months": key[-1], **columns, **_count(cell)})
    rows += quantile_rows(groups, published, by_column, additive, min_group, bins)
    columns_out = (
        "measure",
        "bin_months",
        *by_column,
        "count",
        "suppressed",
        "statistic",
        "value",
        "withheld_reason",
    )
    suppressed = sum(cell.suppressed for cell in published.values())
    return StatResult(columns_out, by_column, tuple(rows), suppressed, notes)


def _group_sizes_decided(
    connection: Connection,
    release: ReleaseInfo,
    kind: Dimension,
    chosen: str,
    split: Dimension | None,
    threshold: int,
) -> dict[Key, bool] | None:
    """The group sizes are counts the breakdown by kind of sentence publishes too (every sentence of
    these kinds has a length): they are hidden exactly as that breakdown hides them. A hidden group
    size hides its whole row of bins, whose visible sum would otherwise bound it from below."""
    if chosen not in SENTENCE_KINDS_WITH_LENGTH:
        return None
    dims = (kind, split) if split else (kind,)
    decided: dict[Key, bool] = {}
    for cell in protected_breakdown(connection, release, Slice(dims, {}), threshold).cells:
        if cell.key[0] == chosen:
            group = cell.key[1:]
            decided[(*group, TOTAL)] = cell.suppressed
            if cell.suppressed:
                decided |= {(*group, label): True for label in BIN_LABELS}
    return decided


def _histogram(groups: list[Key], samples: dict[Key, list[int]], by: str | None, bins: Bins) -> CountTable:
    counts: dict[Key, int] = {}
    for group in groups:
        for months in samples.get(group, []):
            key = (*group, bins.of(months))
            counts[key] = counts.get(key, 0) + 1
    levels = {**({by: tuple(g[0] for g in groups)} if by else {}), bins.dimension: bins.labels}
    dimensions = (*((by,) if by else ()), bins.dimension)
    return CountTable(name="sentences", dimensions=dimensions, levels=levels, counts=counts)


def _count(cell: PublishedEntry) -> dict[str, Value]:
    return {"count": cell.value, "suppressed": cell.suppressed}


def quantile_rows(
    groups: list[Key],
    published: dict[Key, PublishedEntry],
    by_column: tuple[str, ...],
    additive: bool,
    min_group: int,
    bins: Bins = SENTENCE_BINS,
) -> list[dict[str, Value]]:
    """n (the protected margin of each group's histogram row) and the quantiles of each group, derived
    from the group's published bins alone (`api.disclosure.protect_quantiles`)."""
    keys = list(groups) + ([(TOTAL,)] if by_column and additive else [])
    histograms = [
        GroupHistogram(
            key,
            published[(*key, TOTAL)].value,
            tuple(published[(*key, label)].value for label in bins.labels),
        )
        for key in keys
    ]
    out: list[dict[str, Value]] = []
    for item in protect_quantiles(histograms, bins.edges, min_group, QUANTILES):
        base: dict[str, Value] = {"measure": "quantiles", **dict(zip(by_column, item.key, strict=True))}
        size = published[(*item.key, TOTAL)]
        out.append({**base, "statistic": "n", "value": size.value, "suppressed": size.suppressed})
        for statistic, value in item.quantiles.items():
            reason = item.reasons.get(statistic)
            out.append({**base, "statistic": statistic, "value": value, "withheld_reason": reason})
    return out
