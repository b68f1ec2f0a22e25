"""A tiny hand-made cases.csv for tests that need a release they can break line by line."""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "case_id,gender,age_band,region,detained_on,recognized_on,articles,"
    "sentence_kind,sentence_months,released_on,release_kind"
)
ROWS = [
    "aaaa0001,female,25_34,BY-HM,2020-09,2020-10,342,prison,24,2022-09,end_of_term",
    "aaaa0002,male,35_44,BY-BR,2021-03,2021-04,342;364,prison,36,,",
    "aaaa0003,male,under_25,BY-HR,2022-01,2022-02,361-1,pending,,,",
    "aaaa0004,unknown,unknown,unknown,2023-05,2023-06,other,fine,,2023-08,sentence_changed",
    "aaaa0005,female,65_plus,BY-VI,2024-02,2024-03,369;368,restricted_freedom,18,2025-09,pardon_expelled",
]


def small_cases_csv(rows: list[str] | None = None, header: str = HEADER) -> str:
    return "\n".join([header, *(ROWS if rows is None else rows)]) + "\n"


def write_cases(release_folder: Path, content: str | bytes) -> Path:
    path = release_folder / "cases.csv"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
