"""RFC 9457 problem details: the one shape of every error the API returns."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"
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
        log.warning("database unavailable: %s", exc.__class__.__name__)
        problem = ProblemError(
            503,
            "The database is not reachable. Try again shortly.",
            problem_type="/problems/database-unavailable",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
        return problem_response(problem, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(ProblemError(500, "An unexpected error occurred."), request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(OperationalError, on_database)
    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(Exception, on_unexpected)
