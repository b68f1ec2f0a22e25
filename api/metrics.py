"""Prometheus metrics at `/metrics` (setting METRICS), by prometheus-fastapi-instrumentator.

Each app gets its own registry, so several apps in one process (the tests) never clash; the process,
platform and garbage-collector collectors of the default registry are added to it.
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector
from prometheus_fastapi_instrumentator import Instrumentator

ENDPOINT = "/metrics"
NOT_MEASURED = [ENDPOINT, "/healthz", "/readyz"]


def install_metrics(app: FastAPI) -> None:
    """Count and time requests per route template and status class; serve them at `/metrics`."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    instrumentator = Instrumentator(
        should_group_status_codes=True,
        should_group_untemplated=True,
        excluded_handlers=NOT_MEASURED,
        registry=registry,
    )
    instrumentator.instrument(app).expose(app, endpoint=ENDPOINT, include_in_schema=False)
