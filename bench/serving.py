"""Side by side on loopback: this API, Datasette and a bare Starlette app, same data, wrk at 64 connections.

The API serves the release's publication; the bare app replays the API's recorded bytes; Datasette
answers the same aggregates with canned GROUP BYs over the release's records (the bundled synthetic
demonstration records, loaded into a SQLite database in the private folder).

The three servers run at once (one process each) and take turns under load, scenario by scenario, so
every repetition yields ratios measured minutes apart on the same noisy machine.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from api import migrate
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.workspace import create_workspace
from bench import wrk
from bench.datasets import PRIVATE
from bench.environment import PEERS_VENV, PROJECT_PYTHON, RESULTS, ROOT, WORK
from bench.modes import Mode
from bench.processes import server
from tests.utils.servers import free_port

RELEASE = "demo-2026-03"
DATABASE = WORK / "serve" / "bench.sqlite3"
RECORDS = PRIVATE / "serve" / "bench.sqlite3"
"""The release's records, for Datasette (the API's database holds its publication only)."""
KEPT_HEADERS = ("content-type", "content-disposition", "etag", "cache-control", "vary")


@dataclass(frozen=True)
class Scenario:
    name: str
    api: str
    datasette: str | None
    revalidate: bool = False


SCENARIOS = (
    Scenario(
        "pinned breakdown (warm)",
        f"/v1/stats/breakdown?release={RELEASE}&by=region",
        f"/bench/breakdown_by_region.json?release={RELEASE}&_shape=array",
    ),
    Scenario("latest summary", "/v1/stats/summary", f"/bench/summary.json?release={RELEASE}&_shape=array"),
    Scenario(
        "CSV table",
        f"/v1/stats/breakdown?release={RELEASE}&by=region,gender&format=csv",
        f"/bench/breakdown_by_region_gender.csv?release={RELEASE}",
    ),
    Scenario("304 revalidation", f"/v1/stats/breakdown?release={RELEASE}&by=region", None, revalidate=True),
    Scenario("PNG chart", f"/v1/charts/in-custody.png?release={RELEASE}", None),
)

_IN_RELEASE = 'FROM "case" WHERE "case".release_id = :release'
CANNED_QUERIES = {
    # The SQL that computes the same aggregates from the records (as `publish` does), as canned queries.
    "breakdown_by_region": f'SELECT "case".region, count(*) AS count_1 {_IN_RELEASE} GROUP BY "case".region',
    "breakdown_by_region_gender": f'SELECT "case".region, "case".gender, count(*) AS count_1 {_IN_RELEASE} '
    'GROUP BY "case".region, "case".gender',
    "summary": " UNION ALL ".join(
        [
            "SELECT 'recognized' AS measure, CASE WHEN released_on IS NULL THEN 'in_custody' ELSE 'released' "
            f"END AS category, count(*) AS n {_IN_RELEASE} GROUP BY 2",
            f"SELECT 'in_custody', gender, count(*) {_IN_RELEASE} AND released_on IS NULL GROUP BY 2",
            f"SELECT 'in_custody_by_sentence_kind', sentence_kind, count(*) {_IN_RELEASE} "
            "AND released_on IS NULL GROUP BY 2",
            f"SELECT 'released', release_kind, count(*) {_IN_RELEASE} AND released_on IS NOT NULL GROUP BY 2",
        ]
    ),
}


def _prepare_database() -> None:
    if not DATABASE.exists():
        DATABASE.parent.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(f"sqlite:///{DATABASE}")
    if not RECORDS.exists():
        RECORDS.parent.mkdir(parents=True, exist_ok=True)
        create_workspace(f"sqlite:///{RECORDS}", DATASET_DIR, [DEMO_RECORDS_DIR / RELEASE]).dispose()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {}, b""


def record(base: str, scenarios: tuple[Scenario, ...], path: Path) -> dict[str, str]:
    """Fetch each scenario's answer from the API once; write it for the bare app; return the ETags."""
    recorded, etags = {}, {}
    for scenario in scenarios:
        status, headers, body = _get(base + scenario.api)
        assert status == 200, f"{scenario.api}: {status}"
        kept = [(name, headers[name]) for name in KEPT_HEADERS if name in headers]
        recorded[scenario.api] = {"headers": kept, "body": base64.b64encode(body).decode()}
        etags[scenario.api] = headers.get("etag", "")
    path.write_text(json.dumps(recorded))
    return etags


def _metadata(path: Path) -> None:
    queries = {name: {"sql": sql} for name, sql in CANNED_QUERIES.items()}
    path.write_text(json.dumps({"databases": {"bench": {"queries": queries}}}, indent=2))


