"""Subprocess of the growth benchmark: uncached time of each statistics endpoint, its SQL and plans.

`python -m bench.uncached URL RELEASE SAMPLES` prints JSON. Each sample computes the statistic from the
database and renders it (the work of a first request for a URL): the service's result cache is emptied
before every sample. The SQL statements of one computation are captured for Datasette to run as well.
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
}


def _request(query: str) -> Params:
    return Params(parse_qsl(query))


def _plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return [str(row[-1]) for row in rows]
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return [str(row[0]) for row in rows]


def measure(url: str, release: str, samples: int) -> dict[str, Any]:
    engine = create_db_engine(url)
    service = StatisticsService(engine, Settings(database_url=url))
    service.release(release)  # the release catalogue is read once per process, not per request
    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    results: dict[str, Any] = {}
    for name, extra in QUERIES.items():
        statistic = name.split(" ")[0]
        request = _request(f"release={release}&{extra}".rstrip("&"))
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
             "plan": _plan(engine, sql, params)}
            for sql, params in captured
        ]  # fmt: skip
        captured.clear()
        results[name] = {"query": extra, "seconds": times, "statements": statements}
    engine.dispose()
    return results


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
