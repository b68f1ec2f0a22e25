"""Loading record-level releases into a curator's workspace (the first step of `publish`): bad input
is rejected precisely, and nothing of it stays loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from api.dataset.validation import DatasetError
from api.db import create_db_engine
from api.publication.workspace import create_workspace
from tests.utils.cases import HEADER, ROWS, small_cases_csv, write_cases

RELEASE = "demo-2026-03"
CASES_LABEL = f"dataset/demo/{RELEASE}/cases.csv"


def _replace(old: str, new: str, row: int) -> Callable[[], str]:
    def content() -> str:
        rows = list(ROWS)
        assert old in rows[row], "the fixture row no longer contains the text to replace"
        rows[row] = rows[row].replace(old, new, 1)
        return small_cases_csv(rows)

    return content


BAD_CASES: dict[str, tuple[Callable[[], str | bytes], list[str]]] = {
    "missing header column": (
        lambda: small_cases_csv([r.rsplit(",", 1)[0] for r in ROWS], HEADER.rsplit(",", 1)[0]),
        ['line 1, column "release_kind"', "missing"],
    ),
    "extra header column": (
        lambda: small_cases_csv([r + ",x" for r in ROWS], HEADER + ",name"),
        ['line 1, column "name"', "not in the schema"],
    ),
    "renamed header column": (
        lambda: small_cases_csv(header=HEADER.replace("gender", "sex")),
        ['column "gender"', 'column "sex"', "[rule: header]"],
    ),
    "wrong delimiter": (
        lambda: small_cases_csv([r.replace(",", ";") for r in ROWS], HEADER.replace(",", ";")),
        ["line 1", "separated by ';'", "[rule: delimiter]"],
    ),
    "bytes that are not UTF-8": (
        lambda: small_cases_csv().encode("utf-8").replace(b"BY-BR", b"BY-\xff\xfeR"),
        ["line 3", "not UTF-8", "[rule: encoding]"],
    ),
    "empty file": (lambda: b"", ["file is empty", "[rule: empty]"]),
}


ONE_VALUE_BROKEN = [
    # (fixture row, text in it, what it becomes, the column and rule the refusal names, what else it says)
    (1, "aaaa0002", "aaaa0001", "case_id", "unique", "earlier row"),
    (0, "female", "femal", "gender", "enum", "'femal'", "not one of female, male, unknown"),
    (1, "2021-03", "2021-13", "detained_on", "type", "'2021-13'", "YYYY-MM"),
    (0, "2022-09", "2020-08", "released_on", "release-before-detention", "before the detention month"),
    (0, ",24,", ",-3,", "sentence_months", "minimum", "'-3'", "below the minimum 1"),
    (1, ",36,", ",3600,", "sentence_months", "maximum", "above the maximum 300"),
    (1, "342;364", "342;;364", "articles", "pattern", "'342;;364'"),
    (2, "361-1", "361-9", "articles", "article-unknown", "361-9"),
]
"""Rows of the small cases file with one value broken: the refusal names its line (the header is line
1), its column and the rule it breaks."""


def _records(dataset: Path) -> Path:
    return dataset / "demo" / RELEASE


def _assert_refused(url: str, dataset: Path, fragments: list[str]) -> None:
    """Loading the workspace fails naming every fragment, and leaves no case (nor anything) loaded."""
    with pytest.raises(DatasetError) as raised:
        create_workspace(url, dataset, [_records(dataset)])
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message}"
    with create_db_engine(url).connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM "case"')).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM release")).scalar_one() == 0


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_cases_csv_is_rejected_and_nothing_stays_loaded(
    case: str, database_url: str, dataset_copy: Path
) -> None:
    make_content, expected = BAD_CASES[case]
    write_cases(_records(dataset_copy), make_content())
    _assert_refused(database_url, dataset_copy, [CASES_LABEL, *expected])


@pytest.mark.parametrize(
    ("row", "old", "new", "column", "rule", "said"),
    [(row, old, new, column, rule, said) for row, old, new, column, rule, *said in ONE_VALUE_BROKEN],
    ids=[f"{case[3]}-{case[4]}" for case in ONE_VALUE_BROKEN],
)
def test_a_broken_value_is_refused_naming_its_line_column_and_rule(
    row: int,
    old: str,
    new: str,
    column: str,
    rule: str,
    said: list[str],
    database_url: str,
    dataset_copy: Path,
) -> None:
    write_cases(_records(dataset_copy), _replace(old, new, row)())
    where = f'line {row + 2}, column "{column}"'
    _assert_refused(database_url, dataset_copy, [CASES_LABEL, where, *said, f"[rule: {rule}]"])


def test_release_folder_without_release_json_is_rejected(database_url: str, dataset_copy: Path) -> None:
    (_records(dataset_copy) / "release.json").unlink()
    _assert_refused(database_url, dataset_copy, ["release.json", "no release.json"])


def test_error_on_the_last_row_rolls_back_rows_already_inserted(
    database_url: str, dataset_copy: Path
) -> None:
    # More rows than one insert batch, broken at the very end: earlier batches were already written.
    rows = [f"bbbb{i:06d},male,35_44,BY-MI,2021-01,2021-02,342,prison,24,," for i in range(12_000)]
    rows.append("bbbbbroken,male,35_44,BY-MI,2021-01,2021-02,342,prison,24,2020-01,pardon")
    write_cases(_records(dataset_copy), small_cases_csv(rows))
    _assert_refused(database_url, dataset_copy, ["line 12002"])


def test_bom_and_crlf_are_accepted(database_url: str, dataset_copy: Path) -> None:
    content = "\ufeff" + small_cases_csv().replace("\n", "\r\n")
    write_cases(_records(dataset_copy), content.encode("utf-8"))

    engine = create_workspace(database_url, dataset_copy, [_records(dataset_copy)])
    with engine.connect() as connection:
        cases = connection.execute(text('SELECT count(*) FROM "case"')).scalar_one()
        articles = connection.execute(text("SELECT count(*) FROM case_article")).scalar_one()
        last = connection.execute(
            text("SELECT release_kind FROM \"case\" WHERE case_id = 'aaaa0005'")
        ).scalar_one()
    assert (cases, articles, last) == (5, 7, "pardon_expelled")


def test_at_most_twenty_errors_are_listed(tmp_path: Path, dataset_copy: Path) -> None:
    from api.dataset.files import validate_release

    rows = [f"cccc{i:04d},femal,25_34,BY-HM,2020-09,2020-10,342,prison,24,," for i in range(50)]
    write_cases(_records(dataset_copy), small_cases_csv(rows))
    with pytest.raises(DatasetError) as raised:
        validate_release(_records(dataset_copy), dataset_copy)
    assert len(raised.value.problems) == 20
    assert "stopped after the first 20 errors" in str(raised.value)
