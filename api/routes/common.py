"""Small pieces every resource route shares: parameter checks and the JSON/CSV envelope."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.figures_series import read_figures
from api.labels import Lang
from api.problems import PROBLEM_JSON, bad_parameter, problem_content
from api.query import RELEASE_PATTERN, SEPARATORS, Params, wants_csv
from api.responses import Representation, respond
from api.settings import Settings
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "A bad parameter (named in the problem).", "content": problem_content(400)},
    404: {"description": "Not found.", "content": problem_content(404)},
}
JSON_OR_CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or CSV with `format=csv` or `Accept: text/csv`.",
        "content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
    },
    **ERROR_RESPONSES,
}
"""The documented answers of a list that is JSON or CSV (published figures, a series, reference tables)."""
HTML_TYPE = "text/html; charset=utf-8"


def stats_service(request: Request) -> StatisticsService:
    """The process's statistics service, made at start-up (api/main.py)."""
    service: StatisticsService = request.app.state.stats
    return service


def cached_response(
    request: Request,
    service: StatisticsService,
    key: tuple[object, ...],
    build: Callable[[], Representation],
    pinned: bool = False,
) -> Response:
    """The representation cached under `key` (made by `build` on a miss), answered with the caching
    headers of a pinned address (`pinned`) or of one that moves with the latest release."""
    representation = service.cache.get_or_build(key, build)
    return respond(request, representation, pinned=pinned, latest_max_age=service.settings.latest_max_age)


def cached_page(
    request: Request,
    page: str,
    lang: Lang,
    build: Callable[[StatisticsService, ReleaseInfo | None], Representation],
) -> Response:
    """A page for people that shows both the latest release and the published figures, made by
    `build(service, latest)` and cached until either changes: figures are corrected by a data migration
    while instances keep serving, with no new release."""
    check_params(request, {"lang"})
    service = stats_service(request)
    latest = service.catalog.get("latest")
    figures = hashlib.sha256(orjson.dumps(read_figures(service.engine))).hexdigest()[:16]
    key = (page, latest.id if latest else None, figures, lang)
    return cached_response(request, service, key, lambda: build(service, latest))


def html_headers(policy: str, lang: Lang) -> dict[str, str]:
    """The headers of every HTML page: its own Content-Security-Policy, and its language."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Content-Language": lang,
    }


HTML_PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}},
    400: ERROR_RESPONSES[400],
    "default": {"description": "Any other error, as problem+json.", "content": {PROBLEM_JSON: {}}},
}
"""The documented answers of a page for people (the landing page, the gallery, a chart page)."""
HTML_PAGE_ROUTE: dict[str, Any] = {"response_class": HTMLResponse, "responses": HTML_PAGE_RESPONSES}
"""How a page for people is documented: `@router.get(path, summary=..., **HTML_PAGE_ROUTE)`."""
PageLang = Annotated[Lang, Query(description="Language of the page: en, be (Belarusian) or ru (Russian).")]
ReleaseParam = Annotated[
    str,
    Path(
        description="`latest` or a release id from /v1/releases.",
        examples=["latest", "demo-2026-03"],
        pattern=RELEASE_PATTERN,
    ),
]
"""The `{release}` of a path: checked against the pattern the document states (400 otherwise)."""
NOT_MODIFIED: dict[str, Any] = {"description": "Not modified (the `If-None-Match` ETag matches)."}


def public_base(request: Request) -> str:
    """The service's public address (PUBLIC_BASE_URL), where every absolute URL it writes starts: never
    the request's Host, which a client chooses (api/middleware/hosts.py)."""
    settings: Settings = request.app.state.settings
    return settings.effective_public_base_url


RENDERERS_BUSY: dict[str, Any] = {
    "description": "Every chart renderer is busy (nothing queues): try again after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    "content": problem_content(503),
}


