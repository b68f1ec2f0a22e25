"""Alembic, configured in code: the service, the CLI and the tests all migrate through here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from api.paths import MIGRATIONS_DIR

ADVISORY_LOCK_KEY = 7_240_202_011
"""PostgreSQL advisory lock held while migrating, so concurrent runs apply each migration once."""


def alembic_config(
    database_url: str, dataset_dir: Path | None = None, migrations_dir: Path = MIGRATIONS_DIR
) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if dataset_dir is not None:
        config.attributes["dataset_dir"] = dataset_dir
    return config


def upgrade(
    database_url: str,
    revision: str = "head",
    dataset_dir: Path | None = None,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> None:
    command.upgrade(alembic_config(database_url, dataset_dir, migrations_dir), revision)


def downgrade(
    database_url: str, revision: str, dataset_dir: Path | None = None, migrations_dir: Path = MIGRATIONS_DIR
) -> None:
    command.downgrade(alembic_config(database_url, dataset_dir, migrations_dir), revision)


# Cached: the migrations a process knows are those it started with, even if the folder changes later.
@lru_cache(maxsize=8)
def _scripts(migrations_dir: Path) -> tuple[str, frozenset[str]]:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://", migrations_dir=migrations_dir))
    head = scripts.get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head, frozenset(script.revision for script in scripts.walk_revisions())


def head_revision(migrations_dir: Path = MIGRATIONS_DIR) -> str:
    return _scripts(migrations_dir)[0]


def is_newer_than_code(revision: str, migrations_dir: Path = MIGRATIONS_DIR) -> bool:
    """A revision this code does not know: a later migration job already ran (rolling deployments)."""
    return revision not in _scripts(migrations_dir)[1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migration_dataset_dir() -> Path:
    """The dataset folder a data migration loads from: the caller's choice, else the settings'."""
    from alembic import context

    from api.settings import get_settings

    chosen = context.config.attributes.get("dataset_dir")
    return Path(chosen) if chosen is not None else get_settings().dataset_dir
