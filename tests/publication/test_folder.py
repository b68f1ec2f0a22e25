"""Loading a publication through its data migration: a folder with record-level data, or a publication
broken in any file, is refused with the file, line and column, and the database stays as it was."""

from __future__ import annotations

import csv
import gc
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api import migrate
from api.dataset.validation import DatasetError
from api.paths import DEMO_RECORDS_DIR
from api.publication.folder import read_publication
from tests.utils.databases import (
    ENGINES,
    assert_upgrade_rejected,
    dump_database,
    fresh_database,
    require_engine,
)
from tests.utils.publications import refresh_package, set_cell

RELEASE = "demo-2026-03"
BEFORE = "0005_release_suppression"


def _cell(file_name: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Breaks a publication's content, not its files: one cell set to `value`, the hashes refreshed."""

    def breaks(folder: Path) -> None:
        set_cell(folder, file_name, row, column, value)
        refresh_package(folder)

    return breaks


def _with_records(folder: Path) -> None:
    shutil.copy(DEMO_RECORDS_DIR / RELEASE / "cases.csv", folder / "cases.csv")


def _with_suppression_list(folder: Path) -> None:
    (folder / "suppression.json").write_text('{"release": "demo-2026-03", "cells": []}', encoding="utf-8")


def _changed_after_publishing(folder: Path) -> None:
    set_cell(folder, "breakdown.csv", 3, "count", "8")  # not refreshed: the hash no longer matches


def _a_listed_table_missing(folder: Path) -> None:
    (folder / "flows.csv").unlink()


def _no_package(folder: Path) -> None:
    (folder / "datapackage.json").unlink()


def _not_published(folder: Path) -> None:
    path = folder / "release.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    del metadata["publication"]
    path.write_text(json.dumps(metadata), encoding="utf-8")


def _a_copy_of_the_records_under_another_name(folder: Path) -> None:
    shutil.copy(DEMO_RECORDS_DIR / RELEASE / "cases.csv", folder / "cases-backup.csv")


def _an_answer_listed_twice(folder: Path) -> None:
    index = (folder / "answers.csv").read_text(encoding="utf-8").splitlines()
    (folder / "answers.csv").write_text("\n".join([*index, index[1]]) + "\n", encoding="utf-8")
    refresh_package(folder)


def _notes_that_are_not_a_list(folder: Path) -> None:
    path = folder / "answers.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[1][rows[0].index("notes")] = '{"note": "not in a list"}'
    with path.open("w", encoding="utf-8", newline="") as index:
        csv.writer(index, lineterminator="\n").writerows(rows)
    refresh_package(folder)


def _a_resource_without_schema(folder: Path) -> None:
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    del package["resources"][1]["schema"]
    path.write_text(json.dumps(package), encoding="utf-8")


BROKEN: dict[str, tuple[Callable[[Path], None], str, list[str]]] = {
    "records under another name": (
        _a_copy_of_the_records_under_another_name,
        "cases-backup.csv",
        ["not a publication file"],
    ),
    "an answer listed twice": (_an_answer_listed_twice, "answers.csv", ["listed twice", "[rule: unique]"]),
    "rows of an unlisted answer": (
        _cell("breakdown.csv", 2, "query", "by=nothing"),
        "breakdown.csv",
        ["does not list", "by=nothing"],
    ),
    "a resource without schema": (
        _a_resource_without_schema,
        "datapackage.json",
        ["not a publication's data package"],
    ),
    "record-level cases.csv": (_with_records, "cases.csv", ["no record-level file", "[rule: record-level]"]),
    "a suppression list": (_with_suppression_list, "suppression.json", ["[rule: record-level]"]),
    "a count that is not a number": (
        _cell("breakdown.csv", 3, "count", "seven"),
        "breakdown.csv",
        ['line 3, column "count"', "'seven'", "not an integer", "[rule: type]"],
    ),
    "an index row without its columns": (
        _cell("answers.csv", 2, "columns", ""),
        "answers.csv",
        ['line 2, column "columns"', "a value is required", "[rule: required]"],
    ),
    "rows out of order": (
        _cell("breakdown.csv", 3, "row", "5"),
        "breakdown.csv",
        ["row 5 where", "was due", "[rule: order]"],
    ),
    "a flag that is not a boolean": (
        _cell("breakdown.csv", 4, "suppressed", "yes"),
        "breakdown.csv",
        ['line 4, column "suppressed"', "'yes'", "not true or false", "[rule: type]"],
    ),
    "notes that are not a list": (
        _notes_that_are_not_a_list,
        "answers.csv",
        ["notes must be a JSON array of texts", "[rule: publication]"],
    ),
    "a table changed after publishing": (_changed_after_publishing, "breakdown.csv", ["[rule: hash]"]),
    "a listed table missing": (
        _a_listed_table_missing,
        "flows.csv",
        ["datapackage.json lists it but it is missing", "[rule: missing-file]"],
    ),
    "no datapackage.json": (_no_package, "datapackage.json", ["[rule: missing-file]"]),
    "release.json not made by publish": (_not_published, "release.json", ["not made by `publish`"]),
}


@pytest.fixture(scope="module", params=ENGINES)
def database_before(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A database of each engine just before the release is loaded, and its dump. Shared by the broken
    publications: each must leave it as it was, which each test checks."""
    require_engine(request.param)
    with fresh_database(request.param, tmp_path_factory.mktemp("before")) as url:
        migrate.upgrade(url, BEFORE)
        yield url, dump_database(url)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_or_record_level_publication_is_refused_and_changes_nothing(
    case: str, database_before: tuple[str, dict[str, Any]], dataset_copy: Path
) -> None:
    breaks, file_name, fragments = BROKEN[case]
    url, before = database_before
    breaks(dataset_copy / "releases" / RELEASE)
    where = f"dataset/releases/{RELEASE}/{file_name}"
    assert_upgrade_rejected(url, dataset_copy, before, where, fragments)


def test_a_bad_value_on_the_last_row_of_the_largest_table_is_named(
    database_url: str, dataset_copy: Path
) -> None:
    """Most rows are read without a message being built: a value never seen before, on the last of the
    ~9,000 rows of sentences.csv, is still named by line and column, and nothing is loaded."""
    migrate.upgrade(database_url, BEFORE, dataset_copy)
    before = dump_database(database_url)
    folder = dataset_copy / "releases" / RELEASE
    last = len((folder / "sentences.csv").read_text(encoding="utf-8").splitlines())
    assert last > 5000
    set_cell(folder, "sentences.csv", last, "value", "1.2.3")
    refresh_package(folder)
    where = f"dataset/releases/{RELEASE}/sentences.csv"
    fragments = [f'line {last}, column "value"', "'1.2.3'", "is not a number", "[rule: type]"]
    assert_upgrade_rejected(database_url, dataset_copy, before, where, fragments)


def test_reading_leaves_the_garbage_collector_as_it_found_it(dataset_copy: Path) -> None:
    """Reading pauses the cyclic collector (`_cycle_collection_paused`) and restores it, even on an error."""
    folder = dataset_copy / "releases" / RELEASE
    read_publication(folder, dataset_copy)
    assert gc.isenabled()
    gc.disable()
    try:
        read_publication(folder, dataset_copy)
        assert not gc.isenabled()
    finally:
        gc.enable()
    _cell("breakdown.csv", 3, "count", "seven")(folder)
    with pytest.raises(DatasetError):
        read_publication(folder, dataset_copy)
    assert gc.isenabled()
