"""The published-figures table: every figure cites a full page address, and a row without one is refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from api import migrate
from api.dataset import files
from api.dataset.validation import DatasetError
from api.db import create_db_engine
from api.paths import DATASET_DIR
from tests.utils.databases import assert_upgrade_rejected, dump_database

FIGURES_LABEL = "dataset/figures/published_figures.csv"
BEFORE_REVIEW = "0006_publications"


def _rows(dataset_dir: Path) -> list[dict[str, str]]:
    with (dataset_dir / files.FIGURES).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(dataset_dir: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (dataset_dir / files.FIGURES).write_text(buffer.getvalue(), encoding="utf-8")


def _break_address(dataset_dir: Path, row: int, address: str) -> None:
    rows = _rows(dataset_dir)
    rows[row]["source_url"] = address
    _write(dataset_dir, rows)


def test_every_figure_cites_a_full_https_page_address() -> None:
    rows = _rows(DATASET_DIR)
    assert len(rows) >= 150
    assert all(row["source_url"].startswith("https://") for row in rows)
    # Iterating validates every row against the schema; it raises on the first bad file.
    assert sum(1 for _ in files.iter_table(DATASET_DIR, files.FIGURES)) == len(rows)


def test_a_figure_without_a_publication_date_says_why() -> None:
    undated = [row for row in _rows(DATASET_DIR) if not row["source_published"]]
    assert all("does not show when it was published" in row["note"] for row in undated)


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("", "required"),
        ("reform.news", "pattern"),
        ("https://reform.news", "pattern"),
        ("https://reform.news/", "pattern"),
        ("http://spring96.org/en/news/115297", "pattern"),
        ("spring96.org/en/news/115297", "pattern"),
    ],
)
def test_a_figure_without_a_full_page_address_is_refused(dataset_copy: Path, address: str, rule: str) -> None:
    _break_address(dataset_copy, row=4, address=address)
    with pytest.raises(DatasetError) as raised:
        list(files.iter_table(dataset_copy, files.FIGURES))
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.column, problem.rule) == (
        FIGURES_LABEL,
        6,  # the header is line 1, so the fifth row is line 6
        "source_url",
        rule,
    )


def test_the_migration_refuses_the_table_and_changes_nothing(database_url: str, dataset_copy: Path) -> None:
    migrate.upgrade(database_url, BEFORE_REVIEW, dataset_copy)
    before = dump_database(database_url)
    _break_address(dataset_copy, row=0, address="rada.vision")

    assert_upgrade_rejected(
        database_url, dataset_copy, before, FIGURES_LABEL, ['line 2, column "source_url"', "[rule: pattern]"]
    )
    assert migrate.current_revision(create_db_engine(database_url)) == BEFORE_REVIEW
