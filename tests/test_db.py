"""Engines: the timeouts the service waits on its database, on both engines."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from api.db import Timeouts, create_db_engine

SHORT = Timeouts(connect=2, statement=0.3, pool=0.3)
SLOW = {
    # ~10 s of work on either engine, unless it is cancelled.
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
    "SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(10)",
}


def test_a_statement_past_its_timeout_is_cancelled(database_url: str, engine_kind: str) -> None:
    engine = create_db_engine(database_url, SHORT)
    started = time.monotonic()
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text(SLOW[engine_kind]))
    assert time.monotonic() - started < 2
    engine.dispose()


def test_the_connection_still_serves_after_a_cancelled_statement(database_url: str, engine_kind: str) -> None:
    engine = create_db_engine(database_url, SHORT)
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text(SLOW[engine_kind]))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()
