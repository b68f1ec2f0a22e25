"""A statistic as JSON rows or CSV text — the same cells either way."""

from __future__ import annotations

import csv
import io
from typing import Any

from api.labels import Lang
from api.render.provenance import csv_provenance_columns
from api.stats.dimensions import Vocabularies
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value


def labelled_rows(result: StatResult, vocab: Vocabularies, lang: Lang) -> list[dict[str, Value]]:
    """Rows with a `<dimension>_label` next to each dimension code, in `lang`."""
    rows = []
    for row in result.rows:
        out: dict[str, Value] = {}
        for column in result.columns:
            if column not in row:
                continue
            out[column] = row[column]
            if column in result.dimensions and isinstance(row[column], str):
                out[f"{column}_label"] = vocab.label(column, str(row[column]), lang)
        rows.append(out)
    return rows


def csv_columns(result: StatResult) -> list[str]:
    columns: list[str] = []
    for column in result.columns:
        columns.append(column)
        if column in result.dimensions:
            columns.append(f"{column}_label")
    return columns


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: booleans `true`/`false`, numbers as Python writes them, null empty.
    The publication's tables and every CSV the API serves write values alike."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _decimal_comma_cell(value: Any) -> str:
    """A cell for the Excel of locales whose list separator is `;`: their decimal mark is a comma."""
    return csv_cell(value).replace(".", ",") if isinstance(value, float) else csv_cell(value)


def to_csv(
    rows: list[dict[str, Value]],
    columns: list[str],
    release: ReleaseInfo,
    bom: bool,
    lang: Lang = "en",
    sep: str = ",",
) -> bytes:
    """UTF-8 CSV with a header row; a suppressed count is an empty cell with its flag set. `sep` is
    `,` or `;` (the list separator of Excel where the decimal mark is a comma)."""
    provenance = csv_provenance_columns(release, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    cell = csv_cell if sep == "," else _decimal_comma_cell
    trailer = [cell(value) for value in provenance.values()]
    writer.writerow([*columns, *provenance])
    for row in rows:
        writer.writerow([*(cell(row.get(column)) for column in columns), *trailer])
    text = buffer.getvalue()
    return (("\ufeff" + text) if bom else text).encode("utf-8")
