"""One client asks for many distinct chart renders at once; does everyone else still get answers?

`python -m bench.render_attack [--seconds 60] [--renders 5000]` starts one uvicorn process on a
migrated SQLite copy of the bundled release (no rate limit: the render pool alone must bound the cost;
clients named by an `X-Client` header, as a proxy would), then:

1. attack: client `attacker` keeps 16 requests in flight, each for a chart never asked before (PNG at
   scale 3, SVG, embed pages; every chart, language, theme, width and filter), for `--seconds`;
   meanwhile client `reader` asks one after another for a cached JSON URL and for JSON URLs never
   asked before. Printed: the reader's p50/p95 of each, every status either client got;
2. memory: `--renders` distinct drawings (4 clients asking at once, each asking again for a drawing
   refused with 503/429), then the resident memory of the server and of its child processes (render
   workers, multiprocessing's resource tracker).

Figures and the command are in docs/RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from api import migrate
from bench.processes import rss_kib, server
from tests.utils.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "demo-2026-03"
FILTERS = [
    "",
    "gender=female",
    "gender=male",
    "region=BY-MI",
    "region=BY-HM",
    "age_band=25_34",
    "age_band=35_44",
]
IMAGE_FILTERS = [*FILTERS, "article=342"]


def render_urls() -> Iterator[str]:
    """Distinct render URLs, shuffled (what an attacker who wants misses asks for)."""
    charts = ["in-custody", "flows", "sentences", "breakdown", "releases-by-kind"]
    urls = []
    for chart, lang, theme, width, filters in itertools.product(
        charts, ("en", "be", "ru"), ("light", "dark"), (300, 400, 500, 640, 800, 1000, 1200), IMAGE_FILTERS
    ):
        query = f"release={RELEASE}&lang={lang}&theme={theme}" + (f"&{filters}" if filters else "")
        if chart == "flows" and filters:
            continue  # flows take no filters
        urls += [f"/v1/charts/{chart}.png?{query}&width={width}&scale={scale}" for scale in (3, 2, 1)]
        urls.append(f"/v1/charts/{chart}.svg?{query}&width={width}")
        if width == 300:
            urls.append(f"/embed/{chart}?{query}")
    urls.append(f"/embed/breakdown?release={RELEASE}&by=article")
    random.Random(19).shuffle(urls)
    yield from urls


def json_urls() -> Iterator[str]:
    """Statistics URLs never asked before: each filter, split, language and format of each endpoint."""
    for name, by, filters, lang, format in itertools.product(
        ("summary", "in-custody", "sentences", "breakdown"),
        ("", "by=gender", "by=region"),
        FILTERS,
        ("en", "be", "ru"),
        ("json", "csv"),
    ):
        if (
            (by and name == "summary")
            or (by and filters and name != "breakdown")
            or (by and by[3:] in filters)
        ):
            continue  # one dimension only (summary: no split), or a filter also the split
        parts = [f"release={RELEASE}", by, filters, f"lang={lang}", f"format={format}"]
        yield f"/v1/stats/{name}?" + "&".join(part for part in parts if part)


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
    }


def attack(base: str, seconds: float) -> dict[str, Any]:
    stop = time.monotonic() + seconds
    renders, lock = render_urls(), threading.Lock()
    attacker: Counter[int] = Counter()

    def attacker_loop() -> None:
        with httpx.Client(base_url=base, headers={"X-Client": "attacker"}, timeout=120) as http:
            while time.monotonic() < stop:
                with lock:
                    url = next(renders, None)
                if url is None:
                    return
                status = http.get(url).status_code
                with lock:
                    attacker[status] += 1

    threads = [threading.Thread(target=attacker_loop) for _ in range(16)]
    for thread in threads:
        thread.start()
    cached: list[float] = []
    uncached: list[float] = []
    reader: Counter[int] = Counter()
    fresh = json_urls()
    with httpx.Client(base_url=base, headers={"X-Client": "reader"}, timeout=120) as http:
        warm = f"/v1/stats/breakdown?release={RELEASE}&by=region"
        http.get(warm)
        time.sleep(1)  # the attack is under way
        while time.monotonic() < stop:
            for url, times in ((warm, cached), (next(fresh, warm), uncached)):
                started = time.perf_counter()
                reader[http.get(url).status_code] += 1
                times.append(time.perf_counter() - started)
            time.sleep(0.2)
    for thread in threads:
        thread.join()
    return {
        "seconds": seconds,
        "reader_cached_json": _percentiles(cached),
        "reader_uncached_json": _percentiles(uncached),
        "reader_statuses": dict(reader),
        "attacker_statuses": dict(attacker),
    }


def memory(base: str, pid: int, renders: int) -> dict[str, Any]:
    urls, lock, done = render_urls(), threading.Lock(), Counter[int]()
    started = time.monotonic()

    def worker(client: str) -> None:
        with httpx.Client(base_url=base, headers={"X-Client": client}, timeout=120) as http:
            while True:
                with lock:
                    if done[200] >= renders:
                        return
                    url = next(urls, None)
                if url is None:
                    return
                while (status := http.get(url).status_code) in (429, 503):
                    with lock:
                        done[status] += 1
                    time.sleep(0.05)  # refused at once: ask for the same drawing again shortly
                with lock:
                    done[status] += 1

    threads = [threading.Thread(target=worker, args=(f"client-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server_kib = rss_kib(pid)[0]
    children = [int(child) for child in _children(pid)]  # the render workers and a resource tracker
    worker_kib = sum(rss_kib(child)[0] for child in children)
    return {
        "renders_drawn": done[200],
        "statuses": dict(done),
        "seconds": round(time.monotonic() - started, 1),
        "server_rss_mib": round(server_kib / 1024, 1),
        "child_processes": len(children),
        "children_rss_mib": round(worker_kib / 1024, 1),
        "total_rss_mib": round((server_kib + worker_kib) / 1024, 1),
    }


def _children(pid: int) -> list[str]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [line.strip() for line in found.stdout.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--renders", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PRISONERS_API_PUBLIC_BASE_URL": base,
            # No rate limit: the render pool alone must keep the attacker's cost bounded.
            "PRISONERS_API_RATE_LIMIT": "",
            "PRISONERS_API_RATE_LIMIT_CLIENT_HEADER": "X-Client",
        }
        command = [sys.executable, "-m", "uvicorn", "--port", str(port), "--no-access-log", "api.main:app"]
        with server(command, f"{base}/readyz", Path(folder) / "uvicorn.log", env, cwd=ROOT) as process:
            result = {
                "cores": os.cpu_count(),
                "load_before": os.getloadavg(),
                "attack": attack(base, args.seconds),
            }
            if args.renders:
                result["memory"] = memory(base, process.pid, args.renders)
            result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
