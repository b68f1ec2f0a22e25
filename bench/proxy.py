"""wrk through the caching proxy: Debian's nginx with deploy/nginx.conf in front of two instances.

`python -m bench.proxy [--seconds 30] [--connections 200]` builds exactly what tests/test_proxy.py runs
(a fresh PostgreSQL database on 127.0.0.1:5432 with the bundled release migrated, two `prisoners-api
serve` instances with their default settings but the public address and the rate limit off, nginx in
front on a free loopback port), then runs wrk with one thread against nginx, naming the public host.
wrk's first request is the cache's only miss: nginx keeps one copy per value of the headers `Vary`
names, so a warm-up by another client would not be the copy wrk's requests get. Printed per URL:
requests per second, p50/p95/p99 latency, answers by status, errors (answers >= 400 and socket errors),
and nginx's cache statuses during the run, from its access log (`upstream`: requests an instance
answered). The load average before and after goes with the figures in docs/RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from api import migrate
from bench.load import wrk
from tests.utils.databases import fresh_database, postgres_problem
from tests.utils.nginx import PUBLIC_HOST, instances_behind_nginx, nginx_binary

RELEASE = "demo-2026-03"
URLS = {
    "pinned breakdown (JSON)": f"/v1/stats/breakdown?release={RELEASE}&by=region",
    "latest summary (JSON)": "/v1/stats/summary",
}


def _cache_statuses(log: Path, skip: int) -> tuple[int, Counter[str]]:
    """Lines of nginx's access log after the first `skip`: their number, and how many of them had each
    cache status, with `upstream` for those an instance answered (its address is the last field)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    counts: Counter[str] = Counter()
    for line in lines[skip:]:
        *_, status, upstream = line.split()
        counts[status] += 1
        counts["upstream"] += upstream != "-"
    return len(lines), counts


def _load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy", description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    arguments = parser.parse_args()
    nginx_binary()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    problem = postgres_problem()
    if problem:
        raise SystemExit(problem)
    with tempfile.TemporaryDirectory(prefix="bench-proxy-") as name, ExitStack() as stack:
        folder = Path(name)
        url = stack.enter_context(fresh_database("postgresql", folder))
        migrate.upgrade(url)
        servers, proxy = stack.enter_context(instances_behind_nginx(url, folder))
        upstreams = [server.base_url.removeprefix("http://") for server in servers]
        print(
            f"nginx {proxy.base_url} in front of {', '.join(upstreams)}; load average {_load()}", flush=True
        )
        for label, path in URLS.items():
            before, _ = _cache_statuses(proxy.access_log, 0)
            figures = wrk(
                proxy.base_url + path, arguments.connections, arguments.seconds, {"Host": PUBLIC_HOST}
            )
            _, cache = _cache_statuses(proxy.access_log, before)
            print(
                f"{label:<24} c={arguments.connections} {arguments.seconds} s: "
                f"{figures['requests_per_second']:,.0f} req/s  p50 {figures['p50_ms']:.2f} "
                f"p95 {figures['p95_ms']:.2f} p99 {figures['p99_ms']:.2f} ms  "
                f"statuses {figures['statuses']}  errors {figures['errors']}  "
                f"nginx {dict(cache)}  load average {_load()}",
                flush=True,
            )


if __name__ == "__main__":
    main()
