"""Real published figures with their citations, and the reference lists of articles and regions."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from api.dataset import files
from api.deps import EngineDep, SettingsDep
from api.models import ARTICLE, FIGURE, REGION
from api.problems import bad_parameter
from api.responses import respond
from api.routes.common import (
    CSV_OPTIONS,
    JSON_OR_CSV_ROUTE,
    check_params,
    choice,
    csv_body,
    csv_options,
    csv_requested,
    json_body,
)

router = APIRouter(prefix="/v1", tags=["Published figures and reference lists"])

_DATE_PREFIX = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
FIGURES_META = {
    "synthetic": False,
    "description": "Figures published by the Human Rights Centre Viasna and the press, one row per figure, "
    "each with its date, qualifier and citation. Real data; conflicting figures are kept side by side.",
    "licence": {"name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "citation": "Political prisoners in Belarus open data, published-figures table. Figures as published by "
    "the sources named in each row. Licence: CC-BY-4.0.",
}


def _date_param(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and not _DATE_PREFIX.fullmatch(value):
        raise bad_parameter(name, "not_date", value=value[:64])
    return value


def date_range(request: Request) -> tuple[str | None, str | None]:
    """`from` and `to` (YYYY, YYYY-MM or YYYY-MM-DD), checked: a bad one is a 400 problem naming it."""
    low, high = _date_param(request, "from"), _date_param(request, "to")
    if low and high and low > high:
        raise bad_parameter("from", "after", value=low, to=high)
    return low, high


def within(as_of: str, low: str | None, high: str | None) -> bool:
    """Whether a figure's date lies in the range, compared on the figure's own precision."""
    return (low is None or as_of >= low[: len(as_of)]) and (high is None or as_of[: len(high)] <= high)


@router.get(
    "/figures",
    summary="Published figures with their citations",
    **JSON_OR_CSV_ROUTE,
)
def figures(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    """Every figure in the published-figures table, filterable by `key` and by the `as_of` date
    (`from`, `to`: YYYY, YYYY-MM or YYYY-MM-DD, compared on the figure's own precision). Never synthetic."""
    check_params(request, {"key", "from", "to", "format", *CSV_OPTIONS})
    options = csv_options(request)
    key = choice(request, "key", figure_keys(settings.dataset_dir))
    low, high = date_range(request)
    query = select(FIGURE).order_by(FIGURE.c.as_of, FIGURE.c.figure_id)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    rows = [row for row in rows if (key is None or row["key"] == key) and within(row["as_of"], low, high)]
    columns = [c.name for c in FIGURE.columns]
    if csv_requested(request):
        representation = csv_body(rows, columns, "published_figures.csv", options)
    else:
        links = {"self": str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")}
        representation = json_body(rows, {**FIGURES_META, "count": len(rows)}, links)
    return respond(request, representation, pinned=False, latest_max_age=settings.latest_max_age)


@lru_cache(maxsize=4)
def figure_keys(dataset_dir: Path) -> tuple[str, ...]:
    """The controlled vocabulary of `key`, from the published-figures Table Schema."""
    schema = files.schema_for(dataset_dir, files.FIGURES.name)
    field = next(f for f in schema["fields"] if f["name"] == "key")
    return tuple(field["constraints"]["enum"])


def _reference(request: Request, engine: EngineDep, max_age: int, table: Any, filename: str) -> Response:
    check_params(request, {"format", *CSV_OPTIONS})
    options = csv_options(request)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(select(table))]
    columns = [c.name for c in table.columns]
    if csv_requested(request):
        representation = csv_body(rows, columns, filename, options)
    else:
        representation = json_body(rows, {"count": len(rows)}, {"self": str(request.url.path)})
    return respond(request, representation, pinned=False, latest_max_age=max_age)


@router.get(
    "/articles",
    summary="Criminal-code articles, titled in English, Belarusian and Russian",
    **JSON_OR_CSV_ROUTE,
)
def articles(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    """The articles of the Criminal Code of the Republic of Belarus the statistics use (`other`: the rest).
    `title_status` says which titles still need checking against the official text."""
    return _reference(request, engine, settings.latest_max_age, ARTICLE, "articles.csv")


@router.get(
    "/regions",
    summary="Regions by ISO 3166-2:BY code, named in English, Belarusian and Russian",
    **JSON_OR_CSV_ROUTE,
)
def regions(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    """The six regions (voblasts) and Minsk city, by ISO 3166-2:BY code, plus `unknown`."""
    return _reference(request, engine, settings.latest_max_age, REGION, "regions.csv")
