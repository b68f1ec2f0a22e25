"""A statistic's published rows in the shape a table asks for: tidy by default in CSV and spreadsheets.

Shaping only moves published cells and divides published counts: it reads no record and no hidden
count (of the population's total, of a measure's total, or of its month's total in a series split by a
dimension). A share is empty (and its row `suppressed`) whenever its count or its total is hidden, so it never
says more than the two published numbers it is the ratio of. JSON keeps the shapes it always had unless
a parameter asks otherwise (`shape`, `totals`, `part`); CSV and XLSX default to tidy tables: flows in
long rows, margins (`total`) out of the parts, and one row shape per file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from api.query import StatQuery
from api.stats.result import StatResult, Value
from api.table import TOTAL

SHARE_DIGITS = 3
Published = tuple[Value, Value]
"""A published count and its `suppressed` flag."""
FLOWS_LONG_COLUMNS = ("month", "event", "kind", "count", "suppressed")
_RELEASED = "released_"
_PART_COLUMNS = {
    "histogram": ("bin_months", "count", "suppressed"),
    "quantiles": ("statistic", "value", "suppressed", "withheld_reason"),
}


@dataclass(frozen=True)
class TableShape:
    """How one representation lays a statistic out."""

    totals: bool
    """Margins (`total` rows, the released total of flows) kept among the rows."""
    long: bool
    """Flows: one row per month, event and kind (else one row per month)."""
    part: str | None
    """Sentences: only the `histogram` rows or only the `quantiles` rows (None: both, as published)."""


def table_shape(query: StatQuery, format: str) -> TableShape:
    """The shape `query` asks for, with the defaults of `format` (JSON as it always was, tables tidy)."""
    table = format != "json"
    return TableShape(
        totals=query.totals if query.totals is not None else not table,
        long=(query.shape or ("long" if table else "wide")) == "long",
        part=query.part or ("histogram" if format == "csv" else None),
    )


def shaped(
    statistic: str,
    result: StatResult,
    shape: TableShape,
    population: Value = None,
    month_totals: Mapping[str, Published] | None = None,
) -> StatResult:
    """`result` laid out as `shape` says; `population` is the breakdown's total when its table has no
    `total` row to divide by (a person counts under each of their articles, so articles have none), and
    `month_totals` likewise each month's published (count, suppressed) for a split monthly series."""
    if statistic == "breakdown":
        result = _with_shares(result, _grand_total(result, population))
    elif statistic == "in-custody" and result.dimensions:
        result = _monthly_shares(result, month_totals or {})
    elif statistic == "summary":
        result = _summary_shares(result)
    elif statistic == "flows" and shape.long:
        result = flows_long(result)
    elif statistic in ("sentences", "held-before-release") and shape.part:
        result = sentences_part(result, shape.part)
    if not shape.totals:
        result = _without_totals(statistic, result)
    return _recount(result) if (shape.part or shape.long or not shape.totals) else result


def flows_long(result: StatResult) -> StatResult:
    """One row per month and event (`recognized`, `released`) and, for releases, kind."""
    rows: list[dict[str, Value]] = []
    for row in result.rows:
        for column in result.columns:
            if column == "recognized":
                event, kind = "recognized", None
            elif column.startswith(_RELEASED) and not column.endswith("_suppressed"):
                event, kind = "released", column.removeprefix(_RELEASED)
            else:
                continue
            rows.append(
                {
                    "month": row["month"],
                    "event": event,
                    "kind": kind,
                    "count": row.get(column),
                    "suppressed": row.get(f"{column}_suppressed"),
                }
            )
    return replace(result, columns=FLOWS_LONG_COLUMNS, dimensions=("event", "kind"), rows=tuple(rows))


