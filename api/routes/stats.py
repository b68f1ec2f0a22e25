"""Statistics endpoints under /v1/stats: thin — parse, compute through the service, represent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.paths import DATASET_DIR
from api.query import (
    SPECS,
    XLSX_TYPE,
    StatQuery,
    dimension_limit_text,
    openapi_parameters,
    parse_query,
)
from api.render.provenance import meta
from api.render.tabular import csv_columns, labelled_rows, to_csv
from api.render.workbook import table_workbook
from api.responses import Representation
from api.routes.common import (
    ERROR_RESPONSES,
    NOT_MODIFIED,
    add_generated_route,
    cached_response,
    query_params,
    stats_service,
)
from api.stats.dimensions import vocabularies
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult
from api.stats.service import StatisticsService

router = APIRouter(prefix="/v1/stats", tags=["Statistics"])

_DOC_LEVELS: dict[str, tuple[str, ...]] = {
    **vocabularies(DATASET_DIR).enums,
    "article": tuple(vocabularies(DATASET_DIR).articles),
    "status": ("in_custody", "released"),
}
ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["data", "meta", "links"],
    "properties": {
        "data": {
            "type": "array",
            "description": "One object per published cell; a suppressed count is null, `suppressed: true`.",
            "items": {"type": "object"},
        },
        "meta": {
            "type": "object",
            "description": "Provenance: release, as_of, synthetic, sources, licence, citation, threshold, "
            "suppressed_cells, notes.",
            "required": [
                "release",
                "as_of",
                "synthetic",
                "licence",
                "citation",
                "threshold",
                "suppressed_cells",
            ],
        },
        "links": {"type": "object", "description": "self, permalink (pinned to the release id) and csv."},
    },
}
OK_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The statistic as JSON (`data`, `meta`, `links`), CSV (one row per cell, with a "
        "`suppressed` column and the release's provenance columns `release`, `as_of`, `synthetic` and, for "
        "demonstration data, `data_note`) or XLSX (the CSV's rows, typed, and an `about` sheet: release, "
        "date, sources, licence, disclosure control, demonstration mark). CSV and XLSX are tidy: no "
        "`total` rows among the parts unless `totals=true`, flows in long rows (`month, event, kind, "
        "count, suppressed`), sentences one table per `part` (XLSX: a `quantiles` sheet after the "
        "histogram). Breakdowns and the summary add `share`: the count over the population's total "
        "(the summary: over its measure's total), 3 decimals, empty when either is hidden; so does "
        "`in-custody` split by a dimension, over that month's total.",
        "content": {
            "application/json": {"schema": ENVELOPE_SCHEMA},
            "text/csv": {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    304: NOT_MODIFIED,
}


_PROVENANCE_COLUMNS = "then `release`, `as_of`, `synthetic` and, for demonstration data, `data_note`"
_SPLIT = "each dimension of `by` (a code, then its `<dimension>_label` in `lang`)"
CSV_COLUMNS = {
    "summary": "`measure`, `category` (a part of the measure, or `total` with `totals=true`), `value`, "
    "`suppressed`, `share` (of the measure's total), `withheld_reason`",
    "in-custody": f"`month` (YYYY-MM), {_SPLIT}, `count`, `suppressed`, and with `by` `share` (of the "
    "month's total: those in custody at its end; empty when the count or the total is hidden)",
    "flows": "long (default): `month`, `event` (`recognized` or `released`), `event_label`, `kind` (how "
    "people were released; empty for recognitions; `total` only with `totals=true`), `kind_label`, "
    "`count`, `suppressed`. `shape=wide`: `month`, `recognized`, `recognized_suppressed`, then "
    "`released_<kind>` and `released_<kind>_suppressed` for each kind (`released_total` with "
    "`totals=true`)",
    "sentences": f"`part=histogram` (default): `bin_months`, {_SPLIT}, `count`, `suppressed`. "
    f"`part=quantiles`: {_SPLIT}, `suppressed` (of `n`), `statistic` (n, p10, p25, median, p75, p90, "
    "mean), `value` (months; `n` people), `withheld_reason`",
    "breakdown": f"{_SPLIT}, `count`, `suppressed`, `share` (of the population's total)",
    "held-before-release": f"`part=histogram` (default): `bin_months` (months held), {_SPLIT}, `count`, "
    f"`suppressed`. `part=quantiles`: {_SPLIT}, `suppressed` (of `n`), `statistic` (n, p10, p25, median, "
    "p75, p90, mean), `value` (months; `n` people), `withheld_reason`",
    "time-in-custody": f"`year`, {_SPLIT}, `person_years`, `person_years_suppressed`, `months` (of the year "
    "counted); without a dimension also `in_custody_detained` (in custody on the as-of date, detained that "
    "year), `in_custody_detained_suppressed`, `held_months_from`, `held_months_to` (how long they have "
    "been held)",
}
"""The columns of each statistic's CSV (and of its XLSX `data` sheet), for the OpenAPI document."""


