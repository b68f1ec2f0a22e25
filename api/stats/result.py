"""What a statistic hands to its representations: published rows, never exact counts."""

from __future__ import annotations

from dataclasses import dataclass

from api.table import PublishedTable

Value = str | int | float | bool | None


@dataclass(frozen=True)
class StatResult:
    """Rows of a protected statistic. `dimensions` are the columns that get labels in `lang`."""

    columns: tuple[str, ...]
    dimensions: tuple[str, ...]
    rows: tuple[dict[str, Value], ...]
    suppressed_cells: int
    notes: tuple[str, ...] = ()


def table_rows(table: PublishedTable, period_column: str | None = None) -> list[dict[str, Value]]:
    """One row per published cell: period (if any), dimension values, count, suppressed."""
    rows: list[dict[str, Value]] = []
    for cell in table.cells:
        row: dict[str, Value] = {}
        if period_column is not None:
            row[period_column] = cell.period
        row.update(zip(table.dimensions, cell.key, strict=True))
        row["count"] = cell.value
        row["suppressed"] = cell.suppressed
        rows.append(row)
    return rows


def table_result(
    table: PublishedTable, period_column: str | None = None, notes: tuple[str, ...] = ()
) -> StatResult:
    leading = (period_column,) if period_column else ()
    return StatResult(
        columns=(*leading, *table.dimensions, "count", "suppressed"),
        dimensions=table.dimensions,
        rows=tuple(table_rows(table, period_column)),
        suppressed_cells=table.suppressed_cells,
        notes=notes,
    )
