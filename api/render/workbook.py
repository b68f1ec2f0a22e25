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
from datetime import datetime

import xlsxwriter

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
) -> bytes:
    """A statistic's workbook: its CSV's columns labelled in `lang`; `limits` are (threshold, min group);
    `url` is the API query that answers with the same table."""
    rows = labelled_rows(result, vocab, lang)
    about = about_rows(release, result, *limits, lang, url)
    return to_xlsx(rows, csv_columns(result), csv_provenance_columns(release, lang), about, release)


def to_xlsx(
    rows: Sequence[dict[str, Value]],
    columns: Sequence[str],
    provenance: dict[str, Value],
    about: Sequence[tuple[str, str]],
    release: ReleaseInfo,
) -> bytes:
    """The workbook: `rows` under `columns` then the `provenance` columns; `about` as (field, text) rows."""
    buffer = io.BytesIO()
    # Text stays text: a label is never run as a formula nor turned into a link.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    published = datetime(release.published.year, release.published.month, release.published.day)
    workbook.set_properties({"title": release.title, "created": published})
    bold = workbook.add_format({"bold": True})

    data = workbook.add_worksheet(DATA_SHEET)
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

    sheet = workbook.add_worksheet(ABOUT_SHEET)
    sheet.set_column(0, 0, 24, bold)
    sheet.set_column(1, 1, 100, workbook.add_format({"text_wrap": True, "valign": "top"}))
    for number, (name, text) in enumerate(about):
        sheet.write_string(number, 0, name)
        sheet.write_string(number, 1, text)
    workbook.close()
    return buffer.getvalue()


def _cell(value: Value) -> str | int | float | bool | None:
    """Numbers and booleans as typed cells, text as text (never read as a number or a date)."""
    return value if value is None or isinstance(value, bool | int | float) else str(value)
