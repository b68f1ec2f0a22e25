"""A table as an Excel workbook: the CSV's rows, typed, on a first sheet; where they come from on a second.

The first sheet holds exactly the columns of the CSV (the provenance columns and the demonstration mark
included, so a row copied alone still says where it comes from) under a frozen header; numbers and
booleans are typed cells, a suppressed count an empty one. The second sheet, `about`, says in words what
the release, the date, the sources, the licence and the disclosure control are. The bytes depend only
on the contents (dated the release's publication day), so every instance serves the same ETag.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from api.labels import Lang
from api.render.provenance import about_rows, csv_provenance_columns
from api.render.tabular import csv_cell, csv_columns, labelled_rows
from api.stats.dimensions import Vocabularies
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value

DATA_SHEET = "data"
ABOUT_SHEET = "about"
_MAX_WIDTH = 60


def table_workbook(
    result: StatResult,
    release: ReleaseInfo,
    vocab: Vocabularies,
    lang: Lang,
    limits: tuple[int, int],
    url: str,
    more: Sequence[tuple[str, StatResult]] = (),
) -> bytes:
    """A statistic's workbook: its CSV's columns labelled in `lang`; `limits` are (threshold, min group);
    `url` is the API query that answers with the same table. `more` are further tables of the same
    answer, each on its own sheet (the quantiles next to a histogram), so every sheet has one row shape."""
    hidden = result.suppressed_cells + sum(table.suppressed_cells for _, table in more)
    about = about_rows(release, replace(result, suppressed_cells=hidden), *limits, lang, url)
    sheets = [
        Sheet(name, labelled_rows(table, vocab, lang), csv_columns(table))
        for name, table in ((DATA_SHEET, result), *more)
    ]
    return to_xlsx(
        sheets[0].rows, sheets[0].columns, csv_provenance_columns(release, lang), about, release, sheets[1:]
    )


@dataclass(frozen=True)
class Sheet:
    """One data sheet: its name, rows and columns (before the provenance columns)."""

    name: str
    rows: Sequence[dict[str, Value]]
    columns: Sequence[str]


def to_xlsx(
    rows: Sequence[dict[str, Value]],
    columns: Sequence[str],
    provenance: dict[str, Value],
    about: Sequence[tuple[str, str]],
    release: ReleaseInfo,
    more: Sequence[Sheet] = (),
) -> bytes:
    """The workbook: `rows` under `columns` then the `provenance` columns, then the sheets of `more`
    alike; `about` as (field, text) rows."""
    buffer = io.BytesIO()
    # Text stays text: a label is never run as a formula nor turned into a link.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    published = datetime(release.published.year, release.published.month, release.published.day)
    workbook.set_properties({"title": release.title, "created": published})
    bold = workbook.add_format({"bold": True})
    for sheet in (Sheet(DATA_SHEET, rows, columns), *more):
        _data_sheet(workbook.add_worksheet(sheet.name), sheet, provenance, bold)

    about_sheet = workbook.add_worksheet(ABOUT_SHEET)
    about_sheet.set_column(0, 0, 24, bold)
    about_sheet.set_column(1, 1, 100, workbook.add_format({"text_wrap": True, "valign": "top"}))
    for number, (name, text) in enumerate(about):
        about_sheet.write_string(number, 0, name)
        about_sheet.write_string(number, 1, text)
    workbook.close()
    return buffer.getvalue()


def _data_sheet(data: Worksheet, sheet: Sheet, provenance: dict[str, Value], bold: Format) -> None:
    """Rows under a frozen, filtered header; the provenance columns on every row."""
    rows, columns = sheet.rows, sheet.columns
    header = [*columns, *provenance]
    data.write_row(0, 0, header, bold)
    for number, row in enumerate(rows, start=1):
        data.write_row(number, 0, [_cell(row.get(column)) for column in columns])
        data.write_row(number, len(columns), [_cell(value) for value in provenance.values()])
    data.freeze_panes(1, 0)
    data.autofilter(0, 0, len(rows), len(header) - 1)
    for index, name in enumerate(header):
        sample = [name, *(csv_cell(row.get(name, provenance.get(name))) for row in rows[:200])]
        data.set_column(index, index, min(_MAX_WIDTH, max(len(text) for text in sample) + 2))


def _cell(value: Value) -> str | int | float | bool | None:
    """Numbers and booleans as typed cells, text as text (never read as a number or a date)."""
    return value if value is None or isinstance(value, bool | int | float) else str(value)
