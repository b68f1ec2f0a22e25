"""Downloads of a release: its published tables as CSV and XLSX, and the whole release as one ZIP to cite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.types import DecoratedCallable
from starlette.responses import Response

from api import downloads
from api.labels import Lang
from api.paths import DATASET_DIR
from api.problems import PROBLEM_JSON, ProblemError
from api.query import XLSX_TYPE
from api.render.provenance import meta
from api.responses import Representation, respond
from api.routes.common import ReleaseParam, cacheable_responses, check_params, json_body, stats_service
from api.stats.dimensions import vocabularies
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService
from api.stats.tables import TableSpec, published_tables
from api.translations import Sentence

router = APIRouter(prefix="/v1/releases", tags=["Downloads"])
SNAPSHOT_MAX_AGE = 86400
OTHER_ERRORS = {"description": "Any other error (e.g. 503), as problem+json.", "content": {PROBLEM_JSON: {}}}

_DOC_TABLES = [spec.name for spec in published_tables(vocabularies(DATASET_DIR).enums["sentence_kind"])]
LangParam = Annotated[
    Lang, Query(description="Language of labels (and of the demonstration mark): en, be or ru.")
]
BomParam = Annotated[
    Literal["true", "false"],
    Query(description="CSV only: start with a UTF-8 byte-order mark so Excel shows Cyrillic labels."),
]
SepParam = Annotated[
    Literal[",", ";"],
    Query(
        description="CSV only: the separator, `,` (default) or `;` (for the Excel of locales that use a "
        "decimal comma; decimals are then written with a comma). Give it as `sep=%3B`."
    ),
]
TableParam = Annotated[
    str,
    Path(
        description="Name of a published table, as listed by /v1/releases/{release}/tables.",
        json_schema_extra={"enum": _DOC_TABLES},
        examples=["breakdown-by-gender-and-region"],
    ),
]


def _ok(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        **cacheable_responses(media_type, description),
        "default": OTHER_ERRORS,
    }


def _file_route(
    path: str, summary: str, media_type: str, description: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """The route of one file of a release, documented as that media type, cacheable, with the errors of
    any download (`response_class=Response`: the body is already bytes, not a model to validate)."""
    return router.get(path, summary=summary, response_class=Response, responses=_ok(media_type, description))


def _resolve(
    request: Request, release: str, allowed: frozenset[str] = frozenset()
) -> tuple[StatisticsService, ReleaseInfo]:
    check_params(request, allowed)
    service = stats_service(request)
    return service, service.release(release)


def _send(request: Request, service: StatisticsService, release: str, body: Representation) -> Response:
    return respond(request, body, pinned=release != "latest", latest_max_age=service.settings.latest_max_age)


def _send_snapshot(
    request: Request, service: StatisticsService, release: str, body: Representation
) -> Response:
    """The ZIP and its descriptor also carry files that are not part of the release (the published
    figures, the methodology, the changelog), which may be corrected later: clients revalidate them
    daily (a cheap 304 while the ETag holds) instead of keeping them forever like the tables."""
    max_age = service.settings.latest_max_age if release == "latest" else SNAPSHOT_MAX_AGE
    return respond(request, body, pinned=False, latest_max_age=max_age)


@router.get(
    "/{release}/tables",
    summary="The published tables of a release, each with its CSV",
    responses=_ok("application/json", "The list of tables, with provenance."),
)
def list_tables(request: Request, release: ReleaseParam) -> Response:
    """Every aggregate table the statistics API publishes with its default parameters: the summary, the
    number in custody overall and by each dimension, the monthly flows, the sentence lengths of each kind
    of sentence overall and by each dimension, every breakdown by one or two dimensions, and the people
    in custody now and the people released by two of gender, age band, region, article. `csv` and
    `xlsx` are the table's files; `api` the statistics query that answers with the CSV's bytes."""
    service, info = _resolve(request, release)
    data = [
        {
            "name": spec.name,
            "title": spec.title,
            "statistic": spec.statistic,
            "by": list(spec.by),
            "sentence_kind": spec.sentence_kind,
            "part": spec.part,
            "population": spec.population,
            "csv": f"/v1/releases/{info.id}/tables/{spec.name}.csv",
            "xlsx": f"/v1/releases/{info.id}/tables/{spec.name}.xlsx",
            "api": spec.api_path(info.id),
        }
        for spec in downloads.tables(service)
    ]
    k, min_group = service.settings.suppression_threshold, service.settings.min_group_size
    links = {"self": f"/v1/releases/{release}/tables", **info.links()}
    body = json_body(data, meta(info, None, k, min_group) | {"count": len(data)}, links)
    return _send(request, service, release, body)


@_file_route(
    "/{release}/tables/{table}.csv",
    "One published table as CSV",
    "text/csv",
    "The table: UTF-8 CSV with a header row, suppressed counts empty and flagged.",
)
def table_csv(
    request: Request,
    release: ReleaseParam,
    table: TableParam,
    lang: LangParam = "en",
    bom: BomParam = "false",
    sep: SepParam = ",",
) -> Response:
    """One table, byte for byte the CSV of its statistics query with the same `lang`, `bom` and `sep`.
    The `Link` header points to `datapackage.json`, which holds the table's schema."""
    service, info = _resolve(request, release, frozenset({"lang", "bom", "sep"}))
    spec = _table(service, info, table)
    body = downloads.table_representation(service, info, spec, lang, bom == "true", sep)
    return _send(request, service, release, body)


