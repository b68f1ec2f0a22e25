"""Record-level files far larger than any real one: rejected in bounded memory when `publish` loads
them into its workspace, never half-loaded.

Each load runs in a child process (tests/utils/measured.py), so its peak memory is the load's alone,
not that of the test process with everything it imported and ran before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from api.db import create_db_engine
from api.records.tables import METADATA as RECORDS
from tests.utils.cases import HEADER
from tests.utils.databases import dump_database
from tests.utils.measured import upgrade_in_child

RELEASE = "demo-2026-03"
CASES_LABEL = f"dataset/demo/{RELEASE}/cases.csv"
MIB = 1 << 20
ROW = ",male,35_44,BY-MI,2021-01,2021-02,342;364,prison,24,2023-05,pardon\n"
"""A valid row of cases.csv, after its case_id."""


def _write(path: Path, head: bytes, fill: bytes, size: int, tail: bytes = b"") -> None:
    """head, `fill` repeated to `size` bytes, then tail: written a megabyte at a time, never held whole."""
    chunk = fill * (MIB // len(fill))
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(size // len(chunk)):
            handle.write(chunk)
        handle.write(tail)


@pytest.fixture
def cases_csv(dataset_copy: Path) -> Iterator[Path]:
    """The release's cases.csv, deleted afterwards: pytest keeps the last runs' tmp_path folders."""
    path = dataset_copy / "demo" / RELEASE / "cases.csv"
    yield path
    path.unlink()


def _empty_workspace(url: str) -> dict[str, object]:
    """The workspace's tables, empty: what a refused load must leave."""
    engine = create_db_engine(url)
    SQLModel.metadata.create_all(engine)
    RECORDS.create_all(engine)
    engine.dispose()
    return dump_database(url)


# name: (head, filler repeated to 200 MB, tail, fragments of the error message)
HUGE_LINES: dict[str, tuple[bytes, bytes, bytes, list[str]]] = {
    "a 200 MB value": (
        f"{HEADER}\naaaa0001,".encode(),
        b"x",
        ROW.removeprefix(",male").encode(),
        ['line 2, column "gender"', "value is longer than 10,000 characters", "[rule: field-size]"],
    ),
    "200 MB without a newline": (b"", b"x", b"", ["line 1", "row is longer than", "[rule: row-size]"]),
    # 200 million empty values: tiny each, but a list of them would take gigabytes.
    "200 MB of commas": (f"{HEADER}\n".encode(), b",", b"\n", ["line 2", "row is longer than"]),
    # Short lines, one quoted value: the field limit stops it, and the row is named by its first line.
    "a quoted value over 200 MB of lines": (
        f'{HEADER}\naaaa0001,"'.encode(),
        b"x" * 99 + b"\n",
        b'"' + ROW.removeprefix(",male").encode(),
        ["line 2", "field larger than field limit (10000)"],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HUGE_LINES))
def test_a_200_mb_line_is_rejected_in_bounded_memory(
    case: str, database_url: str, dataset_copy: Path, cases_csv: Path
) -> None:
    head, fill, tail, expected = HUGE_LINES[case]
    before = _empty_workspace(database_url)
    _write(cases_csv, head, fill, 200 * MIB, tail)

    result = upgrade_in_child(database_url, dataset_copy, cases_csv.parent)

    assert result.error is not None
    assert CASES_LABEL in result.error
    for fragment in expected:
        assert fragment in result.error, f"{fragment!r} not in {result.error}"
    # About 75 MiB measured; reading the line whole would add 200 MB of bytes alone.
    assert result.peak_mib < 150, result
    assert dump_database(database_url) == before


ROWS = 2_000_000


def _write_rows(path: Path, rows: int, last: str) -> None:
    """cases.csv: `rows` valid rows (one template, unique ids), then `last`, 100,000 rows per write."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        for start in range(0, rows, 100_000):
            handle.write("".join(f"r{i:09d}{ROW}" for i in range(start, min(start + 100_000, rows))))
        handle.write(last)


@pytest.mark.slow
def test_two_million_rows_broken_on_the_last_are_rolled_back_in_bounded_memory(
    database_url: str, dataset_copy: Path, cases_csv: Path
) -> None:
    # The release row and the staged rows are written when the last row fails: all must be rolled back.
    before = _empty_workspace(database_url)
    last = "rzzzzzzzzz" + ROW.replace("male", "femal", 1)
    _write_rows(cases_csv, ROWS - 1, last)

    result = upgrade_in_child(database_url, dataset_copy, cases_csv.parent)

    assert result.error is not None
    assert f'{CASES_LABEL}, line {ROWS + 1}, column "gender"' in result.error, result.error
    assert "[rule: enum]" in result.error
    # About 270-300 MiB measured, 190 MiB of it the case ids the uniqueness check must remember;
    # rows or articles held for the whole file (as PostgreSQL's loader once did: 790 MiB) fail this.
    assert result.peak_mib < 400, result
    assert dump_database(database_url) == before
