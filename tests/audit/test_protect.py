"""`prisoners-api protect`: a release-wide suppression list that makes the whole anonymity audit pass
on small generated releases, where each table's own protection leaves counts that tables together pin."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.audit import AuditReport, audit_release
from api.audit.protect import ProtectionReport, protect_release, write_suppression
from api.cli import app
from api.dataset import files
from api.db import create_db_engine
from api.settings import ENV_PREFIX, Settings
from tests.utils.generated import GENERATED_RELEASE, case_records, empty_database, insert_release

K = 5


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return empty_database(tmp_path_factory.mktemp("template") / "template.sqlite3")


def _protected(
    records: list[dict[str, Any]], template: Path, folder: Path
) -> tuple[AuditReport, ProtectionReport, AuditReport]:
    """A generated release audited as its tables alone protect it, then protected, then audited
    afresh from the list as stored (not from the loop's last state)."""
    path = folder / f"gen-{datetime.now(UTC).timestamp()}.sqlite3"
    shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    insert_release(engine, records)
    audit_settings = Settings(release_check_seconds=0)
    try:
        unprotected = audit_release(engine, audit_settings, GENERATED_RELEASE)
        report = protect_release(engine, audit_settings, GENERATED_RELEASE)
        return unprotected, report, audit_release(engine, audit_settings, GENERATED_RELEASE)
    finally:
        engine.dispose()


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,  # the same releases on every run: a regression test, not a search
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
@pytest.mark.slow
@given(records=st.lists(case_records(release_kinds=("end_of_term", "pardon")), min_size=20, max_size=60))
def test_protected_generated_releases_pass_the_whole_audit(
    records: list[dict[str, Any]], template: Path, tmp_path: Path
) -> None:
    _, report, again = _protected(records, template, tmp_path)
    assert report.passed and again.passed, [f.cell.describe() for f in again.failures[:5]]
    assert again.published_cells == report.audit.published_cells
    # The list as the release folder keeps it: written, valid against its schema, read back the same.
    folder = tmp_path / "private" / GENERATED_RELEASE
    folder.mkdir(parents=True, exist_ok=True)
    written = write_suppression(folder, report, Settings())
    assert files.read_suppression(written.parent, Settings().dataset_dir, GENERATED_RELEASE) == report.listed


NEEDS_A_LIST = Path(__file__).parent / "data" / "generated_release_needing_a_list.json"


@pytest.mark.slow
def test_a_release_whose_tables_alone_fail_passes_with_its_list(template: Path, tmp_path: Path) -> None:
    """One of the generated releases (29 people, drawn by the strategy above and kept): the tables'
    own protection fails the audit, and the list `protect` makes (hidden and shown sets of people)
    makes it pass."""
    records = json.loads(NEEDS_A_LIST.read_text(encoding="utf-8"))
    unprotected, report, again = _protected(records, template, tmp_path)
    assert not unprotected.passed and report.listed and report.rounds > 1
    assert report.passed and again.passed


@pytest.mark.slow
def test_protect_command_on_the_bundled_release_needs_no_more_on_its_list(dataset_copy: Path) -> None:
    """The bundled release passes with the list it was published with (what its last publication hid,
    kept by `publish`): the command says so and writes nothing (the folder must stay as published). On
    a copy, so a failure cannot write into the repo."""
    folder = dataset_copy / "demo" / "demo-2026-03"
    before = sorted(p.name for p in folder.iterdir())
    result = CliRunner().invoke(
        app, ["protect", str(folder)], env={f"{ENV_PREFIX}DATASET_DIR": str(dataset_copy)}
    )
    assert result.exit_code == 0, result.output
    assert "demo-2026-03: passes; its suppression list is unchanged (2353 cells)" in result.output
    assert "failures: 0\nPASS" in result.output
    assert sorted(p.name for p in folder.iterdir()) == before
