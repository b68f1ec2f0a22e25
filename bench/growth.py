"""Growth: loading the publications of 10k, 100k, 1M records against the ceilings, and uncached statistics
against Datasette on the raw records.

Loading: the data migration of a synthetic release's publication (validation of every CSV against its
Frictionless schema, the answers stored, in one transaction) in a process of its own, for its time and
peak RSS; the ceilings are `sqlite3 .import` and PostgreSQL `COPY` (psql `\\copy`) of the same CSV files
into bare tables. Each repetition runs both, so the ratio of the two is measured on the same machine
within seconds.

Uncached statistics: the API answers from the publication (a lookup and a slice); Datasette runs the
GROUP BYs a user with the raw records would write (those `publish` runs to compute the same answer) on
a SQLite database of the records, in the private folder.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api import migrate
from bench.datasets import (
    DATASET,
    ensure_release,
    fresh_database,
    migrations_for,
    records_database,
    release_id,
)
from bench.environment import PEERS_VENV, PROJECT_PYTHON, RESULTS, ROOT, WORK
from bench.modes import Mode
from bench.processes import server
from tests.utils.servers import free_port

ENGINES = ("sqlite", "postgresql")


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between order statistics (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timed_load(url: str, migrations: Path, revision: str) -> tuple[float, int]:
    command = ["/usr/bin/time", "-f", "%M", str(PROJECT_PYTHON), "-m", "bench.load_release", url,
               str(DATASET), str(migrations), revision]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    return float(done.stdout.split()[-1]), int(done.stderr.split()[-1])


def _tables(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """The publication's CSV files, each with a table name and its header."""
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        tables[path.stem.replace("-", "_") + "_import"] = (path, header)
    return tables


