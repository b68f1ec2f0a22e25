"""Lengths of sentences: a histogram in fixed bins and quantiles, for one kind of sentence.

The histogram is one protected table, (group ×) bin, whose margins are the group sizes `n`: bins and
sizes are published from the same protected cells, so no hidden bin equals `n` minus the visible ones.
The quantiles are computed from those published cells alone (`api.disclosure.protect_quantiles`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import product

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


@dataclass(frozen=True)
class Bins:
    """The bins of a distribution in months, named by their bounds (both included): lowest months
    (0, 6, 12) make the bins 0-5, 6-11 and the open 12+."""

    dimension: str
    """The dimension the histogram table calls them (`api.cells.ATTRIBUTE_OF` names the attribute)."""
    lowest: tuple[int, ...]
    """The lowest month of each bin, in increasing order."""

    @cached_property
    def bins(self) -> tuple[tuple[str, int, int], ...]:
        """(label, lowest, highest) of each bin; the open top bin's highest is a bound no one reaches."""
        highest = [next_lowest - 1 for next_lowest in self.lowest[1:]]
        closed = tuple((f"{low}-{high}", low, high) for low, high in zip(self.lowest, highest, strict=False))
        return (*closed, (f"{self.lowest[-1]}+", self.lowest[-1], OPEN_BIN_END))

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _, _ in self.bins)

    @cached_property
    def edges(self) -> Edges:
        """The bins as intervals of months for interpolation: 1-11 is [1, 12); the top bin is open."""
        return tuple(
            (float(low), None if high == OPEN_BIN_END else float(high + 1)) for _, low, high in self.bins
        )

    def of(self, months: int) -> str:
        """The bin of `months` (called once per person per table in `publish`: a bisection)."""
        index = bisect_right(self.lowest, months) - 1
        if index < 0 or months > OPEN_BIN_END:
            raise ValueError(f"{months} months is outside the bins of {self.dimension}")
        return self.labels[index]


OPEN_BIN_END = 10_000
SENTENCE_BINS = Bins("bin_months", (1, 12, 24, 36, 60, 120, 180))
BIN_LABELS = SENTENCE_BINS.labels
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
    histogram and quantiles, split by the view's one dimension — or, for a filter, that split's row.
    With a filter and a split (`article=342&by=gender`), the split's groups among the filter's people:
    a slice of the three-way table filter × split × bin (`protected_cube`), whose margin row is the
    filter's row of the one-way table by the filter."""
    split: Dimension | None
    if len(view.dimensions) == 2:
        first, split = view.dimensions
        cube = protected_cube(connection, release, kind, chosen, (first, split), threshold)
        published = {key[1:]: cell for key, cell in cube.items() if key[0] == view.filters[first.name]}
    else:
        split = view.dimensions[0] if view.dimensions else None
        published = _one_way(connection, release, kind, chosen, split, threshold)
    row = view.filters.get(split.name) if split else None
    return histogram_answer(published, split, row, SENTENCE_BINS, min_group, NOTES)


def _one_way(
    connection: Connection,
    release: ReleaseInfo,
    kind: Dimension,
    chosen: str,
    split: Dimension | None,
    threshold: int,
) -> dict[Key, PublishedEntry]:
    """The protected histogram of one kind's lengths, (split ×) bin."""
    where = [CASE.c.sentence_kind == chosen, CASE.c.sentence_months.is_not(None)]
    samples: dict[Key, list[int]] = {}
    dims = (split,) if split else ()
    for row in grouped_counts(connection, release, dims, [CASE.c.sentence_months], where):
        group = (str(row[0]),) if split else ()
        samples.setdefault(group, []).extend([int(str(row[-2]))] * int(str(row[-1])))
    # The group sizes are counts the breakdown by kind of sentence publishes too (every sentence of
    # these kinds has a length): hidden exactly as it hides them. A hidden group size hides its whole
    # row of bins, whose visible sum would otherwise bound it from below.
    decided: dict[Key, bool] | None = None
    if chosen in SENTENCE_KINDS_WITH_LENGTH:
        decided = {}
        breakdown_dims = (kind, split) if split else (kind,)
        for cell in protected_breakdown(connection, release, Slice(breakdown_dims, {}), threshold).cells:
            if cell.key[0] == chosen:
                sized = cell.key[1:]
                decided[(*sized, TOTAL)] = cell.suppressed
                if cell.suppressed:
                    decided |= {(*sized, label): True for label in BIN_LABELS}
    context = {"sentence_kind": frozenset({chosen})}
    return protected_histogram(release, split, samples, SENTENCE_BINS, decided, context, threshold)


