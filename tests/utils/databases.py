"""Fresh databases for tests: a SQLite file, or a PostgreSQL database created and dropped per use."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from api import migrate
from api.dataset.validation import DatasetError
from api.db import create_db_engine

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENGINES = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    try:
        engine = create_engine(postgres_admin_url())
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means the same thing here
        return f"PostgreSQL at {postgres_admin_url()} is unreachable: {error.__class__.__name__}: {error}"
    return None


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new empty database of `kind`, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"prisoners_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def assert_upgrade_rejected(
    url: str, dataset: Path, before: dict[str, Any], where: str, fragments: list[str]
) -> None:
    """Upgrading to head with `dataset` fails with a DatasetError naming `where` and every fragment,
    and leaves the database as `before` (a `dump_database`)."""
    with pytest.raises(DatasetError) as raised:
        migrate.upgrade(url, "head", dataset)
    message = str(raised.value)
    assert where in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message}"
    assert dump_database(url) == before


def dump_database(url: str) -> dict[str, Any]:
    """Every table's columns and rows, sorted: two dumps are equal when the databases hold the same."""
    engine = create_db_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    dump: dict[str, Any] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            columns = [(column.name, str(column.type)) for column in table.columns]
            dump[table.name] = {"columns": columns, "rows": sorted(tuple(map(repr, row)) for row in rows)}
    engine.dispose()
    return dump


def require_engine(kind: str) -> None:
    if kind != "postgresql":
        return
    problem = postgres_problem()
    if problem is None:
        return
    # Every machine and CI run one (.ci/run starts it if stopped): its absence is a failure, not a skip.
    pytest.fail(f"{problem} (the suite needs the PostgreSQL at 127.0.0.1:5432)")
