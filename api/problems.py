"""RFC 9457 problem details: the one shape of every error the API returns."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Scope, Send

from api.translations import Lang, Sentence, has_text, preferred_lang, text, words

PROBLEM_JSON = "application/problem+json"
PROBLEM_EXPLANATIONS: dict[str, str] = {
    # What every problem `type` the API answers with, `/problems/<name>`, means and what to do. Each is
    # a page for people (api/routes/problem_types.py); a test finds every type the code raises here. The
    # titles are in the catalogue (`problem.title.<name>`), in each language, as problems carry them.
    "invalid-parameter": (
        "A query parameter is unknown to this endpoint, given twice, or has a value it does not accept. "
        "The problem's `parameter` names it and `invalid-params` lists the allowed values when there is a "
        "list. Fix that parameter and ask again."
    ),
    "too-many-dimensions": (
        "The query combines more dimensions (filters and `by` together) than the endpoint allows. Small "
        "cells of a finely split table could point at a person, so the API limits how finely a table is "
        "split. Drop a filter or a `by` dimension."
    ),
    "conflicting-parameters": (
        "Each parameter is valid on its own, but together they are not: a filter that is also the "
        "split (`by`), `from` after `to`, or a dimension named twice. The problem's `detail` says "
        "which; drop or change one of them."
    ),
    "bad-host": (
        "The request named more than one `Host`, or a host this service does not answer for. Ask "
        "again at the service's public address, with one `Host` header."
    ),
    "client-busy": (
        "This client already has as many charts being drawn as it may have at once. Wait for them, "
        "or for the seconds in `Retry-After`, and ask again; answers already drawn are not limited."
    ),
    "renderers-busy": (
        "Every chart drawing worker is busy. Nothing is queued: ask again after the seconds in "
        "`Retry-After`. Tables (JSON, CSV, XLSX) are not affected."
    ),
    "unknown-release": ("No dataset release has this id. Use `latest` or an id listed at /v1/releases."),
    "not-published": (
        "The query is valid, but the release's publication holds no table for it: the release was "
        "published before this query was offered. Ask a newer release, or fewer parameters."
    ),
    "unknown-table": (
        "The release publishes no table by this name. Its tables are listed at /v1/releases/{release}/tables."
    ),
    "unknown-series": ("No published series has this key. They are listed at /v1/figures/series."),
    "unknown-chart": (
        "No chart has this name. The charts are listed at /charts (for people) and /v1/charts (JSON)."
    ),
    "unknown-chart-url": (
        "The oEmbed `url` is not the address of one of this service's charts or embed pages. The charts "
        "are listed at /v1/charts."
    ),
    "embed-does-not-fit": (
        "oEmbed cannot answer an iframe within the consumer's `maxwidth` and `maxheight`: the problem's "
        "`parameter` names the one too small, and `height` and `width` say what the chart needs at its "
        "narrowest. Allow that much, or show a link to the chart."
    ),
    "uri-too-long": (
        "The request's URL is longer than the service accepts. No query of this API needs one so long."
    ),
    "rate-limited": (
        "This client sent more requests than the service allows in a short time. Wait the number of "
        "seconds in the `Retry-After` header, then ask again; release-pinned URLs may be cached forever."
    ),
    "database-unavailable": (
        "The service cannot reach its database for a moment. Try again after `Retry-After` seconds."
    ),
    "not-ready": (
        "The instance is starting, or its database is unreachable or not yet migrated to the code's "
        "version. Load balancers use this answer of /readyz to send readers elsewhere."
    ),
}


class InvalidParam(BaseModel):
    name: str = Field(description="The query parameter.")
    reason: str = Field(description="What is wrong with it.")
    allowed: list[str] | None = Field(
        default=None, description="The values it may take, when there is a list."
    )


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of the API is answered. `title`, `detail` and the
    `reason`s are in the request's `lang` (en, be, ru) or, without one, in the language its
    `Accept-Language` prefers, English by default (`Content-Language` says which); `type`,
    `parameter` and the `name`s stay as they are, for programs."""

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
    """Raise anywhere to answer with a problem; `parameter` names the bad query parameter, if any.

    `detail` is a `Sentence` of the catalogue, put into words in the request's language when the answer
    is made (a plain string is the framework's or an operator's words, left in English)."""

    def __init__(
        self,
        status: int,
        detail: Sentence | str,
        *,
        problem_type: str = "about:blank",
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(words(detail, "en"))
        self.status = status
        self.detail = detail
        self.problem_type = problem_type
        self.parameter = parameter
        self.headers = headers or {}
        self.extra = extra or {}


def problem_title(status: int, problem_type: str, lang: Lang) -> str:
    """A problem type's title, or for `about:blank` the status's phrase (in English for a status the
    API never answers by itself, which the framework alone could)."""
    key = f"problem.title.{problem_type.removeprefix('/problems/')}"
    if not problem_type.startswith("/problems/"):
        key = f"problem.status.{status}"
    return text(key, lang) if has_text(key) else HTTPStatus(status).phrase


def problem_lang(scope: Scope) -> Lang:
    """The language of a problem's words: `lang=` of the request, as pages and tables choose theirs, or
    else `Accept-Language`, so that endpoints without `lang` answer their errors in it too."""
    lang = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
    accept = next((value for name, value in scope["headers"] if name == b"accept-language"), b"")
    return preferred_lang(lang, accept.decode("latin-1"))


def database_unavailable() -> ProblemError:
    """503 with Retry-After: what every database error or timeout answers (never 500: it passes)."""
    return ProblemError(
        503,
        Sentence("problem.database"),
        problem_type="/problems/database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


CONFLICTING_PARAMETERS = "/problems/conflicting-parameters"
"""Each parameter is valid alone, their combination is not (a filter also a split, `from` after `to`):
rules across parameters, which an OpenAPI document cannot state, so its operations' texts do."""


def conflicting_parameters(name: str, reason: str, **values: object) -> ProblemError:
    """A 400 problem about parameters that are each valid but may not be combined; `name` is one of them;
    `reason` the key of `problem.reason.<reason>` in the catalogue, filled from `values`."""
    problem = bad_parameter(name, reason, None, **values)
    problem.problem_type = CONFLICTING_PARAMETERS
    return problem


def bad_parameter(name: str, reason: str, allowed: list[str] | None = None, **values: object) -> ProblemError:
    """A 400 problem about one query parameter, listing the allowed values when there is a list; `reason`
    is the key of `problem.reason.<reason>` in the catalogue, filled from `values`."""
    why = Sentence(f"problem.reason.{reason}", values)
    detail = Sentence("problem.parameter", {"name": name, "reason": why})
    if allowed:
        detail = Sentence(
            "problem.parameter_allowed", {"name": name, "reason": why, "allowed": ", ".join(allowed)}
        )
    invalid = {"name": name, "reason": why} | ({"allowed": allowed} if allowed else {})
    return ProblemError(
        400,
        detail,
        problem_type="/problems/invalid-parameter",
        parameter=name,
        extra={"invalid-params": [invalid]},
    )


def problem_response(problem: ProblemError, scope: Scope) -> Response:
    """The problem+json answer to the request of `scope`, in its language (`Content-Language`)."""
    lang = problem_lang(scope)
    body: dict[str, Any] = {
        "type": problem.problem_type,
        "title": problem_title(problem.status, problem.problem_type, lang),
        "status": problem.status,
        "detail": words(problem.detail, lang),
        "instance": scope["path"][:200],
    }
    if problem.parameter:
        body["parameter"] = problem.parameter
    body.update({name: words(value, lang) for name, value in problem.extra.items()})
    headers = {**problem.headers, "Content-Language": lang, "Vary": "Accept-Language"}
    return Response(orjson.dumps(body), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


async def send_problem(send: Send, scope: Scope, problem: ProblemError) -> None:
    """Answer a problem from pure ASGI middleware, before any route (and its handlers) runs."""
    response = problem_response(problem, scope)
    # The edge middleware adds the security headers and the request id, as to every answer.
    await send(
        {"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers}
    )
    await send({"type": "http.response.body", "body": response.body})


def unexpected_problem(scope: Scope) -> Response:
    """Log the exception being handled, with its traceback, and the 500 problem that answers it (no trace)."""
    log.exception("unhandled error on %s", scope["path"])
    return problem_response(ProblemError(500, Sentence("problem.unexpected")), scope)


def _validation_problem(error: RequestValidationError) -> ProblemError:
    errors = error.errors()
    if errors and errors[0].get("type") == "literal_error":
        # A choice among words (a page's `lang`): the same problem as every other route's choices.
        first, allowed = errors[0], _quoted(str(errors[0].get("ctx", {}).get("expected", "")))
        if allowed and len(first.get("loc", ())) > 1:
            value = str(first.get("input", ""))[:64]
            return bad_parameter(str(first["loc"][-1]), "not_allowed", allowed, value=value)
    invalid = []
    for item in errors:
        location = [str(part) for part in item.get("loc", ())]
        name = location[-1] if len(location) > 1 else ".".join(location)
        invalid.append(
            {"name": name, "in": location[0] if location else "query", "reason": item.get("msg", "")}
        )
    first = invalid[0] if invalid else {"name": "request", "reason": "invalid"}
    # Pydantic's reasons stay English: they are its words, not ours.
    return ProblemError(
        400,
        Sentence("problem.validation", {"name": first["name"], "reason": first["reason"]}),
        problem_type="/problems/invalid-parameter",
        parameter=first["name"],
        extra={"invalid-params": invalid},
    )


def _quoted(expected: str) -> list[str]:
    """The values of pydantic's `'en', 'be' or 'ru'`."""
    return re.findall(r"'([^']*)'", expected)


def install_problem_handlers(app: FastAPI) -> None:
    """Every error, expected or not, leaves the app as problem+json and never with a stack trace."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc, request.scope)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        phrase = HTTPStatus(exc.status_code).phrase
        detail: Sentence | str = exc.detail if isinstance(exc.detail, str) else phrase
        if exc.status_code == 404 and detail == phrase:
            detail = Sentence("problem.no_resource", {"path": request.url.path})
        elif detail == phrase and has_text(f"problem.status.{exc.status_code}"):
            detail = Sentence(f"problem.status.{exc.status_code}")
        problem = ProblemError(exc.status_code, detail, headers=dict(exc.headers or {}))
        return problem_response(problem, request.scope)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc), request.scope)

    async def on_database(request: Request, exc: Exception) -> Response:
        # Connection refused or timed out, statement cancelled, no pooled connection free in time...
        log.warning("database unavailable: %s", exc.__class__.__name__)
        return problem_response(database_unavailable(), request.scope)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Reached only by an error outside the edge middleware, which answers the app's own (edge.py).
        return unexpected_problem(request.scope)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(SQLAlchemyError, on_database)
    app.add_exception_handler(Exception, on_unexpected)