def protected_cube(
    connection: Connection,
    release: ReleaseInfo,
    kind: Dimension,
    chosen: str,
    dims: tuple[Dimension, Dimension],
    threshold: int,
) -> dict[Key, PublishedEntry]:
    """The three-way table dims[0] × dims[1] × bin of one kind's lengths, protected (keys in that order,
    margins `TOTAL`).

    Its margins by one dimension are the one-way tables' cells, decided there. The rest is protected
    as two-way slices: fixing a level of one dimension leaves the other × bin, whose lines (a group's
    bins sum to its size; a bin's groups sum to the one-way table's cell) are all a reader can write
    within it. Slices along either dimension are protected in turn, each keeping what the others hid,
    until none hides more. A slice is only cut where the other dimension is additive: across articles
    (a person charged under two is in both) the bins do not sum to a margin, and the groups' own lines
    are the other dimension's slices. Lines across slices are the audit's to check (its families of
    kind × bin × two dimensions, `api.audit.families_of`)."""
    names = tuple(d.name for d in dims)
    order = sorted(range(2), key=lambda i: names[i])  # one protection for both orders of the pair
    x, y = (dims[i] for i in order)
    margins = {
        0: _one_way(connection, release, kind, chosen, x, threshold),
        1: _one_way(connection, release, kind, chosen, y, threshold),
    }
    where = [CASE.c.sentence_kind == chosen, CASE.c.sentence_months.is_not(None)]
    counts: dict[Key, int] = {}
    for row in grouped_counts(connection, release, (x, y), [CASE.c.sentence_months], where):
        key = (str(row[0]), str(row[1]), SENTENCE_BINS.of(int(str(row[2]))))
        counts[key] = counts.get(key, 0) + int(str(row[-1]))
    labels = SENTENCE_BINS.labels
    cube = CountTable(
        "sentences",
        (x.name, y.name, SENTENCE_BINS.dimension),
        {x.name: x.levels, y.name: y.levels, SENTENCE_BINS.dimension: labels},
        counts,
    )
    context = {"sentence_kind": frozenset({chosen})}
    listed = release.withheld.keys(cube, context, {SENTENCE_BINS.dimension: frozenset(labels)}) or {}
    by_containers = _decided_by_containers(connection, release, (x, y), margins, counts, threshold)
    for spot, hide in listed.items():  # the list shows what the published counts determine anyway
        group = spot[:2]
        exact = sum(counts.get((*group, b), 0) for b in labels) if spot[2] == TOTAL else counts.get(spot, 0)
        if TOTAL not in group and not hide and not 1 <= exact < threshold:
            by_containers[spot] = False
    hidden = {key for key, hide in by_containers.items() if hide}
    axes = [axis for axis in (0, 1) if (y, x)[axis].additive]  # slice along x where y sums, and so on
    while True:
        before = len(hidden)
        for axis in axes:
            fixed, other = (x, y)[axis], (y, x)[axis]

            def place(level: str, key: Key, axis: int = axis) -> Key:
                """A slice's key (other, bin) as the cube's (x, y, bin)."""
                return (level, *key) if axis == 0 else (key[0], level, key[1])

            for level in fixed.levels:
                own = margins[axis]
                grid = [(o, b) for o in other.levels for b in (*labels, TOTAL)]
                decided: dict[Key, bool] = {(TOTAL, b): own[(level, b)].suppressed for b in (*labels, TOTAL)}
                decided |= {
                    key: by_containers[place(level, key)]
                    for key in grid
                    if place(level, key) in by_containers
                }
                decided |= {key: True for key in grid if place(level, key) in hidden}
                sliced = CountTable(
                    "sentences",
                    (other.name, SENTENCE_BINS.dimension),
                    {other.name: other.levels, SENTENCE_BINS.dimension: labels},
                    {(o, b): counts.get(place(level, (o, b)), 0) for o in other.levels for b in labels},
                    decided_by_tables=decided,
                    decided_by_list={k: listed[place(level, k)] for k in grid if place(level, k) in listed},
                )
                for cell in protect_counts(sliced, threshold).cells:
                    if cell.suppressed and cell.key[0] != TOTAL:
                        hidden.add(place(level, cell.key))
        if len(hidden) == before:
            break
    whole = margins[0] if x.additive else margins[1]  # the overall row, from a dimension that sums
    published: dict[Key, PublishedEntry] = {}
    for a, b, label in product((*x.levels, TOTAL), (*y.levels, TOTAL), (*labels, TOTAL)):
        if a == TOTAL or b == TOTAL:  # a one-way table's cell
            if a == b:
                cell = whole[(TOTAL, label)]
            else:
                cell = margins[1][(b, label)] if a == TOTAL else margins[0][(a, label)]
            value, suppressed = cell.value, cell.suppressed
        else:
            suppressed = (a, b, label) in hidden
            bins = [counts.get((a, b, bin_label), 0) for bin_label in labels]
            value = None if suppressed else sum(bins) if label == TOTAL else counts.get((a, b, label), 0)
        key = (a, b, label) if order == [0, 1] else (b, a, label)
        published[key] = PublishedEntry(key, value, suppressed, None, TOTAL in key)
    return published


