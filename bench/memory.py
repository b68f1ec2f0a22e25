"""RSS of one serving process (uvicorn, one worker) on the largest release, after every statistic."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

from bench.datasets import release_id
from bench.environment import PROJECT_PYTHON, RESULTS, ROOT, WORK
from bench.modes import Mode
from bench.processes import rss_kib, server
from bench.uncached import QUERIES
from tests.utils.servers import free_port

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _urls(release: str) -> list[str]:
    return [f"/v1/stats/{name.split(' ')[0]}?release={release}&{query}".rstrip("&") for name, query in
            QUERIES.items()]  # fmt: skip


def measure(database_url: str, release: str) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(PROJECT_PYTHON), "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
               "--no-access-log", "api.main:app"]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url}
    with server(command, f"{base}/healthz", WORK / "logs" / "memory.log", env, cwd=ROOT) as process:
        started = rss_kib(process.pid)[0]
        for url in _urls(release):
            with urllib.request.urlopen(base + url, timeout=600) as response:
                assert response.status == 200
        for _ in range(3):  # the same URLs again: answered from the caches
            for url in _urls(release):
                with urllib.request.urlopen(base + url, timeout=600) as response:
                    response.read()
        current, peak = rss_kib(process.pid)
    return {"rss_at_start_mib": started / 1024, "rss_mib": current / 1024, "peak_rss_mib": peak / 1024}


def run(mode: Mode) -> dict[str, Any]:
    records = max(mode.sizes)
    name = release_id(records)
    sqlite = WORK / "db" / f"{name}-sqlite.sqlite3"
    results: dict[str, Any] = {"records": records}
    results["sqlite"] = measure(f"sqlite:///{sqlite}", name)
    results["postgresql"] = measure(POSTGRES_URL.format(name=f"{name}-postgresql".replace("-", "_")), name)
    for engine in ("sqlite", "postgresql"):
        figures = results[engine]
        print(f"  {name} {engine}: RSS {figures['rss_mib']:.0f} MiB (peak {figures['peak_rss_mib']:.0f} MiB, "
              f"{figures['rss_at_start_mib']:.0f} MiB at start)", flush=True)  # fmt: skip
    return results


def save(results: dict[str, Any], mode: str) -> Path:
    path = RESULTS / f"memory-{mode}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
