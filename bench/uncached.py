"""Subprocess of the growth benchmark: uncached time of each statistics endpoint, its SQL and plans.

`python -m bench.uncached URL RELEASE SAMPLES` prints JSON. URL is a public database holding the
release's publication: each sample answers the statistic from it and renders it (the work of a first
request for a URL, a primary-key lookup and a slice), the service's result cache emptied before every
sample.

`python -m bench.uncached URL RELEASE 1 records` computes each statistic once from a database of the
release's records instead (`RecordStatistics`, as `publish` does) and prints the SQL it ran: the GROUP
BYs a user with the raw records would write, which Datasette then runs.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import Engine, event

from api.db import create_db_engine
from api.query import SPECS, Params, parse_query
from api.records.statistics import RecordStatistics
from api.routes.stats import _build
from api.settings import Settings
from api.stats.service import StatisticsService

QUERIES = {
    "summary": "",
    "in-custody": "by=gender",
    "flows": "",
    "sentences": "by=gender",
    "breakdown": "by=region",
    "breakdown (article × gender)": "by=article,gender",
    "breakdown (two filters: a slice)": "gender=female&region=BY-MI",
}
PLAIN_SQL = ('+"case".release_id', '"case".release_id')
"""The record-level code's one planner hint (`api.records.cube.SCAN_SHARE`), removed: Datasette runs the
plain aggregate a user would write, with SQLite's default plan."""


def _plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return [str(row[-1]) for row in rows]
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return [str(row[0]) for row in rows]


def measure(url: str, release: str, samples: int, records: bool = False) -> dict[str, Any]:
    engine = create_db_engine(url)
    kind = RecordStatistics if records else StatisticsService
    service = kind(engine, Settings(database_url=url))
    service.release(release)  # the release catalogue is read once per process, not per request
    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement.replace(*PLAIN_SQL), parameters))

    results: dict[str, Any] = {}
    for name, extra in QUERIES.items():
        statistic = name.split(" ")[0]
        request = Params(parse_qsl(f"release={release}&{extra}".rstrip("&")))
        query = parse_query(request, SPECS[statistic], service.levels())
        times = []
        for index in range(samples):
            service._results.clear()
            if index == 0:
                event.listen(engine, "before_cursor_execute", capture)
            started = time.perf_counter()
            _build(service, statistic, query, release)
            times.append(time.perf_counter() - started)
            if index == 0:
                event.remove(engine, "before_cursor_execute", capture)
        statements = [
            {"sql": sql, "parameters": list(params) if isinstance(params, tuple) else params,
             "plan": [] if records else _plan(engine, sql, params)}
            for sql, params in captured
        ]  # fmt: skip
        captured.clear()
        results[name] = {"query": extra, "seconds": times, "statements": statements}
    engine.dispose()
    return results


if __name__ == "__main__":
    records = sys.argv[4:] == ["records"]
    print(json.dumps(measure(sys.argv[1], sys.argv[2], int(sys.argv[3]), records)))