def _decided_by_containers(
    connection: Connection,
    release: ReleaseInfo,
    dims: tuple[Dimension, Dimension],
    margins: dict[int, dict[Key, PublishedEntry]],
    counts: dict[Key, int],
    threshold: int,
) -> dict[Key, bool]:
    """What other tables decide of the cube's cells through the counts that contain them: inside a
    visible zero a cell is zero, and shown; inside a hidden count it is hidden, since a visible part of
    a hidden count bounds it from below (as a hidden group size hides its row of bins). The containers
    are the one-way tables' cells and, for a group, the breakdown by both dimensions (everyone)."""
    x, y = dims
    labels = SENTENCE_BINS.labels
    view = Slice(dims, {})
    both = {cell.key: cell for cell in protected_breakdown(connection, release, view, threshold).cells}
    decided: dict[Key, bool] = {}
    for a, b in product(x.levels, y.levels):
        for label in (*labels, TOTAL):
            containers = [
                both[(a, b)],
                *(margins[0][(a, m)] for m in {label, TOTAL}),
                *(margins[1][(b, m)] for m in {label, TOTAL}),
            ]
            if any(cell.value == 0 for cell in containers):
                decided[(a, b, label)] = False
            elif any(cell.suppressed for cell in containers):
                decided[(a, b, label)] = True
    return decided


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
    published = protected_histogram(release, split, samples, bins, decided, context, threshold)
    row = view.filters.get(split.name) if split else None
    return histogram_answer(published, split, row, bins, min_group, notes)


def protected_histogram(
    release: ReleaseInfo,
    split: Dimension | None,
    samples: dict[Key, list[int]],
    bins: Bins,
    decided: dict[Key, bool] | None,
    context: dict[str, frozenset[str]],
    threshold: int,
) -> dict[Key, PublishedEntry]:
    """The published cells of the histogram (group ×) bin, margins included (see `distribution`)."""
    groups: list[Key] = [(level,) for level in split.levels] if split else [()]
    histogram = _histogram(groups, samples, split.name if split else None, bins)
    by_list = release.withheld.keys(
        histogram, context=context, margins={bins.dimension: frozenset(bins.labels)}
    )
    table = replace(histogram, decided_by_tables=decided, decided_by_list=by_list)
    return {cell.key: cell for cell in protect_counts(table, threshold).cells}


def histogram_answer(
    published: dict[Key, PublishedEntry],
    split: Dimension | None,
    row: str | None,
    bins: Bins,
    min_group: int,
    notes: tuple[str, ...],
) -> StatResult:
    """The rows of a protected histogram (group ×) bin with the quantiles of each group: every group
    of `split`, or only the group `row` (a filter) as the one group of the answer."""
    groups: list[Key] = [(level,) for level in split.levels] if split else [()]
    additive = split is None or split.additive
    if not additive:  # a person charged under two articles is in two groups: no overall margin
        published = {key: cell for key, cell in published.items() if key[0] != TOTAL}
    by_column: tuple[str, ...] = ()
    if split and row is not None:  # a filter: the split's row of that value, as one group
        published = {key[1:]: cell for key, cell in published.items() if key[0] == row}
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
