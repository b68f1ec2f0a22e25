"""Loading releases through the data migrations: bad input is rejected precisely and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from api import migrate
from api.dataset.validation import DatasetError
from api.db import create_db_engine
from tests.utils.cases import HEADER, ROWS, small_cases_csv, write_cases
from tests.utils.databases import assert_upgrade_rejected, dump_database

RELEASE = "demo-2026-03"
BEFORE_RELEASE = "0003_published_figures"
CASES_LABEL = f"dataset/releases/{RELEASE}/cases.csv"


def _replace(old: str, new: str, row: int = 0) -> Callable[[], str]:
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
    "duplicate case_id": (
        _replace("aaaa0002", "aaaa0001", row=1),
        ['line 3, column "case_id"', "earlier row", "[rule: unique]"],
    ),
    "unknown enum value": (
        _replace("female", "femal"),
        ['line 2, column "gender"', "'femal'", "not one of female, male, unknown", "[rule: enum]"],
    ),
    "malformed month": (
        _replace("2021-03", "2021-13", row=1),
        ['line 3, column "detained_on"', "'2021-13'", "YYYY-MM", "[rule: type]"],
    ),
    "release before detention": (
        _replace("2022-09", "2020-08"),
        ['line 2, column "released_on"', "before the detention month", "[rule: release-before-detention]"],
    ),
    "negative sentence_months": (
        _replace(",24,", ",-3,"),
        ['line 2, column "sentence_months"', "'-3'", "below the minimum 1", "[rule: minimum]"],
    ),
    "absurd sentence_months": (
        _replace(",36,", ",3600,", row=1),
        ['line 3, column "sentence_months"', "above the maximum 300", "[rule: maximum]"],
    ),
    "malformed article list": (
        _replace("342;364", "342;;364", row=1),
        ['line 3, column "articles"', "'342;;364'", "[rule: pattern]"],
    ),
    "article not in the reference table": (
        _replace("361-1", "361-9", row=2),
        ['line 4, column "articles"', "361-9", "[rule: article-unknown]"],
    ),
}


def _database_at_previous_revision(url: str, dataset: Path) -> dict[str, object]:
    migrate.upgrade(url, BEFORE_RELEASE, dataset)
    return dump_database(url)


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_cases_csv_is_rejected_and_database_unchanged(
    case: str, database_url: str, dataset_copy: Path
) -> None:
    make_content, expected = BAD_CASES[case]
    before = _database_at_previous_revision(database_url, dataset_copy)
    write_cases(dataset_copy / "releases" / RELEASE, make_content())

    assert_upgrade_rejected(database_url, dataset_copy, before, CASES_LABEL, expected)
    assert migrate.current_revision(create_db_engine(database_url)) == BEFORE_RELEASE


def test_release_folder_without_release_json_is_rejected(database_url: str, dataset_copy: Path) -> None:
    before = _database_at_previous_revision(database_url, dataset_copy)
    (dataset_copy / "releases" / RELEASE / "release.json").unlink()

    with pytest.raises(DatasetError, match=r"release\.json.*no release\.json"):
        migrate.upgrade(database_url, "head", dataset_copy)
    assert dump_database(database_url) == before


def test_error_on_the_last_row_rolls_back_rows_already_inserted(
    database_url: str, dataset_copy: Path
) -> None:
    # More rows than one insert batch, broken at the very end: earlier batches were already written.
    rows = [f"bbbb{i:06d},male,35_44,BY-MI,2021-01,2021-02,342,prison,24,," for i in range(12_000)]
    rows.append("bbbbbroken,male,35_44,BY-MI,2021-01,2021-02,342,prison,24,2020-01,pardon")
    before = _database_at_previous_revision(database_url, dataset_copy)
    write_cases(dataset_copy / "releases" / RELEASE, small_cases_csv(rows))

    with pytest.raises(DatasetError, match="line 12002"):
        migrate.upgrade(database_url, "head", dataset_copy)
    assert dump_database(database_url) == before


def test_bom_and_crlf_are_accepted(database_url: str, dataset_copy: Path) -> None:
    content = "\ufeff" + small_cases_csv().replace("\n", "\r\n")
    write_cases(dataset_copy / "releases" / RELEASE, content.encode("utf-8"))

    migrate.upgrade(database_url, "head", dataset_copy)

    engine = create_db_engine(database_url)
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
    write_cases(dataset_copy / "releases" / RELEASE, small_cases_csv(rows))
    with pytest.raises(DatasetError) as raised:
        validate_release(dataset_copy / "releases" / RELEASE, dataset_copy)
    assert len(raised.value.problems) == 20
    assert "stopped after the first 20 errors" in str(raised.value)
