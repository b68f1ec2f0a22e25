"""A curator's private workspace: a throwaway SQLite database holding record-level releases, where
`publish`, `protect`, `review` and the audit compute what a publication would hold. It lives in a
temporary folder and is deleted afterwards; nothing in it is ever served."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers the public tables)
from api.dataset import loader
from api.db import create_db_engine
from api.records.load import load_records
from api.records.tables import METADATA as RECORDS
from api.settings import Settings


def create_workspace(url: str, dataset_dir: Path, folders: Sequence[Path]) -> Engine:
    """Create the tables at `url` (an empty database) and load the reference tables and the
    record-level release `folders`, oldest first."""
    engine = create_db_engine(url)
    SQLModel.metadata.create_all(engine)
    RECORDS.create_all(engine)
    with engine.begin() as connection:
        loader.load_reference_tables(connection, dataset_dir)
        for folder in folders:
            load_records(connection, dataset_dir, folder)
    return engine


@contextmanager
def workspace(settings: Settings, folders: Sequence[Path]) -> Iterator[tuple[Engine, Settings]]:
    """A throwaway SQLite workspace with `folders` loaded, and the settings that point at it."""
    with tempfile.TemporaryDirectory(prefix="prisoners-workspace-") as folder:
        url = f"sqlite:///{Path(folder) / 'workspace.sqlite3'}"
        engine = create_workspace(url, settings.dataset_dir, folders)
        try:
            yield engine, settings.model_copy(update={"database_url": url})
        finally:
            engine.dispose()