def _ok_response(statistic: str) -> dict[int | str, dict[str, Any]]:
    """The documented 200 of one statistic: `OK_RESPONSE` with the columns of its CSV."""
    ok = dict(OK_RESPONSE[200])
    columns = f"Columns: {CSV_COLUMNS[statistic]}; {_PROVENANCE_COLUMNS}."
    ok["content"] = {**ok["content"], "text/csv": {"schema": {"type": "string", "description": columns}}}
    return {**OK_RESPONSE, 200: ok}


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _represent(request: Request, statistic: str) -> Response:
    service = stats_service(request)
    params = query_params(request)
    query = parse_query(params, SPECS[statistic], service.levels())
    release = service.release(query.release)
    pinned = query.release != "latest"
    key = (statistic, release.id, pinned, query.format, tuple(query.canonical_params(release.id)))
    return cached_response(
        request, service, key, lambda: _build(service, statistic, query, release.id), pinned=pinned
    )


def _filename(statistic: str, release: ReleaseInfo, extension: str) -> dict[str, str]:
    stem = f"{statistic}_{release.id}{'_synthetic' if release.synthetic else ''}"
    return {"Content-Disposition": f'attachment; filename="{stem}.{extension}"'}


def _csv(service: StatisticsService, statistic: str, query: StatQuery, release_id: str) -> Representation:
    release = service.release(release_id)
    result = service.table(statistic, query, release, "csv")
    rows = labelled_rows(result, service.vocab, query.lang)
    data = to_csv(rows, csv_columns(result), release, query.bom, query.lang, query.sep)
    return Representation(data, "text/csv; charset=utf-8", _filename(statistic, release, "csv"))


def _xlsx(service: StatisticsService, statistic: str, query: StatQuery, release_id: str) -> Representation:
    release = service.release(release_id)
    url = _url(f"/v1/stats/{statistic}", query.canonical_params(release.id))
    more: list[tuple[str, StatResult]] = []
    if statistic in ("sentences", "held-before-release") and query.part is None:
        # Two row shapes, two sheets: the histogram first (the CSV's default), the quantiles next.
        more.append(
            ("quantiles", service.table(statistic, replace(query, part="quantiles"), release, "xlsx"))
        )
        query = replace(query, part="histogram")
    result = service.table(statistic, query, release, "xlsx")
    limits = (service.settings.suppression_threshold, service.settings.min_group_size)
    data = table_workbook(result, release, service.vocab, query.lang, limits, url, more)
    return Representation(data, XLSX_TYPE, _filename(statistic, release, "xlsx"))


def _json(service: StatisticsService, statistic: str, query: StatQuery, release_id: str) -> Representation:
    release = service.release(release_id)
    result = service.table(statistic, query, release, "json")
    rows = labelled_rows(result, service.vocab, query.lang)
    path = f"/v1/stats/{statistic}"
    links = {
        "self": _url(path, query.canonical_params(query.release)),
        "permalink": _url(path, query.canonical_params(release.id)),
        "csv": _url(path, [*query.canonical_params(release.id), ("format", "csv")]),
        "xlsx": _url(path, [*query.canonical_params(release.id), ("format", "xlsx")]),
        "release": f"/v1/releases/{release.id}",
    }
    k, min_group = service.settings.suppression_threshold, service.settings.min_group_size
    body = {
        "data": rows,
        "meta": meta(release, result, k, min_group) | {"statistic": statistic},
        "links": links,
    }
    return Representation(orjson.dumps(body), "application/json")


