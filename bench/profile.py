"""pyinstrument profiles of the costs that remain: a warm request, a routed request, an uncached one.

Warm and routed requests are driven in-process through the whole ASGI stack (every middleware), so the
profile holds the application's work only, not uvicorn's or the network's. Needs `pyinstrument` in the
project's venv (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.datasets import release_id
from bench.environment import RESULTS, WORK
from bench.modes import Mode
from bench.serving import DATABASE, SCENARIOS

REQUESTS = 5000


def _scope(url: str) -> dict[str, Any]:
    path, _, query = url.partition("?")
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")], "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
    }  # fmt: skip


async def _drive(app: Any, url: str, count: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: dict[str, Any]) -> None:
        return None

    started = time.perf_counter()
    for _ in range(count):
        await app(_scope(url), receive, send)
    return (time.perf_counter() - started) / count


def _cache_layer(app: Any) -> Any:
    from api.middleware.response_cache import ResponseCacheMiddleware

    layer = app.middleware_stack
    while not isinstance(layer, ResponseCacheMiddleware):
        layer = layer.app
    return layer


def _profile_requests(mode: str) -> list[str]:
    from pyinstrument import Profiler

    from api.main import create_app
    from api.middleware.response_cache import ResponseCache
    from api.settings import Settings

    # Rate limiting off, as in the serving benchmark: from one client it would answer 429s.
    app = create_app(Settings(database_url=f"sqlite:///{DATABASE}", rate_limit=""))
    url = SCENARIOS[0].api
    lines = []
    asyncio.run(_drive(app, url, 50))  # builds the middleware stack, fills the caches
    for label in ("warm (answered by the response cache)", "routed (FastAPI route, representation cached)"):
        if label.startswith("routed"):
            _cache_layer(app).cache = ResponseCache(0, 0)  # keeps nothing: every request is routed
            asyncio.run(_drive(app, url, 50))
        profiler = Profiler(interval=0.0002)
        profiler.start()
        seconds = asyncio.run(_drive(app, url, REQUESTS))
        profiler.stop()
        name = "warm" if label.startswith("warm") else "routed"
        (RESULTS / f"profile-{name}-{mode}.txt").write_text(
            profiler.output_text(unicode=True, show_all=False)
        )
        (RESULTS / f"profile-{name}-{mode}.html").write_text(profiler.output_html())
        lines.append(f"  {label}: {seconds * 1e6:.0f} µs per request in-process; profile-{name}-{mode}.txt")
    return lines


def _profile_uncached(records: int, mode: str) -> str:
    from urllib.parse import parse_qsl

    from pyinstrument import Profiler

    from api.db import create_db_engine
    from api.query import SPECS, Params, parse_query
    from api.routes.stats import _build
    from api.settings import Settings
    from api.stats.service import StatisticsService

    database = WORK / "db" / f"{release_id(records)}-sqlite.sqlite3"
    engine = create_db_engine(f"sqlite:///{database}")
    service = StatisticsService(engine, Settings(database_url=f"sqlite:///{database}"))
    release = release_id(records)
    service.release(release)
    request = Params(parse_qsl(f"release={release}&by=gender"))
    query = parse_query(request, SPECS["in-custody"], service.levels())
    profiler = Profiler(interval=0.001)
    profiler.start()
    _build(service, "in-custody", query, release)
    profiler.stop()
    (RESULTS / f"profile-uncached-{mode}.txt").write_text(profiler.output_text(unicode=True, show_all=False))
    return f"  uncached in-custody by gender at {records} records: profile-uncached-{mode}.txt"


def run(mode: Mode) -> None:
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("  pyinstrument is not installed in this venv: pip install -e '.[bench]'; skipped")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    for line in [*_profile_requests(mode.name), _profile_uncached(max(mode.sizes), mode.name)]:
        print(line, flush=True)
