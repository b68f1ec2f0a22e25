"""Lengths of sentences: a histogram in fixed bins and quantiles, for one kind of sentence.

The histogram is one protected table, (group ×) bin, whose margins are the group sizes `n`: bins and
sizes are published from the same protected cells, so no hidden bin equals `n` minus the visible ones.
"""

from __future__ import annotations

from sqlalchemy import Connection

from api.disclosure import protect_counts, protect_quantiles
from api.stats.cube import Slice, grouped_counts
from api.stats.dimensions import CASE
from api.stats.result import StatResult, Value
from api.table import TOTAL, CountTable, GroupSample, Key, PublishedCell

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
    "Quantiles use linear interpolation between ordered values and are published only for groups of at "
    "least the minimum group size; when exactly one group is withheld, the overall figures are too.",
)
WITHHELD_WITH_GROUP = "withheld because exactly one group is withheld (it could be derived from the rest)"


def bin_of(months: int) -> str:
    return next(label for label, low, high in BINS if low <= months <= high)


def sentences(
    connection: Connection, release_id: str, kind: str, view: Slice, threshold: int, min_group: int
) -> StatResult:
    """Sentences of one kind (the population described, like custody in the monthly series): their
    histogram and quantiles, split by the view's `by` dimension within its filters."""
    dims = view.dimensions
    where = [CASE.c.sentence_kind == kind, CASE.c.sentence_months.is_not(None)]
    by = view.by[0] if view.by else None
    samples: dict[Key, list[float]] = {}
    for row in grouped_counts(connection, release_id, dims, [CASE.c.sentence_months], where):
        values = {d.name: str(v) for d, v in zip(dims, row, strict=False)}
        if any(values[name] != wanted for name, wanted in view.filters.items()):
            continue
        group = (values[by.name],) if by else ()
        samples.setdefault(group, []).extend([float(str(row[len(dims)]))] * int(str(row[-1])))

    additive = by is None or by.additive
    groups: list[Key] = [(level,) for level in by.levels] if by else [()]
    table = _histogram(groups, samples, by.name if by else None)
    published = {cell.key: cell for cell in protect_counts(table, threshold).cells}
    if not additive:  # a person charged under two articles is in two groups: no overall margin
        published = {key: cell for key, cell in published.items() if key[0] != TOTAL}

    rows: list[dict[str, Value]] = []
    by_column: tuple[str, ...] = (by.name,) if by else ()
    for key, cell in published.items():
        if key[-1] != TOTAL:
            split: dict[str, Value] = dict(zip(by_column, key[:-1], strict=True))
            rows.append({"measure": "histogram", "bin_months": key[-1], **split, **_count(cell)})
    rows += _quantile_rows(groups, samples, published, by_column, additive, threshold, min_group)
    columns = (
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
    return StatResult(columns, by_column, tuple(rows), suppressed, NOTES)


def _histogram(groups: list[Key], samples: dict[Key, list[float]], by: str | None) -> CountTable:
    counts: dict[Key, int] = {}
    for group in groups:
        for months in samples.get(group, []):
            key = (*group, bin_of(int(months)))
            counts[key] = counts.get(key, 0) + 1
    levels = {**({by: tuple(g[0] for g in groups)} if by else {}), "bin_months": BIN_LABELS}
    dimensions = (*((by,) if by else ()), "bin_months")
    return CountTable(name="sentences", dimensions=dimensions, levels=levels, counts=counts)


def _count(cell: PublishedCell) -> dict[str, Value]:
    return {"count": cell.value, "suppressed": cell.suppressed}


def _quantile_rows(
    groups: list[Key],
    samples: dict[Key, list[float]],
    published: dict[Key, PublishedCell],
    by_column: tuple[str, ...],
    additive: bool,
    threshold: int,
    min_group: int,
) -> list[dict[str, Value]]:
    """n (the protected margin of each group's histogram row) and the quantiles of each group."""
    keys = list(groups) + ([(TOTAL,)] if by_column and additive else [])
    everyone = [value for group in groups for value in samples.get(group, [])]
    values = {key: sorted(everyone if key == (TOTAL,) else samples.get(key, [])) for key in keys}
    statistics = protect_quantiles(
        [GroupSample(key, tuple(values[key])) for key in keys], min_group, threshold, QUANTILES
    )
    withheld = [key for key in groups if 0 < len(values[key]) < min_group]
    out: list[dict[str, Value]] = []
    for item in statistics:
        reason = item.withheld_reason
        quantiles = item.quantiles
        if item.key == (TOTAL,) and len(withheld) == 1 and reason is None:
            reason, quantiles = WITHHELD_WITH_GROUP, dict.fromkeys(quantiles)
        base: dict[str, Value] = {"measure": "quantiles", **dict(zip(by_column, item.key, strict=True))}
        size = published[(*item.key, TOTAL)] if by_column else published[(TOTAL,)]
        out.append({**base, "statistic": "n", "value": size.value, "suppressed": size.suppressed})
        for statistic, value in quantiles.items():
            out.append({**base, "statistic": statistic, "value": value, "withheld_reason": reason})
    return out
