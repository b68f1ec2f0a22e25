"""Lengths of sentences: a histogram in fixed bins and quantiles, for one kind of sentence."""

from __future__ import annotations

from sqlalchemy import Connection

from api.disclosure import protect_quantiles
from api.stats.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.dimensions import CASE
from api.stats.result import StatResult, Value, table_rows
from api.table import TOTAL, GroupSample, PublishedCell, PublishedQuantiles

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
QUANTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
NOTES = (
    "Sentence lengths in months as imposed by the court, for every person with that kind of sentence "
    "(in custody or released). Bins: " + ", ".join(label for label, _, _ in BINS) + " months.",
    "Quantiles use linear interpolation between ordered values and are published only for groups of at "
    "least the minimum group size.",
)


def bin_of(months: int) -> str:
    return next(label for label, low, high in BINS if low <= months <= high)


def sentences(
    connection: Connection, release_id: str, kind: str, view: Slice, threshold: int, min_group: int
) -> StatResult:
    """Sentences of one kind (the population described, like custody in the monthly series): their
    histogram and quantiles, by the view's dimensions."""
    dims = view.dimensions
    width = len(dims)
    where = [CASE.c.sentence_kind == kind, CASE.c.sentence_months.is_not(None)]
    rows = grouped_counts(connection, release_id, dims, [CASE.c.sentence_months], where)
    histogram = count_table(
        "sentences",
        dims,
        keyed(rows, width, lambda row: (bin_of(int(str(row[width]))), *(str(v) for v in row[:width]))),
        periods=tuple(label for label, _, _ in BINS),
    )
    published = protect_and_slice(histogram, view, threshold)
    result_rows: list[dict[str, Value]] = [
        {"measure": "histogram", **row} for row in table_rows(published, period_column="bin_months")
    ]
    # Group sizes are counts too: publish them as the protected table of the same groups shows them.
    sizes = count_table("sentence_groups", dims, keyed(rows, width), exact_totals=True)
    shown_sizes = {cell.key: cell for cell in protect_and_slice(sizes, view, threshold).cells}
    quantile_rows = _quantile_rows(rows, view, width, threshold, min_group, shown_sizes)
    by = tuple(d.name for d in view.by)
    columns = ("measure", "bin_months", *by, "count", "suppressed", "statistic", "value", "withheld_reason")
    return StatResult(
        columns=columns,
        dimensions=by,
        rows=(*result_rows, *quantile_rows),
        suppressed_cells=published.suppressed_cells,
        notes=NOTES,
    )


def _quantile_rows(
    rows: list[tuple[object, ...]],
    view: Slice,
    width: int,
    threshold: int,
    min_group: int,
    sizes: dict[tuple[str, ...], PublishedCell],
) -> list[dict[str, Value]]:
    names = [d.name for d in view.dimensions]
    by_positions = [i for i, n in enumerate(names) if n not in view.filters]
    # No overall group across articles: a person charged under two would count twice (as in the histogram).
    with_total = bool(by_positions) and all(view.dimensions[i].additive for i in by_positions)
    groups: dict[tuple[str, ...], list[float]] = {}
    for row in rows:
        values = [str(v) for v in row[:width]]
        if any(values[i] != view.filters[n] for i, n in enumerate(names) if n in view.filters):
            continue
        key = tuple(values[i] for i in by_positions)
        months = [float(str(row[width]))] * int(str(row[-1]))
        groups.setdefault(key, []).extend(months)
        if with_total:
            groups.setdefault((TOTAL,) * len(by_positions), []).extend(months)
    levels = [view.dimensions[i].levels for i in by_positions]
    keys = [(*k,) for k in _product(levels)] + ([(TOTAL,) * len(by_positions)] if with_total else [])
    samples = [GroupSample(key, tuple(sorted(groups.get(key, [])))) for key in keys]
    published: list[PublishedQuantiles] = protect_quantiles(samples, min_group, threshold, QUANTILES)
    out: list[dict[str, Value]] = []
    by = [names[i] for i in by_positions]
    for item in published:
        base: dict[str, Value] = {"measure": "quantiles", **dict(zip(by, item.key, strict=True))}
        size = sizes[item.key]
        out.append({**base, "statistic": "n", "value": size.value, "suppressed": size.suppressed})
        for statistic, value in item.quantiles.items():
            out.append(
                {**base, "statistic": statistic, "value": value, "withheld_reason": item.withheld_reason}
            )
    return out


def _product(levels: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    result: list[tuple[str, ...]] = [()]
    for values in levels:
        result = [(*prefix, value) for prefix in result for value in values]
    return result
