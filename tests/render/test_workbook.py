"""XLSX of hand-made tables: typed cells, a frozen header, the provenance sheet, stable bytes."""

from __future__ import annotations

import io
from dataclasses import asdict, replace
from datetime import date

import openpyxl
import pandas

from api.render.workbook import ABOUT_SHEET, DATA_SHEET, to_xlsx
from api.stats.releases import ReleaseInfo
from api.stats.result import Value
from tests.utils.generated import GENERATED_DESCRIPTION

RELEASE = ReleaseInfo(
    **asdict(GENERATED_DESCRIPTION),
    case_count=10,
    first_month="2020-05",
    first_recognized="2020-06",
    metadata={},
    files=(),
)
ROWS: list[dict[str, Value]] = [
    {"month": "2024-01", "gender": "female", "count": 12, "suppressed": False},
    {"month": "2024-02", "gender": "female", "count": None, "suppressed": True},
    {"month": "2024-03", "gender": "=1+1", "count": 7, "suppressed": False},
]
COLUMNS = ["month", "gender", "count", "suppressed"]
PROVENANCE: dict[str, Value] = {"release": RELEASE.id, "synthetic": True, "data_note": "Demonstration data."}
ABOUT = [("DEMONSTRATION DATA", "Demonstration data."), ("release", RELEASE.id)]


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_rows_are_typed_under_a_frozen_header_with_provenance_on_every_row() -> None:
    sheet = _open(to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE))[DATA_SHEET]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == (*COLUMNS, *PROVENANCE)
    assert values[1] == ("2024-01", "female", 12, False, RELEASE.id, True, "Demonstration data.")
    assert values[2][2] is None and values[2][3] is True  # a hidden count is a gap, flagged
    assert sheet.freeze_panes == "A2"


def test_text_is_never_a_formula_and_months_stay_text() -> None:
    sheet = _open(to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE))[DATA_SHEET]
    assert sheet["B4"].value == "=1+1" and sheet["B4"].data_type == "s"
    assert sheet["A2"].data_type == "s"


def test_the_about_sheet_opens_with_the_demonstration_mark() -> None:
    workbook = _open(to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE))
    assert workbook.sheetnames == [DATA_SHEET, ABOUT_SHEET]
    assert list(workbook[ABOUT_SHEET].iter_rows(values_only=True)) == ABOUT


def test_pandas_reads_the_types() -> None:
    frame = pandas.read_excel(io.BytesIO(to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE)))
    assert frame["count"].sum() == 19 and frame["suppressed"].dtype == bool


def test_bytes_depend_only_on_the_contents() -> None:
    first = to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE)
    assert to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, RELEASE) == first
    later = replace(RELEASE, published=date(2026, 5, 1))
    assert to_xlsx(ROWS, COLUMNS, PROVENANCE, ABOUT, later) != first