BUILDERS = {"json": _json, "csv": _csv, "xlsx": _xlsx}


def _build(service: StatisticsService, statistic: str, query: StatQuery, release_id: str) -> Representation:
    """The representation of a statistic the query asks for (`format`, or negotiated from `Accept`)."""
    return BUILDERS[query.format](service, statistic, query, release_id)


def _route(statistic: str, summary: str, description: str) -> None:
    description = f"{description} {dimension_limit_text(SPECS[statistic])}"

    def endpoint(request: Request) -> Response:
        return _represent(request, statistic)

    add_generated_route(
        router,
        f"/{statistic}",
        endpoint,
        summary=summary,
        description=description,
        name=f"stats_{statistic.replace('-', '_')}",
        responses={**_ok_response(statistic), **ERROR_RESPONSES},
        parameters=openapi_parameters(SPECS[statistic], _DOC_LEVELS),
    )


_route(
    "summary",
    "Headline figures: in custody now, recognized, released, sentences",
    "In custody on the as-of date (by gender and by kind of sentence; `pending` means awaiting trial), "
    "everyone recognized, released by how they left custody (end of term, pardon, pardon with expulsion, "
    "death in custody…), and the quartiles of prison sentences. One filter may narrow it "
    "(e.g. `gender=female`; the number in custody is then not split further). Totals the sources "
    "publish anyway are exact; small counts are suppressed.",
)
_route(
    "in-custody",
    "Number in custody, month by month",
    "The number of people in custody at the end of every month from the first recognition to the "
    "as-of date; `by=` splits it by one dimension or one filter narrows it (not both: a month by two "
    "dimensions pins small counts), `from`/`to` limit the months shown. Split by a dimension, each row "
    "has its `share` of the month's total (women of everyone in custody that month, …), empty when "
    "either count is hidden.",
)
_route(
    "flows",
    "Recognitions and releases per month",
    "Per month: people recognized as political prisoners, and people released by how (end of term, "
    "pardon, pardon with expulsion, …), with the monthly total of releases — for everyone, or for one "
    "gender (`gender=female`); never split by a dimension, and not for one age band, region or "
    "article: the flows would pin the small counts of the monthly series.",
)
_route(
    "sentences",
    "Lengths of sentences: histogram and quantiles",
    "For one kind of sentence (default prison): how many people got a sentence in each band of months, "
    "and the p10, p25, median, p75 and p90 length in months read off that histogram (the mean is not "
    "published), overall, by one dimension (`by=gender`) or for one group (`article=342`: the row of "
    "`by=article` for 342).",
)
_route(
    "held-before-release",
    "How long the people released were held: histogram and quantiles",
    "For every person released by the as-of date: how many were held each band of months from detention "
    "to release, and the p10, p25, median, p75 and p90 months read off that histogram (the mean is not "
    "published), overall, by one dimension (`by=release_kind`: after how long were people pardoned?) or "
    "for one group (`gender=female`: the row of `by=gender`). Protected as the lengths of sentences are.",
)
_route(
    "breakdown",
    "Counts of people by one or two dimensions",
    "How many people by gender, age band, region, article, kind of sentence, how they were released, "
    "status (in custody or released) or year of detention — one or two at a time (`by=region,gender`). "
    "A person charged under several articles counts under each. Without `population` or `status`, it "
    "counts everyone recognized since 2020, in custody or released: for the people in custody now, "
    "`population=in_custody` (not a dimension: `population=in_custody&gender=female&by=region` are the "
    "women in custody by region); each answer's notes say whom it counts.",
)
_route(
    "time-in-custody",
    "Time in custody: person-years per year, and how long the people in custody have been held",
    "Per calendar year: the person-years spent in custody (the monthly counts in custody summed and "
    "divided by 12), and the people in custody on the as-of date who were detained that year, with how "
    "many months they have been held. Read off `/v1/stats/in-custody` (as asked, and `by=year_detained`) "
    "after its protection: a figure is empty where a count it is read from is hidden. `by=` splits the "
    "person-years by one dimension, or one filter narrows them; the people in custody by year of "
    "detention are given without a dimension only.",
)
