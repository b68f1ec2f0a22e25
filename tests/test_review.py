"""`prisoners-api review`: a new record-level release's changes and suppression, before it is published."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.paths import DEMO_RECORDS_DIR
from tests.utils.releases import BUNDLED_RELEASE, NEW_RELEASE, later_release, pardon

runner = CliRunner()


def _review(arguments: list[str], dataset: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PRISONERS_API_DATASET_DIR", str(dataset))
    monkeypatch.setenv("PRISONERS_API_DATA_DIR", str(dataset.parent / "untouched"))
    result = runner.invoke(app, ["review", *arguments])
    assert result.exit_code == 0, result.output
    assert not (dataset.parent / "untouched").exists(), "review builds its own throwaway database"
    return result.output


def test_review_of_a_new_release_shows_what_changed(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = later_release(dataset_copy.parent / "private", pardon(40, "2026-05"), NEW_RELEASE, "2026-06-30")
    earlier = DEMO_RECORDS_DIR / BUNDLED_RELEASE
    lines = _review([str(records), "--earlier", str(earlier)], dataset_copy, monkeypatch).splitlines()
    assert lines[0].startswith(f"release {NEW_RELEASE}: ") and lines[0].endswith(
        "as of 2026-06-30, synthetic"
    )
    assert lines[1] == f"previous release: {BUNDLED_RELEASE}, as of 2026-03-31"
    then_and_now = {
        line.split()[0]: line.split()[1:] for line in lines if line.startswith("in_custody_total")
    }
    then, now = (int(value) for value in then_and_now["in_custody_total"])
    assert then - now == 40
    assert [line.split() for line in lines if line.strip().startswith("released_since")] == [
        ["released_since", "40"]
    ]


def test_review_lists_suppressed_cells_per_table(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = _review([str(DEMO_RECORDS_DIR / BUNDLED_RELEASE)], dataset_copy, monkeypatch)
    assert "previous release: none" in output and "suppression (threshold k=5" in output
    tables = [line.split() for line in output.splitlines() if line.startswith("  breakdown by ")]
    assert {row[2] for row in tables} >= {"gender", "region", "article"}
    assert all(row[3].isdigit() and row[4].isdigit() for row in tables)
    statistics = {line.split()[0] for line in output.splitlines() if line.startswith("  ")}
    assert {
        "summary",
        "in-custody",
        "flows",
        "sentences",
        "held-before-release",
        "time-in-custody",
    } <= statistics


def test_review_of_an_unknown_release_fails_with_a_message(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRISONERS_API_DATASET_DIR", str(dataset_copy))
    result = runner.invoke(app, ["review", str(dataset_copy / "no-such-release")])
    assert result.exit_code == 1 and "no-such-release" in result.output
