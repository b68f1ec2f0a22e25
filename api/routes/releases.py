"""Dataset releases: the list, one release's metadata, and what changed since the previous one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.query import StatQuery
from api.render.provenance import meta
from api.responses import respond
from api.routes.common import ERROR_RESPONSES, ReleaseParam, check_params, json_body, stats_service
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService
from api.stats.tables import HEADLINE_ROWS

router = APIRouter(prefix="/v1/releases", tags=["Dataset releases"])


def release_record(info: ReleaseInfo) -> dict[str, Any]:
    """Everything a citation needs about one release."""
    record: dict[str, Any] = {
        "id": info.id,
        "title": info.title,
        "description": info.description,
        "valid_as_of": info.valid_as_of.isoformat(),
        "published": info.published.isoformat(),
        "synthetic": info.synthetic,
    }
    if info.synthetic:
        record["synthetic_note"] = info.synthetic_note
    record |= {
        "case_count": info.case_count,
        "files": list(info.files),
        "sources": info.sources,
        "licence": {"name": info.licence_name, "url": info.licence_url},
        "citation": info.citation(),
        "links": {
            "self": f"/v1/releases/{info.id}",
            "changes": f"/v1/releases/{info.id}/changes",
            "summary": f"/v1/stats/summary?release={info.id}",
        },
    }
    return record


@router.get("", summary="Every dataset release, oldest first")
def list_releases(request: Request) -> Response:
    """Each release with its as-of date, synthetic flag, row counts, file checksums, sources and licence."""
    check_params(request, set())
    service = stats_service(request)
    releases = service.catalog.all()
    latest = releases[-1].id if releases else None
    body = json_body(
        [release_record(r) for r in releases],
        {"count": len(releases), "latest": latest},
        {"self": "/v1/releases"},
    )
    return respond(request, body, pinned=False, latest_max_age=service.settings.latest_max_age)


@router.get("/{release}", summary="One dataset release", responses=ERROR_RESPONSES)
def get_release(request: Request, release: ReleaseParam) -> Response:
    """Metadata of one release (`latest` or an id): what a citation of its figures needs."""
    check_params(request, set())
    service = stats_service(request)
    info = service.release(release)
    links = {"self": f"/v1/releases/{release}", "permalink": f"/v1/releases/{info.id}"}
    body = json_body(release_record(info), _meta(service, info), links)
    return respond(request, body, pinned=release != "latest", latest_max_age=service.settings.latest_max_age)


def _meta(service: StatisticsService, info: ReleaseInfo) -> dict[str, Any]:
    return meta(info, None, service.settings.suppression_threshold, service.settings.min_group_size)


def _headlines(service: StatisticsService, info: ReleaseInfo) -> dict[str, Any]:
    result = service.compute("summary", StatQuery(release=info.id), info)
    return {
        f"{r['measure']}_{r['category']}": r["value"]
        for r in result.rows
        if (r["measure"], r.get("category")) in HEADLINE_ROWS
    }


@router.get(
    "/{release}/changes", summary="What changed since the previous release", responses=ERROR_RESPONSES
)
def release_changes(request: Request, release: ReleaseParam) -> Response:
    """Headline figures then and now, and how many cases were added, removed or released in between
    (aggregates only, with the same suppression as every count)."""
    check_params(request, set())
    service = stats_service(request)
    info = service.release(release)
    previous = service.catalog.previous(info)
    data: dict[str, Any] = {"release": info.id, "previous": previous.id if previous else None}
    data["headlines"] = {
        "now": _headlines(service, info),
        "then": _headlines(service, previous) if previous else None,
    }
    suppressed = 0
    if previous:
        changes = service.compute("changes", StatQuery(release=info.id), info)
        data["cases"] = list(changes.rows)
        suppressed = changes.suppressed_cells
    else:
        data["cases"] = []
    body_meta = _meta(service, info) | {"suppressed_cells": suppressed}
    links = {"self": f"/v1/releases/{release}/changes", "release": f"/v1/releases/{info.id}"}
    body = json_body(data, body_meta, links)
    return respond(request, body, pinned=release != "latest", latest_max_age=service.settings.latest_max_age)
