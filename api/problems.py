"""RFC 9457 problem details: the one shape of every error the API returns."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Scope, Send

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    # The `type` of every problem the API answers with, `/problems/<name>`: (title, what it means and
    # what to do). Each is a page for people (api/routes/problem_types.py); a test finds every type the
    # code raises here.
    "invalid-parameter": (
        "Invalid query parameter",
        "A query parameter is unknown to this endpoint, given twice, or has a value it does not accept. "
        "The problem's `parameter` names it and `invalid-params` lists the allowed values when there is a "
        "list. Fix that parameter and ask again.",
    ),
    "too-many-dimensions": (
        "Too many dimensions",
        "The query combines more dimensions (filters and `by` together) than the endpoint allows. Small "
        "cells of a finely split table could point at a person, so the API limits how finely a table is "
        "split. Drop a filter or a `by` dimension.",
    ),
    "conflicting-parameters": (
        "Conflicting parameters",
        "Each parameter is valid on its own, but together they are not: a filter that is also the "
        "split (`by`), `from` after `to`, or a dimension named twice. The problem's `detail` says "
        "which; drop or change one of them.",
    ),
    "bad-host": (
        "Bad host",
        "The request named more than one `Host`, or a host this service does not answer for. Ask "
        "again at the service's public address, with one `Host` header.",
    ),
    "client-busy": (
        "Too many drawings at once",
        "This client already has as many charts being drawn as it may have at once. Wait for them, "
        "or for the seconds in `Retry-After`, and ask again; answers already drawn are not limited.",
    ),
    "renderers-busy": (
        "Chart drawing busy",
        "Every chart drawing worker is busy. Nothing is queued: ask again after the seconds in "
        "`Retry-After`. Tables (JSON, CSV, XLSX) are not affected.",
    ),
    "unknown-release": (
        "Unknown release",
        "No dataset release has this id. Use `latest` or an id listed at /v1/releases.",
    ),
    "not-published": (
        "Not in the publication",
        "The query is valid, but the release's publication holds no table for it: the release was "
        "published before this query was offered. Ask a newer release, or fewer parameters.",
    ),
    "unknown-table": (
        "Unknown table",
        "The release publishes no table by this name. Its tables are listed at "
        "/v1/releases/{release}/tables.",
    ),
    "unknown-series": (
        "Unknown series",
        "No published series has this key. They are listed at /v1/figures/series.",
    ),
    "unknown-chart": (
        "Unknown chart",
        "No chart has this name. The charts are listed at /charts (for people) and /v1/charts (JSON).",
    ),
    "unknown-chart-url": (
        "Unknown chart URL",
        "The oEmbed `url` is not the address of one of this service's charts or embed pages. The charts "
        "are listed at /v1/charts.",
    ),
    "embed-does-not-fit": (
        "The chart does not fit",
        "oEmbed cannot answer an iframe within the consumer's `maxwidth` and `maxheight`: the problem's "
        "`parameter` names the one too small, and `height` and `width` say what the chart needs at its "
        "narrowest. Allow that much, or show a link to the chart.",
    ),
    "uri-too-long": (
        "URI too long",
        "The request's URL is longer than the service accepts. No query of this API needs one so long.",
    ),
    "rate-limited": (
        "Too many requests",
        "This client sent more requests than the service allows in a short time. Wait the number of "
        "seconds in the `Retry-After` header, then ask again; release-pinned URLs may be cached forever.",
    ),
    "database-unavailable": (
        "Database unavailable",
        "The service cannot reach its database for a moment. Try again after `Retry-After` seconds.",
    ),
    "not-ready": (
        "Not ready",
        "The instance is starting, or its database is unreachable or not yet migrated to the code's "
        "version. Load balancers use this answer of /readyz to send readers elsewhere.",
    ),
}


class InvalidParam(BaseModel):
    name: str = Field(description="The query parameter.")
    reason: str = Field(description="What is wrong with it.")
    allowed: list[str] | None = Field(
        default=None, description="The values it may take, when there is a list."
    )


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of the API is answered."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(
        description="URI reference of the problem type, a page that explains it (all are listed at "
        "/problems); `about:blank` for plain HTTP errors."
    )
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong in this request, for a human.")
    instance: str | None = Field(default=None, description="The path of the request.")
    parameter: str | None = Field(default=None, description="The query parameter at fault, if one is.")
    invalid_params: list[InvalidParam] | None = Field(default=None, alias="invalid-params")


PROBLEM_SCHEMA = Problem.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
PROBLEM_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "type": "/problems/invalid-parameter",
        "title": "Invalid query parameter",
        "status": 400,
        "detail": "Query parameter 'gender': 'woman' is not an allowed value. "
        "Allowed values: female, male, unknown",
        "instance": "/v1/stats/breakdown",
        "parameter": "gender",
        "invalid-params": [
            {
                "name": "gender",
                "reason": "'woman' is not an allowed value",
                "allowed": ["female", "male", "unknown"],
            }
        ],
    },
    404: {
        "type": "/problems/unknown-release",
        "title": "Unknown release",
        "status": 404,
        "detail": "No release '2019-01'. Known releases: demo-2026-03.",
        "instance": "/v1/stats/summary",
        "parameter": "release",
    },
}


def problem_content(status: int) -> dict[str, Any]:
    """OpenAPI `content` of a problem response: the schema and an example."""
    content: dict[str, Any] = {"schema": _inline(PROBLEM_SCHEMA)}
    if status in PROBLEM_EXAMPLES:
        content["example"] = PROBLEM_EXAMPLES[status]
    return {PROBLEM_JSON: content}


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its `$defs` resolved in place, so it can sit inline in an OpenAPI operation."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


RETRY_AFTER_SECONDS = 5
log = logging.getLogger("api.problems")


class ProblemError(Exception):
    """Raise anywhere to answer with a problem; `parameter` names the bad query parameter, if any."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        problem_type: str = "about:blank",
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.problem_type = problem_type
        self.parameter = parameter
        self.headers = headers or {}
        self.extra = extra or {}


