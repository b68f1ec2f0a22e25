"""Load on loopback (issue: hold up on a news day): uvicorn with the service's default settings, wrk
at 50 and at 200 connections on a release-pinned statistic, on `latest`, on a CSV and on a PNG chart.

Per run: requests per second, p50/p95/p99 latency, answers by status (429s are the rate limit doing its
job; anything else outside 2xx/3xx, or a socket error, is an error), and the server's RSS before and
after. Two configurations: the defaults as shipped (600 requests a minute per client: from one client
almost everything is a deliberate 429), and the defaults with the rate limit off, the capacity a CDN
or many clients would see. `python -m bench MODE load`; figures go to docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from api import migrate
from bench.environment import PROJECT_PYTHON, RESULTS, WORK
from bench.modes import Mode
from bench.processes import rss_kib, server
from tests.utils.servers import free_port

RELEASE = "demo-2026-03"
DATABASE = WORK / "load" / "load.sqlite3"
SCRIPT = Path(__file__).with_name("status_counts.lua")
CONNECTIONS = (50, 200)
ENDPOINTS = {
    "pinned breakdown": f"/v1/stats/breakdown?release={RELEASE}&by=region",
    "latest summary": "/v1/stats/summary",
    "CSV table": f"/v1/stats/breakdown?release={RELEASE}&by=region,gender&format=csv",
    "PNG chart": f"/v1/charts/in-custody.png?release={RELEASE}",
}
# name: (settings over the defaults, endpoints measured). As shipped, one client gets 429s after 600
# requests a minute, so one endpoint shows that; the capacity is measured with the limit off.
CONFIGURATIONS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "defaults": ({}, ("pinned breakdown",)),
    "defaults, rate limit off": ({"PRISONERS_API_RATE_LIMIT": ""}, tuple(ENDPOINTS)),
}
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int, seconds: int, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One wrk run: one thread (enough to saturate one uvicorn process; the server gets the other core)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, "-s", str(SCRIPT), url], capture_output=True, text=True, check=True
    ).stdout
    statuses = {int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE)}
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(_find(r"Requests/sec:\s+([\d.]+)", output)),
        "p50_ms": _ms(_find(r"\s50%\s+(\S+)", output)),
        "p95_ms": int(_find(r"^p95_us (\d+)$", output)) / 1000,
        "p99_ms": _ms(_find(r"\s99%\s+(\S+)", output)),
        "statuses": statuses,
        "rate_limited": statuses.get(429, 0),
        "errors": sum(n for s, n in statuses.items() if s >= 400 and s != 429)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk output without {pattern!r}:\n{text}")
    return match.group(1)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run(mode: Mode) -> dict[str, Any]:
    seconds = 60 if mode.name == "full" else 5
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    migrate.upgrade(f"sqlite:///{DATABASE}")
    results: dict[str, Any] = {"seconds": seconds, "configurations": {}}
    for name, (overrides, endpoints) in CONFIGURATIONS.items():
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # The service's own defaults: no PRISONERS_API_* setting from the caller's environment.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PRISONERS_API_")}
        env = {**inherited, "DATABASE_URL": f"sqlite:///{DATABASE}", **overrides}
        command = [str(PROJECT_PYTHON), "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        runs = []
        with server(command, f"{base}/healthz", WORK / "logs" / "load.log", env) as process:
            for path in ENDPOINTS.values():  # first answers computed, caches filled: then the baseline
                urllib.request.urlopen(base + path, timeout=60).read()
            start = rss_kib(process.pid)[0]
            for label in endpoints:
                path = ENDPOINTS[label]
                for connections in CONNECTIONS:
                    before = rss_kib(process.pid)[0]
                    figures = wrk(base + path, connections, seconds)
                    time.sleep(1)
                    after = rss_kib(process.pid)[0]
                    runs.append(
                        {"endpoint": label, "connections": connections, **figures, "rss_kib": [before, after]}
                    )
                    print(_line(name, runs[-1]), flush=True)
            end = rss_kib(process.pid)[0]
        growth = (end - start) / start
        print(f"{name}: RSS {start // 1024} -> {end // 1024} MiB over all runs ({growth:+.1%})", flush=True)
        results["configurations"][name] = {"runs": runs, "rss_kib": [start, end], "rss_growth": growth}
    return results


def _line(configuration: str, run: dict[str, Any]) -> str:
    before, after = run["rss_kib"]
    return (
        f"{configuration:<26} {run['endpoint']:<17} c={run['connections']:<3} "
        f"{run['requests_per_second']:>8.0f} req/s  p50 {run['p50_ms']:.1f} p95 {run['p95_ms']:.1f} "
        f"p99 {run['p99_ms']:.1f} ms  429s {run['rate_limited']}  errors {run['errors']}  "
        f"RSS {before // 1024}->{after // 1024} MiB ({(after - before) / before:+.1%})"
    )


def save(results: dict[str, Any], mode: str) -> Path:
    path = RESULTS / f"load-{mode}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