def _available(base: str, scenarios: tuple[Scenario, ...]) -> tuple[list[Scenario], list[str]]:
    kept, skipped = [], []
    for scenario in scenarios:
        status = _get(base + scenario.api)[0]
        if status == 404:
            skipped.append(f"{scenario.name}: {scenario.api} answers 404 (route not there yet), skipped")
        else:
            kept.append(scenario)
    return kept, skipped


def run(mode: Mode) -> dict[str, object]:
    seconds, repetitions = mode.wrk_seconds, mode.repetitions
    _prepare_database()
    logs = WORK / "logs"
    api_port, bare_port, datasette_port = free_port(), free_port(), free_port()
    api_base, bare_base = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{bare_port}"
    datasette_base = f"http://127.0.0.1:{datasette_port}"
    # From one client, the default 600/minute would make this a test of 429s: limiting is off (the
    # limits middleware still runs its URL-length check on every request); everything else is default.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}", "PRISONERS_API_RATE_LIMIT": ""}
    uvicorn = [str(PROJECT_PYTHON), "-m", "uvicorn", "--host", "127.0.0.1", "--no-access-log"]
    with server(
        [*uvicorn, "--port", str(api_port), "api.main:app"], f"{api_base}/healthz", logs / "api.log", env
    ):
        scenarios, skipped = _available(api_base, SCENARIOS)
        recorded = WORK / "serve" / "recorded.json"
        etags = record(api_base, tuple(scenarios), recorded)
        metadata = WORK / "serve" / "datasette-metadata.json"
        _metadata(metadata)
        bare_env = {**env, "BENCH_RECORDED": str(recorded)}
        bare = [*uvicorn, "--port", str(bare_port), "bench.bare_app:app"]
        datasette = [
            str(PEERS_VENV / "bin" / "datasette"), "serve", "-i", str(RECORDS), "--metadata", str(metadata),
            "--port", str(datasette_port), "--setting", "sql_time_limit_ms", "60000",
        ]  # fmt: skip
        with (
            server(bare, f"{bare_base}/v1/stats/summary", logs / "bare.log", bare_env, cwd=ROOT),
            server(datasette, f"{datasette_base}/-/versions.json", logs / "datasette.log"),
        ):
            runs = _measure(scenarios, etags, api_base, bare_base, datasette_base, seconds, repetitions)
    return {"seconds": seconds, "repetitions": repetitions, "skipped": skipped, "scenarios": runs}


def _measure(
    scenarios: list[Scenario],
    etags: dict[str, str],
    api: str,
    bare: str,
    datasette: str,
    seconds: float,
    repetitions: int,
) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    for scenario in scenarios:
        headers = {"If-None-Match": etags[scenario.api]} if scenario.revalidate else {}
        peers = {"api": api + scenario.api, "bare": bare + scenario.api}
        if scenario.datasette:
            peers["datasette"] = datasette + scenario.datasette
        runs: dict[str, list[wrk.WrkResult]] = {name: [] for name in peers}
        for _ in range(repetitions):
            for name, url in peers.items():
                wrk.run(url, max(seconds // 10, 1), headers)  # warm-up: caches and connections
                runs[name].append(wrk.run(url, seconds, headers))
        results.append(_summarize(scenario, runs))
        print(_line(results[-1]), flush=True)
    return results


def _summarize(scenario: Scenario, runs: dict[str, list[wrk.WrkResult]]) -> dict[str, object]:
    def median(name: str, field: str) -> float:
        return float(statistics.median(getattr(run, field) for run in runs[name]))

    def ratio(other: str) -> float | None:
        if other not in runs:
            return None
        pairs = zip(runs["api"], runs[other], strict=True)
        return statistics.median(a.requests_per_second / b.requests_per_second for a, b in pairs)

    peers = {
        name: {
            "rps": median(name, "requests_per_second"),
            "p50_ms": median(name, "p50_ms"),
            "p99_ms": median(name, "p99_ms"),
            "errors": sum(run.errors for run in runs[name]),
            "runs": [asdict(run) for run in runs[name]],
        }
        for name in runs
    }
    return {"name": scenario.name, "url": scenario.api, "peers": peers, "vs_bare": ratio("bare"),
            "vs_datasette": ratio("datasette")}  # fmt: skip


def _line(result: dict[str, object]) -> str:
    peers = result["peers"]
    assert isinstance(peers, dict)
    parts = [f"{name} {p['rps']:.0f} req/s p50 {p['p50_ms']:.2f} ms p99 {p['p99_ms']:.2f} ms"
             for name, p in peers.items()]  # fmt: skip
    bare, datasette = result["vs_bare"], result["vs_datasette"]
    ratios = f"api/bare {bare:.2f}" + (f", api/datasette {datasette:.1f}" if datasette else "")
    return f"{result['name']}: " + "; ".join(parts) + f" — {ratios}"


def save(results: dict[str, object], mode: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"serving-{mode}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
