"""The prisoners-api command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.paths import DATASET_DIR
from tests.utils.cases import small_cases_csv, write_cases

runner = CliRunner()


@pytest.mark.parametrize("command", ["serve", "migrate", "validate"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_validate_accepts_the_bundled_release() -> None:
    result = runner.invoke(app, ["validate", str(DATASET_DIR / "releases" / "demo-2026-03")])
    assert result.exit_code == 0, result.output
    assert "demo-2026-03: valid" in result.output and "synthetic" in result.output


def test_validate_rejects_a_bad_release_with_the_migrations_message(dataset_copy: Path) -> None:
    folder = dataset_copy / "releases" / "demo-2026-03"
    write_cases(folder, small_cases_csv().replace("BY-HM", "BY-XX"))
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert 'dataset/releases/demo-2026-03/cases.csv, line 2, column "region"' in result.output
    assert "[rule: enum]" in result.output


def test_invalid_settings_stop_the_command_with_the_setting_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRISONERS_API_SUPPRESSION_THRESHOLD", "1")
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 2
    assert "invalid setting PRISONERS_API_SUPPRESSION_THRESHOLD" in result.output
    assert "Traceback" not in result.output
