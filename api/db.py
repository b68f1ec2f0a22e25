"""Engines for the two supported databases: the embedded SQLite file and PostgreSQL."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError

SQLITE_CHECK_EVERY = 10_000
"""SQLite virtual-machine steps between two looks at a statement's deadline (a few microseconds' work)."""


@dataclass(frozen=True)
class Timeouts:
    """How long the service waits on its database before answering 503 (migrations wait as long as
    they need and pass none)."""

    connect: int
    """Seconds for a new PostgreSQL connection (SQLite opens a file)."""
    statement: float
    """Seconds one statement may run or wait for a lock."""
    pool: float
    """Seconds a request waits for a pooled connection."""


def sqlite_damage(engine: Engine) -> str | None:
    """What `PRAGMA quick_check` finds wrong with an SQLite database: None when nothing (or PostgreSQL).

    A file that is not a database, or whose pages are malformed, fails the check itself; that is damage
    too. OperationalError (locked, cannot open) propagates: the file may be sound."""
    if engine.dialect.name != "sqlite":
        return None
    try:
        with engine.connect() as connection:
            found = [str(row) for row in connection.exec_driver_sql("PRAGMA quick_check(3)").scalars()]
    except OperationalError:
        raise
    except DatabaseError as error:
        return str(error.orig)
    return None if found == ["ok"] else "; ".join(found)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_db_engine(url: str, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """An engine with transactional DDL and enforced foreign keys on SQLite, pre-ping on PostgreSQL,
    and with `timeouts` on either, when given."""
    in_memory = is_sqlite(url) and make_url(url).database in (None, "", ":memory:")
    if timeouts is not None and not in_memory:  # an in-memory database has one connection, no queue
        kwargs.setdefault("pool_timeout", timeouts.pool)
    if is_sqlite(url):
        database = make_url(url).database
        if not in_memory and database:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        busy = timeouts.statement if timeouts else 30.0
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy}, **kwargs)
        _make_sqlite_transactional(engine, busy)
        if timeouts is not None:
            _limit_sqlite_statements(engine, timeouts.statement)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=_postgresql_args(timeouts), **kwargs)


def _postgresql_args(timeouts: Timeouts | None) -> dict[str, Any]:
    if timeouts is None:
        return {}
    milliseconds = math.ceil(timeouts.statement * 1000)
    return {
        "connect_timeout": timeouts.connect,
        # Cancelled by the server (lock waits included); and a connection whose sent data goes
        # unacknowledged that long (a partition) is dead to the kernel, so a read cannot hang on it.
        "options": f"-c statement_timeout={milliseconds}",
        "tcp_user_timeout": milliseconds,
    }


def _make_sqlite_transactional(engine: Engine, busy_seconds: float) -> None:
    # pysqlite opens transactions lazily and never around DDL; emitting BEGIN ourselves makes a
    # migration (schema or data) all-or-nothing, as on PostgreSQL.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {math.ceil(busy_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _limit_sqlite_statements(engine: Engine, seconds: float) -> None:
    # SQLite has no statement timeout: a progress handler interrupts a statement (and the reading of
    # its rows) past its deadline, which the driver reports as OperationalError("interrupted").
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        info = record.info
        info["deadline"] = math.inf
        dbapi_connection.set_progress_handler(
            lambda: int(time.monotonic() > info["deadline"]), SQLITE_CHECK_EVERY
        )

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, *_args: Any) -> None:
        connection.info["deadline"] = time.monotonic() + seconds