def sentences_part(result: StatResult, part: str) -> StatResult:
    """Only the histogram rows (bands and counts) or only the quantile rows, each with its own columns."""
    keep = set(result.dimensions) | set(_PART_COLUMNS[part])
    columns = tuple(column for column in result.columns if column in keep)
    rows = tuple(
        {column: row.get(column) for column in columns} for row in result.rows if row.get("measure") == part
    )
    return replace(result, columns=columns, rows=rows)


def share(count: Value, total: Value, suppressed: Value, total_suppressed: Value) -> float | None:
    """`count / total` rounded, or None when either is hidden (or the total is 0)."""
    if suppressed is True or total_suppressed is True:
        return None
    if not isinstance(count, int) or not isinstance(total, int) or isinstance(count, bool) or total <= 0:
        return None
    return round(count / total, SHARE_DIGITS)


def _grand_total(result: StatResult, population: Value) -> tuple[Value, Value]:
    """(count, suppressed) of the table's everyone-row, else `population` (a published count)."""
    for row in result.rows:
        if all(row.get(name) == TOTAL for name in result.dimensions):
            return row.get("count"), row.get("suppressed")
    return population, population is None


def _with_shares(result: StatResult, total: tuple[Value, Value]) -> StatResult:
    rows = tuple(
        {**row, "share": share(row.get("count"), total[0], row.get("suppressed"), total[1])}
        for row in result.rows
    )
    return replace(result, columns=_after(result.columns, "suppressed", "share"), rows=rows)


def _monthly_shares(result: StatResult, month_totals: Mapping[str, Published]) -> StatResult:
    """Each part's share of its month's total: the series' own `total` row of the month, else the
    month's published count without the split (`month_totals`); hidden when either count is."""
    totals = dict(month_totals)
    for row in result.rows:
        if all(row.get(name) == TOTAL for name in result.dimensions):
            totals[str(row["month"])] = (row.get("count"), row.get("suppressed"))
    rows = []
    for row in result.rows:
        total = totals.get(str(row["month"]), (None, True))
        rows.append({**row, "share": share(row.get("count"), total[0], row.get("suppressed"), total[1])})
    return replace(result, columns=_after(result.columns, "suppressed", "share"), rows=tuple(rows))


def _summary_shares(result: StatResult) -> StatResult:
    """Each part's share of its measure's total (released by kind of all released, …); measures
    without a total (the sentence quartiles) have none."""
    totals = {
        row["measure"]: (row.get("value"), row.get("suppressed"))
        for row in result.rows
        if row.get("category") == TOTAL
    }
    rows = []
    for row in result.rows:
        total = totals.get(row.get("measure"), (None, True))
        rows.append({**row, "share": share(row.get("value"), total[0], row.get("suppressed"), total[1])})
    return replace(result, columns=_after(result.columns, "suppressed", "share"), rows=tuple(rows))


def _without_totals(statistic: str, result: StatResult) -> StatResult:
    """The parts only: no row whose dimension (or summary category, or flows kind) is `total`, and no
    `released_total` column in wide flows."""
    margins = (*result.dimensions, "category") if statistic == "summary" else result.dimensions
    rows = tuple(row for row in result.rows if not any(row.get(name) == TOTAL for name in margins))
    dropped = {f"{_RELEASED}{TOTAL}", f"{_RELEASED}{TOTAL}_suppressed"}
    columns = tuple(column for column in result.columns if column not in dropped)
    if len(columns) != len(result.columns):
        rows = tuple({k: v for k, v in row.items() if k not in dropped} for row in rows)
    return replace(result, columns=columns, rows=rows)


def _recount(result: StatResult) -> StatResult:
    """The hidden cells of the rows shown (a share adds none: it is hidden with its count)."""
    hidden = sum(
        1 for row in result.rows for column, value in row.items() if column.endswith("suppressed") and value
    )
    return replace(result, suppressed_cells=hidden)


def _after(columns: tuple[str, ...], anchor: str, name: str) -> tuple[str, ...]:
    if anchor not in columns:
        return (*columns, name)
    at = columns.index(anchor) + 1
    return (*columns[:at], name, *columns[at:])