def database_unavailable(detail: str = "The database is not answering. Try again shortly.") -> ProblemError:
    """503 with Retry-After: what every database error or timeout answers (never 500: it passes)."""
    return ProblemError(
        503,
        detail,
        problem_type="/problems/database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


CONFLICTING_PARAMETERS = "/problems/conflicting-parameters"
"""Each parameter is valid alone, their combination is not (a filter also a split, `from` after `to`):
rules across parameters, which an OpenAPI document cannot state, so its operations' texts do."""


def conflicting_parameters(name: str, reason: str) -> ProblemError:
    """A 400 problem about parameters that are each valid but may not be combined; `name` is one of them."""
    problem = bad_parameter(name, reason)
    problem.title, problem.problem_type = "Conflicting query parameters", CONFLICTING_PARAMETERS
    return problem


def bad_parameter(name: str, reason: str, allowed: list[str] | None = None) -> ProblemError:
    """A 400 problem about one query parameter, listing the allowed values when there is a list."""
    detail = f"Query parameter '{name}': {reason}"
    if allowed:
        detail += ". Allowed values: " + ", ".join(allowed)
    invalid = {"name": name, "reason": reason} | ({"allowed": allowed} if allowed else {})
    return ProblemError(
        400,
        detail,
        title="Invalid query parameter",
        problem_type="/problems/invalid-parameter",
        parameter=name,
        extra={"invalid-params": [invalid]},
    )


def problem_response(problem: ProblemError, instance: str | None = None) -> Response:
    body: dict[str, Any] = {
        "type": problem.problem_type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if instance:
        body["instance"] = instance
    if problem.parameter:
        body["parameter"] = problem.parameter
    body.update(problem.extra)
    return Response(
        orjson.dumps(body), status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers
    )


async def send_problem(
    send: Send, scope: Scope, status: int, title: str, detail: str, kind: str, retry: int | None = None
) -> None:
    """Answer a problem from pure ASGI middleware, before any route (and its handlers) runs."""
    body = orjson.dumps(
        {"type": kind, "title": title, "status": status, "detail": detail, "instance": scope["path"][:200]}
    )
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if retry is not None:
        headers.append((b"retry-after", str(retry).encode()))
    # The edge middleware adds the security headers and the request id, as to every answer.
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def unexpected_problem(path: str) -> Response:
    """Log the exception being handled, with its traceback, and the 500 problem that answers it (no trace)."""
    log.exception("unhandled error on %s", path)
    return problem_response(ProblemError(500, "An unexpected error occurred."), path)


def _validation_problem(error: RequestValidationError) -> ProblemError:
    invalid = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        name = location[-1] if len(location) > 1 else ".".join(location)
        invalid.append(
            {"name": name, "in": location[0] if location else "query", "reason": item.get("msg", "")}
        )
    first = invalid[0] if invalid else {"name": "request", "reason": "invalid"}
    return ProblemError(
        400,
        f"Parameter '{first['name']}': {first['reason']}",
        title="Invalid query parameter",
        problem_type="/problems/invalid-parameter",
        parameter=first["name"],
        extra={"invalid-params": invalid},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Every error, expected or not, leaves the app as problem+json and never with a stack trace."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc, request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.url.path}. The index of the API is at /v1."
        problem = ProblemError(exc.status_code, detail, headers=dict(exc.headers or {}))
        return problem_response(problem, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc), request.url.path)

    async def on_database(request: Request, exc: Exception) -> Response:
        # Connection refused or timed out, statement cancelled, no pooled connection free in time...
        log.warning("database unavailable: %s", exc.__class__.__name__)
        return problem_response(database_unavailable(), request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Reached only by an error outside the edge middleware, which answers the app's own (edge.py).
        return unexpected_problem(request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(SQLAlchemyError, on_database)
    app.add_exception_handler(Exception, on_unexpected)
