"""A small table read whole (`api.dataset.whole_file`) gets the streaming validator's verdict: the same
rows when the file is valid, the same problems, named by line and column, when it is not."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.dataset.validation import DatasetError, iter_valid_values
from api.dataset.whole_file import _plainly_valid_rows, valid_rows

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "query", "type": "string"},
        {"name": "row", "type": "integer", "constraints": {"required": True, "minimum": 0}},
        {"name": "count", "type": "integer"},
        {"name": "share", "type": "number"},
        {"name": "suppressed", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    ]
}
HEADER = "query,row,count,share,suppressed,kind\n"


def _verdict(path: Path, read: Any) -> list[list[str]] | list[str]:
    """The rows read, or the problems raised as text."""
    try:
        return list(read(path, SCHEMA, "table.csv"))
    except DatasetError as error:
        return [str(problem) for problem in error.problems]


def test_a_plain_table_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(HEADER + 'q,0,7,0.5,false,a\n"x,y",1,,,true,\n', encoding="utf-8")
    assert _plainly_valid_rows(path, SCHEMA) == [
        ["q", "0", "7", "0.5", "false", "a"],
        ["x,y", "1", "", "", "true", ""],
    ]


def test_crlf_line_ends_are_read_whole_as_the_validator_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(HEADER.replace("\n", "\r\n") + "q,0,7,0.5,false,a\r\n", encoding="utf-8", newline="")
    assert _plainly_valid_rows(path, SCHEMA) == list(iter_valid_values(path, SCHEMA)) != []


def test_a_bad_value_on_the_last_row_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    rows = "".join(f"q,{n},{n % 50},1.5,false,a\n" for n in range(5000))
    path.write_text(HEADER + rows + "q,5000,7,1.5,maybe,a\n", encoding="utf-8")
    with pytest.raises(DatasetError) as raised:
        valid_rows(path, SCHEMA, "table.csv")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column, problem.value, problem.rule) == (
        5002,
        "suppressed",
        "maybe",
        "type",
    )


@pytest.mark.parametrize(
    "content",
    [
        "\ufeff" + HEADER + "q,0,7,0.5,false,a\n",  # a byte-order mark, as spreadsheets write
        HEADER + "q,0,7,0.5,false,a\n\n",  # a blank last line
        HEADER + '"a\rb",0,7,0.5,false,a\n',  # a lone carriage return in a quoted value
    ],
)
def test_what_is_not_plainly_valid_is_left_to_the_validator(tmp_path: Path, content: str) -> None:
    path = tmp_path / "table.csv"
    path.write_text(content, encoding="utf-8", newline="")
    assert _plainly_valid_rows(path, SCHEMA) is None
    assert _verdict(path, valid_rows) == _verdict(path, iter_valid_values)


RAW_CELL = st.text(alphabet='01a-.,"\r\n\x0b\u2028 tfrue', max_size=6) | st.sampled_from(
    ["0", "7", "-1", "1.5", "true", "false", "a", "b", ""]
)


def _mostly(valid: list[str], invalid: list[str]) -> st.SearchStrategy[str]:
    """A value of a column, one time in about twenty one that breaks its schema."""
    return st.sampled_from(valid * (20 // len(valid)) + invalid)


ROW = st.tuples(
    st.text(alphabet='ab ,"\n', max_size=4),  # quoted by csv.writer where it must be
    _mostly(["0", "1", "12", "+2"], ["-1"]),  # row: required, at least 0
    _mostly(["", "7", "0"], ["x"]),
    _mostly(["", "1.5", "2e3", "-4"], ["1.2.3"]),
    _mostly(["true", "false", ""], ["yes"]),
    _mostly(["a", "b", ""], ["c"]),
)
EXAMPLES = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same files on every run: a regression test, not a search
    suppress_health_check=list(HealthCheck),
)


@EXAMPLES
@given(
    rows=st.lists(st.lists(RAW_CELL, min_size=5, max_size=7), max_size=6),
    bom=st.booleans(),
    end=st.booleans(),
)
def test_the_verdict_on_any_text_is_the_validators(
    tmp_path: Path, rows: list[list[str]], bom: bool, end: bool
) -> None:
    """Whatever the text, reading whole gives what the streaming validator gives: rows or problems."""
    path = tmp_path / "table.csv"
    body = "\n".join(",".join(row) for row in rows) + ("\n" if end else "")
    path.write_text(("\ufeff" if bom else "") + HEADER + body, encoding="utf-8", newline="")
    assert _verdict(path, valid_rows) == _verdict(path, iter_valid_values)


@EXAMPLES
@given(rows=st.lists(ROW, max_size=8), short=st.integers(-1, 8))
def test_the_verdict_on_well_formed_csv_is_the_validators(
    tmp_path: Path, rows: list[tuple[str, ...]], short: int
) -> None:
    """CSV as `publish` writes it, mostly valid: the same rows or the same problems (`short` drops the
    last value of one row)."""
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER.strip().split(","))
        writer.writerows(row[:-1] if index == short else row for index, row in enumerate(rows))
    assert _verdict(path, valid_rows) == _verdict(path, iter_valid_values)