@_file_route(
    "/{release}/tables/{table}.xlsx",
    "One published table as an Excel workbook",
    XLSX_TYPE,
    "The table's rows, typed, on a first sheet; its provenance on a second.",
)
def table_xlsx(
    request: Request, release: ReleaseParam, table: TableParam, lang: LangParam = "en"
) -> Response:
    """One table as XLSX: on the `data` sheet the CSV's columns under a frozen header (numbers as numbers,
    a suppressed count empty with `suppressed` true, the demonstration mark in every row of a synthetic
    release); on the `about` sheet the release, its date, sources, licence, disclosure control and, for
    a synthetic release, the demonstration mark first."""
    service, info = _resolve(request, release, frozenset({"lang"}))
    spec = _table(service, info, table)
    return _send(
        request, service, release, downloads.table_workbook_representation(service, info, spec, lang)
    )


def _table(service: StatisticsService, info: ReleaseInfo, table: str) -> TableSpec:
    spec = downloads.find_table(service, table)
    if spec is None:
        raise ProblemError(
            404,
            Sentence("problem.unknown_table", {"table": table[:64], "release": info.id}),
            problem_type="/problems/unknown-table",
            parameter="table",
        )
    return spec


@_file_route(
    "/{release}/download.zip",
    "The whole release in one ZIP: tables, datapackage.json, README, citation, methodology",
    "application/zip",
    "The ZIP (the file name names the release).",
)
def download_zip(
    request: Request, release: ReleaseParam, bom: BomParam = "false", sep: SepParam = ","
) -> Response:
    """Every published table as CSV, the published figures, a Frictionless `datapackage.json` (one resource
    per CSV with its Table Schema), `README.md` (what is inside, definitions, how to cite), `CITATION.cff`,
    the methodology and the changelog. No record-level data. The bytes depend only on the data, so every
    instance serves the same ETag. A synthetic release says so in every file. `bom=true` starts every CSV
    with a UTF-8 byte-order mark, so Excel shows the Cyrillic labels; `sep=;` writes every CSV (the
    figures too) with semicolons and decimal commas, and `datapackage.json` declares it (each resource's
    `dialect`, `decimalChar` on number fields), as does the README."""
    service, info = _resolve(request, release, frozenset({"bom", "sep"}))
    options = downloads.CsvOptions(bom=bom == "true", sep=sep)
    return _send_snapshot(request, service, release, downloads.archive(service, info, options))


@_file_route(
    "/{release}/datapackage.json",
    "The Frictionless Data Package descriptor of a release's download",
    "application/json",
    "datapackage.json, as in the ZIP.",
)
def datapackage(request: Request, release: ReleaseParam) -> Response:
    """The `datapackage.json` of the ZIP: name, title, version (the release id), licence, sources,
    contributors, the synthetic flag, and each CSV's Table Schema, size and SHA-256."""
    service, info = _resolve(request, release)
    body = downloads.archived_file(service, info, "datapackage.json", "application/json")
    return _send_snapshot(request, service, release, body)


@_file_route(
    "/{release}/CITATION.cff",
    "How to cite a release (Citation File Format)",
    "text/plain",
    "CITATION.cff, as in the ZIP.",
)
def citation(request: Request, release: ReleaseParam) -> Response:
    """`CITATION.cff` (CFF 1.2.0) of the release: title, version, date, licence, authors, abstract."""
    service, info = _resolve(request, release)
    body = downloads.archived_file(service, info, "CITATION.cff", "text/plain; charset=utf-8")
    return _send(request, service, release, body)