def _ceiling(engine: str, url: str, folder: Path, scratch: Path) -> tuple[float, int]:
    """The engine's own bulk import of every CSV file of the publication into bare tables of text."""
    tables = _tables(folder)
    if engine == "sqlite":
        scratch.unlink(missing_ok=True)
        imports = [f".import --csv {path} {table}" for table, (path, _) in tables.items()]
        command = ["/usr/bin/time", "-f", "%M", "sqlite3", str(scratch), *imports]
    else:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for table, (_, header) in tables.items():
                connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
                columns = ", ".join(f'"{name}" text' for name in header)
                connection.execute(text(f"CREATE TABLE {table} ({columns})"))
        admin.dispose()
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        copies = [
            f"\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)"
            for table, (path, _) in tables.items()
        ]
        command = ["/usr/bin/time", "-f", "%M", "psql", "-q", plain, *(f"-c{copy}" for copy in copies)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    if engine == "postgresql":
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for table in tables:
                connection.execute(text(f"DROP TABLE {table}"))
        admin.dispose()
    scratch.unlink(missing_ok=True)
    return elapsed, int(done.stderr.split()[-1])


def _uncached(url: str, release: str, samples: int, *extra: str) -> dict[str, Any]:
    command = [str(PROJECT_PYTHON), "-m", "bench.uncached", url, release, str(samples), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    measured: dict[str, Any] = json.loads(done.stdout)
    for item in measured.values():
        item["p50"], item["p95"] = percentile(item["seconds"], 0.5), percentile(item["seconds"], 0.95)
    return measured


def _datasette(database: Path, queries: dict[str, Any], samples: int) -> dict[str, Any]:
    """Datasette on the records' database running the SQL `publish` ran for each endpoint (captured by
    `bench.uncached`, its scan hint removed), per sample."""
    port = free_port()
    command = [str(PEERS_VENV / "bin" / "datasette"), "serve", "-i", str(database), "--port", str(port),
               "--setting", "sql_time_limit_ms", "600000",
               "--setting", "max_returned_rows", "1000000"]  # fmt: skip
    name = database.stem
    timings: dict[str, Any] = {}
    with server(command, f"http://127.0.0.1:{port}/-/versions.json", WORK / "logs" / "datasette-growth.log"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for endpoint, item in queries.items():
            paths = [_datasette_path(name, s["sql"], s["parameters"]) for s in item["statements"]]
            seconds = []
            for _ in range(samples):
                started = time.perf_counter()
                for path in paths:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    body = response.read()
                    assert response.status == 200, body[:500]
                seconds.append(time.perf_counter() - started)
            timings[endpoint] = {"seconds": seconds, "p50": percentile(seconds, 0.5),
                                 "p95": percentile(seconds, 0.95)}  # fmt: skip
        connection.close()
    return timings


def _datasette_path(database: str, sql: str, parameters: list[Any]) -> str:
    named = sql
    params: dict[str, str] = {}
    for index, value in enumerate(parameters):
        named = named.replace("?", f":p{index}", 1)
        params[f"p{index}"] = str(value)
    query = urllib.parse.urlencode({"sql": named, "_shape": "array", **params})
    return f"/{database}.json?{query}"


def loading(records: int, engine: str, repetitions: int, keep_last: bool = False) -> dict[str, Any]:
    """Load the synthetic release of `records` into fresh databases of `engine`, with the ceiling each time.

    Medians of `repetitions`; the ratio is taken within each repetition. With `keep_last`, the last
    repetition's database is kept (its URL in the result) for the uncached statistics.
    """
    folder = ensure_release(records)
    migrations, revision = migrations_for(records)
    name = release_id(records)
    loads, ceilings = [], []
    url = ""
    for repetition in range(repetitions):
        keep = keep_last and repetition == repetitions - 1
        with fresh_database(engine, f"{name}-{engine}", keep=keep) as database_url:
            url = database_url
            # Untimed: the schema and the bundled release, up to the project's own head.
            migrate.upgrade(url, migrate.head_revision(), DATASET, migrations)
            loads.append(_timed_load(url, migrations, revision))
            ceilings.append(_ceiling(engine, url, folder, WORK / "db" / "ceiling.sqlite3"))
        print(f"  {name} {engine}: load {loads[-1][0]:.2f} s ({loads[-1][1] / 1024:.0f} MiB), "
              f"ceiling {ceilings[-1][0]:.2f} s, ratio {loads[-1][0] / ceilings[-1][0]:.1f}x",
              flush=True)  # fmt: skip
    ratios = [load[0] / ceiling[0] for load, ceiling in zip(loads, ceilings, strict=True)]
    return {
        "load_seconds": statistics.median(load[0] for load in loads),
        "load_peak_rss_mib": statistics.median(load[1] for load in loads) / 1024,
        "ceiling_seconds": statistics.median(ceiling[0] for ceiling in ceilings),
        "ratio": statistics.median(ratios),
        "runs": {"loads": loads, "ceilings": ceilings},
        "url": url,
    }


def _size(records: int, mode: Mode) -> dict[str, Any]:
    name = release_id(records)
    csv_files = sorted(ensure_release(records).glob("*.csv"))
    entry: dict[str, Any] = {
        "records": records,
        "csv_bytes": sum(path.stat().st_size for path in csv_files),
        "csv_rows": sum(path.read_bytes().count(b"\n") - 1 for path in csv_files),
    }
    for engine in ENGINES:
        entry[engine] = loading(records, engine, mode.repetitions, keep_last=True)
        entry[engine]["queries"] = _uncached(entry[engine]["url"], name, mode.query_samples)
        for endpoint, item in entry[engine]["queries"].items():
            print(f"  {name} {engine} {endpoint}: uncached p50 {item['p50'] * 1000:.1f} ms "
                  f"p95 {item['p95'] * 1000:.1f} ms", flush=True)  # fmt: skip
    database = records_database(records)
    entry["record_sql"] = _uncached(f"sqlite:///{database}", name, 1, "records")
    entry["datasette"] = _datasette(database, entry["record_sql"], mode.query_samples)
    for endpoint, item in entry["datasette"].items():
        ours = max(entry[engine]["queries"][endpoint]["p95"] for engine in ENGINES)
        print(f"  {name} datasette {endpoint}: p95 {item['p95'] * 1000:.1f} ms "
              f"(API/datasette, slower engine {ours / item['p95']:.3f})", flush=True)  # fmt: skip
    return entry


def run(mode: Mode) -> dict[str, Any]:
    return {"sizes": [_size(records, mode) for records in mode.sizes]}


def save(results: dict[str, Any], mode: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"growth-{mode}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    return path
