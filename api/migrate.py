"""Alembic, configured in code: the service, the CLI and the tests all migrate through here."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from api.paths import MIGRATIONS_DIR

ADVISORY_LOCK_KEY = 7_240_202_011
"""PostgreSQL advisory lock held while migrating, so concurrent runs apply each migration once."""


def alembic_config(database_url: str, dataset_dir: Path | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if dataset_dir is not None:
        config.attributes["dataset_dir"] = dataset_dir
    return config


def upgrade(database_url: str, revision: str = "head", dataset_dir: Path | None = None) -> None:
    command.upgrade(alembic_config(database_url, dataset_dir), revision)


def downgrade(database_url: str, revision: str, dataset_dir: Path | None = None) -> None:
    command.downgrade(alembic_config(database_url, dataset_dir), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migration_dataset_dir() -> Path:
    """The dataset folder a data migration loads from: the caller's choice, else the settings'."""
    from alembic import context

    from api.settings import get_settings

    chosen = context.config.attributes.get("dataset_dir")
    return Path(chosen) if chosen is not None else get_settings().dataset_dir
