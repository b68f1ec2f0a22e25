"""Alembic migrations on both engines: up, down, up; the models match; concurrent runs load once."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers the tables)
from api import migrate
from api.db import create_db_engine
from api.paths import DATASET_DIR, MIGRATIONS_DIR
from tests.utils.databases import dump_database, fresh_database, require_engine


def _counts(url: str) -> dict[str, int]:
    engine = create_db_engine(url)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in (
                "release",
                "published_answer",
                "article",
                "region",
                "published_figure",
                "dataset_file",
            )
        }
    engine.dispose()
    return counts


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    migrate.upgrade(database_url)
    loaded = _counts(database_url)
    assert loaded["release"] == 1 and loaded["published_answer"] > 700 and loaded["published_figure"] >= 60

    migrate.downgrade(database_url, "base")
    engine = create_db_engine(database_url)
    assert migrate.current_revision(engine) is None
    with engine.connect() as connection:
        tables = set(MigrationContext.configure(connection).impl.dialect.get_table_names(connection))
    assert tables <= {"alembic_version"}

    migrate.upgrade(database_url)
    assert _counts(database_url) == loaded
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_release_downgrade_removes_that_release_and_nothing_else(database_url: str) -> None:
    migrate.upgrade(database_url, "0003_published_figures")
    before = dump_database(database_url)
    migrate.upgrade(database_url)
    migrate.downgrade(database_url, "0003_published_figures")
    assert dump_database(database_url) == before


def test_release_records_checksums_and_synthetic_flag(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        release = connection.execute(text("SELECT id, synthetic, case_count, valid_as_of FROM release")).one()
        files: dict[str, str] = dict(connection.execute(text("SELECT path, sha256 FROM dataset_file")).all())
    assert release[0] == "demo-2026-03" and bool(release[1]) is True and release[2] == 4535
    for name in ("answers.csv", "breakdown.csv", "sentences.csv", "datapackage.json", "release.json"):
        path = f"releases/demo-2026-03/{name}"
        assert files[path] == hashlib.sha256((DATASET_DIR / path).read_bytes()).hexdigest()
    assert not any(path.endswith("cases.csv") for path in files)
    assert {"reference/articles.csv", "reference/regions.csv", "figures/published_figures.csv"} <= set(files)


def _declared_publications() -> dict[str, str]:
    """Each release id with the sha256 of `answers.csv` that the newest migration loading it declares
    (`RELEASE_ID`, `ANSWERS_SHA256` of migrations/versions, in revision order)."""
    declared: dict[str, str] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        text_ = path.read_text(encoding="utf-8")
        release = re.search(r'^RELEASE_ID = "([^"]+)"', text_, re.MULTILINE)
        digest = re.search(r'^ANSWERS_SHA256 = "([0-9a-f]{64})"', text_, re.MULTILINE)
        if release and digest:
            declared[release.group(1)] = digest.group(1)
    return declared


def test_every_committed_publication_is_the_one_its_newest_migration_loads() -> None:
    """A publication made again (the demonstration release, when the code gains a table) must come with
    a migration that reloads it: the migrations load a release once, and a database migrated before
    would keep serving the old answers. This fails until that migration names the new file."""
    declared = _declared_publications()
    for folder in sorted((DATASET_DIR / "releases").iterdir()):
        answers = folder / "answers.csv"
        if answers.is_file():
            digest = hashlib.sha256(answers.read_bytes()).hexdigest()
            assert declared.get(folder.name) == digest, (
                f"{folder.name}: no migration loads answers.csv {digest}"
            )


def test_a_database_migrated_before_the_publication_changed_serves_the_new_answers(database_url: str) -> None:
    migrate.upgrade(database_url, "0007_figures_review")
    engine = create_db_engine(database_url)
    with engine.begin() as connection:  # what a database loaded from the earlier publication lacks
        connection.execute(
            text(
                "DELETE FROM published_answer WHERE statistic = 'held-before-release' "
                "OR query LIKE 'population=%'"
            )
        )
        connection.execute(text("UPDATE dataset_file SET sha256 = 'old' WHERE release_id = 'demo-2026-03'"))
        # and what it holds otherwise: a note since changed
        connection.execute(text("UPDATE published_answer SET notes = '[\"old\"]' WHERE query = 'by=region'"))
    migrate.upgrade(database_url)
    folder = DATASET_DIR / "releases" / "demo-2026-03"
    with engine.connect() as connection:
        answers = connection.execute(text("SELECT count(*) FROM published_answer")).scalar_one()
        asked = "population=in_custody&gender=female&by=region"
        found = connection.execute(
            text("SELECT count(*) FROM published_answer WHERE query = :q"), {"q": asked}
        )
        assert found.scalar_one() == 1
        notes = connection.execute(
            text("SELECT notes FROM published_answer WHERE statistic = 'breakdown' AND query = 'by=region'")
        ).scalar_one()
        assert "old" not in notes and "Whom it counts" in notes
        recorded: dict[str, str] = dict(
            connection.execute(text("SELECT path, sha256 FROM dataset_file")).all()
        )
    engine.dispose()
    assert answers == len((folder / "answers.csv").read_text(encoding="utf-8").splitlines()) - 1
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert recorded[f"releases/demo-2026-03/{path.name}"] == digest, path.name


def test_models_match_the_migrations(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


# Two real processes racing through every migration.
@pytest.mark.slow
def test_two_processes_migrating_at_once_load_each_release_once(tmp_path: Path) -> None:
    require_engine("postgresql")
    with fresh_database("postgresql", tmp_path) as url:
        script = "import sys; from api import migrate; migrate.upgrade(sys.argv[1])"
        processes = [
            subprocess.Popen([sys.executable, "-c", script, url], stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [
            (process.wait(timeout=300), process.stderr.read() if process.stderr else "")
            for process in processes
        ]
        assert [code for code, _ in results] == [0, 0], results
        counts = _counts(url)
        # Without the lock the second process fails creating tables or inserting the release again.
        assert counts["release"] == 1