def cacheable_responses(
    media_type: str, description: str, *, drawn: bool = False
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of a route that answers one media type with an ETag: 200, 304, errors;
    `drawn` when a miss draws the chart (api/render/pool.py), which may be refused with 503."""
    ok = {"description": description, "content": {media_type: {}}}
    return {200: ok, 304: NOT_MODIFIED, **ERROR_RESPONSES, **({503: RENDERERS_BUSY} if drawn else {})}


def check_params(request: Request, allowed: Iterable[str]) -> None:
    """400 for any parameter the endpoint does not take, or one given twice."""
    names = set(allowed)
    for name in request.query_params:
        if name not in names:
            raise bad_parameter(name, "unknown", sorted(names))
        if len(request.query_params.getlist(name)) > 1:
            raise bad_parameter(name, "twice")


def choice(request: Request, name: str, allowed: Sequence[str], default: str | None = None) -> str | None:
    value = request.query_params.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise bad_parameter(name, "not_allowed", list(allowed), value=value[:64])
    return value


def json_body(data: Any, meta: dict[str, Any], links: dict[str, Any]) -> Representation:
    return Representation(orjson.dumps({"data": data, "meta": meta, "links": links}), "application/json")


CSV_OPTIONS = ("bom", "sep")
"""Parameters every CSV takes besides `format`: a byte-order mark, the separator."""
CSV_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "Representation: json (default) or csv; `Accept: text/csv` also chooses CSV.",
        "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
    },
    {
        "name": "bom",
        "in": "query",
        "required": False,
        "description": "CSV only: start with a UTF-8 byte-order mark so Excel shows Cyrillic text.",
        "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
    },
    {
        "name": "sep",
        "in": "query",
        "required": False,
        "description": "CSV only: the separator, `,` (default) or `;` (for the Excel of locales that use a "
        "decimal comma). Give it as `sep=%3B`.",
        "schema": {"type": "string", "enum": list(SEPARATORS), "default": ","},
    },
]
"""The OpenAPI description of `format`, `bom` and `sep` on the routes that answer JSON or CSV."""
JSON_OR_CSV_ROUTE: dict[str, Any] = {
    "responses": JSON_OR_CSV_RESPONSES,
    "openapi_extra": {"parameters": CSV_PARAMETERS},
}
"""How a route answering JSON or CSV is documented: `@router.get(path, summary=..., **JSON_OR_CSV_ROUTE)`."""


def csv_options(request: Request) -> tuple[str, bool]:
    """The request's `sep` and `bom`, checked whatever the format (a bad value is a 400 problem)."""
    sep = choice(request, "sep", SEPARATORS, ",") or ","
    return sep, choice(request, "bom", ("true", "false"), "false") == "true"


def csv_body(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    filename: str,
    options: tuple[str, bool] = (",", False),
) -> Representation:
    """Rows as CSV; `options` are the separator and whether to start with a byte-order mark."""
    sep, bom = options
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    text = buffer.getvalue()
    return Representation(
        (("\ufeff" + text) if bom else text).encode("utf-8"),
        "text/csv; charset=utf-8",
        {"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_requested(request: Request) -> bool:
    return wants_csv(request.headers.get("accept", ""), choice(request, "format", ("json", "csv")))


def query_params(request: Request) -> Params:
    """The request's query, for the HTTP-free parser (`api.query.parse_query`)."""
    return Params(request.query_params.multi_items(), request.headers.get("accept", ""))


def add_generated_route(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Response],
    *,
    name: str,
    summary: str,
    description: str,
    responses: dict[int | str, dict[str, Any]],
    parameters: list[dict[str, Any]],
) -> None:
    """Register a GET route made in a loop (one per statistic or chart): its description is its
    docstring too, and its query parameters, which it reads from the request, are documented here."""
    endpoint.__doc__ = description
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        summary=summary,
        description=description,
        name=name,
        response_class=Response,
        responses=responses,
        openapi_extra={"parameters": parameters},
    )
