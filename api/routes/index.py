"""The entry point of the API: links to every collection."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.figures_series import SERIES
from api.responses import respond
from api.routes.common import check_params, json_body, stats_service
from api.stats.service import STATISTICS

router = APIRouter(tags=["Index"])


@router.get("/v1", summary="Index of the API: links to every collection")
def index(request: Request) -> Response:
    """Where everything is: statistics, releases, published figures and their series (real, with
    charts), the chart catalogue, reference lists and the docs."""
    check_params(request, set())
    service = stats_service(request)
    latest = service.catalog.get("latest")
    links = {
        "self": "/v1",
        "docs": "/docs",
        "openapi": "/openapi.json",
        "problems": "/problems",
        "releases": "/v1/releases",
        "latest_release": f"/v1/releases/{latest.id}" if latest else None,
        "figures": "/v1/figures",
        # The real published series (never synthetic), each with its chart, before the release's charts.
        "figures_series": "/v1/figures/series",
        **{f"figures_series_{key.replace('-', '_')}": f"/v1/figures/series/{key}" for key in SERIES},
        "charts": "/v1/charts",
        "articles": "/v1/articles",
        "regions": "/v1/regions",
        **{f"stats_{name.replace('-', '_')}": f"/v1/stats/{name}" for name in STATISTICS},
    }
    meta = {
        "title": request.app.title,
        "latest_release": latest.id if latest else None,
        "synthetic": latest.synthetic if latest else None,
    }
    return respond(
        request, json_body(None, meta, links), pinned=False, latest_max_age=service.settings.latest_max_age
    )
