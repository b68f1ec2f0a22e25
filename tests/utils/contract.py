"""The failures `schemathesis run --checks all` may report over openapi/openapi.json and still pass.

Loaded as schemathesis hooks (schemathesis.toml names this module). Each failure dropped here is an
answer the document describes in words because OpenAPI cannot state it as a schema; every other
failure of every check is kept:

* a 400 problem of type `/problems/too-many-dimensions` or `/problems/conflicting-parameters` to a
  request whose parameters are each valid: rules across parameters (at most two dimensions, a filter
  not also a split, `from` not after `to`), stated in the parameters' descriptions;
* a 414 problem to a URL longer than the limit (a length in bytes of the whole URL, which no
  parameter's schema bounds), documented on every operation;
* a 501 from /oembed for a `format` other than json, as oEmbed 1.0 (2.3.3) requires.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData, Failure, ServerError
from schemathesis.openapi.checks import RejectedPositiveData

from api.problems import CONFLICTING_PARAMETERS
from api.settings import Settings

ACROSS_PARAMETERS = {"/problems/too-many-dimensions", CONFLICTING_PARAMETERS}
MAX_URL_LENGTH = int(Settings.model_fields["max_url_length"].default)


@schemathesis.hook
def filter_failure(context: Any, failure: Failure, case: Any, response: Any) -> bool:
    """Keep a failure unless it is one of the documented answers above."""
    return not documented_answer(failure, response.status_code, str(response.request.url), response)


def documented_answer(failure: Failure, status: int, url: str, response: Any) -> bool:
    parts = urlsplit(url)
    if status == 400 and isinstance(failure, RejectedPositiveData):
        return _problem_type(response) in ACROSS_PARAMETERS
    if status == 414 and isinstance(failure, RejectedPositiveData | AcceptedNegativeData):
        return len(parts.path) + len(parts.query) > MAX_URL_LENGTH
    if status == 501 and isinstance(failure, ServerError) and parts.path == "/oembed":
        return bool(parse_qs(parts.query).get("format", ["json"]) != ["json"])
    return False


def _problem_type(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("type") if isinstance(body, dict) else None
