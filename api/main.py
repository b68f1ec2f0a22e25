"""The ASGI application: middleware, routers and error handlers — nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from api.db import Timeouts, create_db_engine
from api.metrics import install_metrics
from api.middleware.cors import PreflightMiddleware
from api.middleware.edge import EdgeMiddleware
from api.middleware.etag import CompressedETagMiddleware
from api.middleware.head import HeadMiddleware
from api.middleware.hosts import HostsMiddleware
from api.middleware.limits import LimitsMiddleware, document_limits
from api.middleware.response_cache import ResponseCacheMiddleware
from api.problems import install_problem_handlers
from api.readiness import ReadinessCheck
from api.render import pool as render_pool
from api.routes import (
    chart_page,
    charts,
    docs,
    downloads,
    embed,
    gallery,
    health,
    index,
    landing,
    oembed,
    problem_types,
    reference,
    releases,
    series,
    stats,
)
from api.settings import Settings, get_settings
from api.stats.service import StatisticsService

DESCRIPTION = """Anonymized aggregate statistics on political prisoners in Belarus, computed from
versioned dataset releases. Every figure names its release, the date it is valid for, its sources and
licence, and whether small counts were suppressed to protect the people behind them."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    timeouts = Timeouts(
        connect=settings.database_connect_timeout,
        statement=settings.database_statement_timeout,
        pool=settings.database_pool_timeout,
    )
    engine = create_db_engine(settings.effective_database_url, timeouts)
    readiness = ReadinessCheck(engine, settings.migrations_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        readiness.close()
        engine.dispose()
        render_pool.POOL.close()

    app = FastAPI(
        title="Political prisoners in Belarus — open data API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from packaged assets by api.routes.docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.readiness = readiness
    app.state.stats = StatisticsService(engine, settings)
    install_problem_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CompressedETagMiddleware)  # just outside gzip: the gzip bytes get their own tag
    # Inside every middleware added after it (rate limits, and the edge: request id, CORS and security
    # headers, logs), which still run on each cached answer; outside gzip, so a hit replays bytes
    # compressed once. Keep it here.
    app.add_middleware(ResponseCacheMiddleware)
    app.add_middleware(PreflightMiddleware)  # CORS pre-flights; the edge adds CORS headers to the rest
    app.add_middleware(HeadMiddleware)  # inside the limits and the edge: a HEAD is a GET to them
    app.add_middleware(
        LimitsMiddleware,
        max_url_length=settings.max_url_length,
        rate_limit=settings.rate_limit,
        client_header=settings.rate_limit_client_header,
    )
    for module in (
        landing,
        health,
        index,
        stats,
        releases,
        downloads,
        reference,
        series,
        charts,
        embed,
        oembed,
        gallery,
        chart_page,
        problem_types,
    ):
        app.include_router(module.router)
    app.include_router(series.charts_router)
    docs.install_docs(app)
    document_limits(app)
    if settings.metrics:
        install_metrics(app)
    # Outside the limits and the cache: a request naming two hosts, or one not ours, reaches neither.
    app.add_middleware(
        HostsMiddleware, public_base_url=settings.effective_public_base_url, allowed=settings.host_patterns
    )
    # Added last, so it wraps the others: every answer, a 429 or an unhandled error's 500 included.
    app.add_middleware(EdgeMiddleware, access_log=settings.access_log)
    return app


app = create_app()
