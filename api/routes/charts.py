"""Chart endpoints under /v1/charts: the catalogue, and each chart as Vega-Lite, SVG and PNG.

Thin like the statistics routes: parse, compute the statistic through the service (the same
protected result the JSON serves), draw, and answer with the statistics API's cache headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.charts.chart import CHARTS, Chart
from api.charts.figure import Figure, build_figure
from api.charts.params import (
    ChartQuery,
    Output,
    chart_openapi_parameters,
    drawing_openapi_parameters,
    parse_chart_query,
    within_months,
)
from api.charts.published import build_published_figure, chart_name
from api.figures_series import SERIES, read_figures, series_points
from api.labels import LANGS, Lang
from api.query import RELEASE_PATTERN, Params, QuerySpec, StatQuery, parse_query
from api.render import images
from api.render.provenance import meta
from api.render.vegalite import chart_spec
from api.responses import Representation
from api.routes.common import (
    add_generated_route,
    cacheable_responses,
    cached_response,
    check_params,
    query_params,
    stats_service,
)

# The statistics routes document their parameters with these levels; charts take the same ones.
from api.routes.stats import _DOC_LEVELS
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService

router = APIRouter(tags=["Charts"])

MEDIA_TYPES: dict[Output, str] = {
    "spec": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "embed": "text/html; charset=utf-8",
}
SUFFIXES: dict[Output, str] = {"spec": ".vl.json", "svg": ".svg", "png": ".png"}
SVG_CSP = "default-src 'none'; frame-ancestors *"
"""An SVG opened on its own runs nothing and loads nothing."""


def chart_figure(service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo) -> Figure:
    """The figure of a chart, drawn from the protected result the statistics API serves."""
    result = service.compute(chart_query.chart.statistic, chart_query.query, release)
    return build_figure(chart_query, result, release, service.vocab, service.settings.suppression_threshold)


def release_chart_query(
    service: StatisticsService, params: Params, chart: Chart, output: Output
) -> tuple[ChartQuery, ReleaseInfo]:
    """The chart request checked, and the release it draws from; its months are kept within those the
    release covers (a chart of one release never runs past it)."""
    chart_query = parse_chart_query(params, chart, output, service.levels())
    release = service.release(chart_query.query.release)
    return within_months(chart_query, release.first_recognized, release.as_of_month), release


def cached_chart(
    request: Request,
    chart: Chart,
    output: Output,
    params: Params,
    key: Callable[[ChartQuery, ReleaseInfo], tuple[object, ...]],
    build: Callable[[StatisticsService, ChartQuery, ReleaseInfo], Representation],
) -> Response:
    """A release's chart as `output` (a drawing, its embed page or its chart page): the request checked,
    then made by `build`, cached under `key` and pinned when the query names a release, not `latest`."""
    service = stats_service(request)
    chart_query, release = release_chart_query(service, params, chart, output)
    pinned = chart_query.query.release != "latest"
    return cached_response(
        request,
        service,
        key(chart_query, release),
        lambda: build(service, chart_query, release),
        pinned=pinned,
    )


def chart_url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def statistic_params(chart_query: ChartQuery, release: str) -> list[tuple[str, str]]:
    """The statistics query behind a chart (its split included), for links to its JSON and CSV."""
    return chart_query.query.canonical_params(release)


def _represent(request: Request, chart: Chart, output: Output) -> Response:
    def key(chart_query: ChartQuery, release: ReleaseInfo) -> tuple[object, ...]:
        # The drawing depends on the release's content, never on how it was asked for (latest or id).
        canonical = tuple(chart_query.query.canonical_params(release.id))
        return (
            "chart",
            chart.name,
            output,
            release.id,
            chart_query.width,
            chart_query.scale,
            chart_query.theme,
            canonical,
        )

    def draw(service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo) -> Representation:
        figure = chart_figure(service, chart_query, release)
        spec = chart_spec(figure, chart_query.width, chart_query.theme)
        stem = f"{chart.name}_{release.id}{'_synthetic' if release.synthetic else ''}"
        return drawing(spec, output, chart_query.scale, stem)

    return cached_chart(request, chart, output, query_params(request), key, draw)


def drawing(spec: dict[str, Any], output: Output, scale: int, stem: str) -> Representation:
    """A chart's Vega-Lite spec as `output` (the spec itself, SVG or PNG), named `stem` + its suffix."""
    headers = {
        "Content-Disposition": f'inline; filename="{stem}{SUFFIXES[output]}"',
        "X-Content-Type-Options": "nosniff",
    }
    if output == "spec":
        return Representation(orjson.dumps(spec), MEDIA_TYPES[output], headers)
    if output == "svg":
        body = images.svg(spec).encode("utf-8")
        return Representation(body, MEDIA_TYPES[output], headers | {"Content-Security-Policy": SVG_CSP})
    return Representation(images.png(spec, scale), MEDIA_TYPES[output], headers)


@router.get(
    "/v1/charts",
    summary="Catalogue of charts: what each shows, its statistic, its parameters and links",
    response_class=Response,
    responses=cacheable_responses("application/json", "The catalogue as JSON."),
    openapi_extra={
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "string", **schema},
            }
            for name, description, schema in (
                (
                    "release",
                    "Dataset release: `latest` (default) or a release id.",
                    {"default": "latest", "pattern": RELEASE_PATTERN},
                ),
                (
                    "lang",
                    "Language of titles and descriptions: en, be or ru.",
                    {"enum": list(LANGS), "default": "en"},
                ),
            )
        ]
    },
)
def catalogue(request: Request) -> Response:
    """Every chart: title and description (in `lang`), what it draws, the parameters it takes, and links
    to its Vega-Lite spec, SVG, PNG and embed page. The charts of the real published series come first
    (`kind` `published_series`, `synthetic` false, no release: each point cites its source; `links.series`
    and `links.csv` give the data); then the charts of the release (`kind` `release`), which draw only
    the disclosure-controlled cells of their statistic (`query`, `links.statistic`); `meta` describes
    that release."""
    check_params(request, {"release", "lang"})
    service = stats_service(request)
    query = parse_query(query_params(request), QuerySpec(filters=()), service.levels())
    requested, lang = query.release, query.lang
    release = service.release(requested)
    key = ("charts", release.id, requested != "latest", lang)
    return cached_response(
        request,
        service,
        key,
        lambda: _catalogue(service, release, requested, lang),
        pinned=requested != "latest",
    )


def _published_entries(service: StatisticsService, lang: Lang) -> list[dict[str, Any]]:
    """The charts of the real published series: not synthetic, not a release, each point cited."""
    rows = read_figures(service.engine)
    own: list[tuple[str, str]] = [("lang", lang)] if lang != "en" else []
    parameters = sorted({"lang", *(str(p["name"]) for p in drawing_openapi_parameters("png"))})
    entries = []
    for series in SERIES.values():
        name = chart_name(series)
        figure = build_published_figure(series, series_points(series, rows), lang)
        entries.append(
            {
                "name": name,
                "title": figure.title,
                "description": figure.description,
                "kind": "published_series",
                "synthetic": False,
                "statistic": None,
                "series": series.key,
                "query": f"/v1/figures/series/{series.key}",
                "parameters": parameters,
                "links": {
                    "spec": chart_url(f"/v1/charts/{name}.vl.json", own),
                    "svg": chart_url(f"/v1/charts/{name}.svg", own),
                    "png": chart_url(f"/v1/charts/{name}.png", own),
                    "embed": chart_url(f"/embed/{name}", own),
                    "series": f"/v1/figures/series/{series.key}",
                    "csv": f"/v1/figures/series/{series.key}?format=csv",
                },
            }
        )
    return entries


def _catalogue(
    service: StatisticsService, release: ReleaseInfo, requested: str, lang: Lang
) -> Representation:
    # Real published figures come first wherever a reader lands; the release's charts follow.
    entries = _published_entries(service, lang)
    for chart in CHARTS.values():
        chart_query = default_query(chart, requested, lang)
        figure = chart_figure(service, chart_query, release)
        own = [("release", requested)] + ([("lang", lang)] if lang != "en" else [])
        entries.append(
            {
                "name": chart.name,
                "title": figure.title,
                "description": figure.description,
                "kind": "release",
                "synthetic": release.synthetic,
                "statistic": chart.statistic,
                "series": None,
                "query": chart_url(f"/v1/stats/{chart.statistic}", statistic_params(chart_query, release.id)),
                "parameters": sorted(
                    {str(p["name"]) for p in chart_openapi_parameters(chart, "png", _DOC_LEVELS)}
                ),
                "links": {
                    "spec": chart_url(f"/v1/charts/{chart.name}.vl.json", own),
                    "svg": chart_url(f"/v1/charts/{chart.name}.svg", own),
                    "png": chart_url(f"/v1/charts/{chart.name}.png", own),
                    "embed": chart_url(f"/embed/{chart.name}", own),
                    "statistic": chart_url(
                        f"/v1/stats/{chart.statistic}", statistic_params(chart_query, requested)
                    ),
                },
            }
        )
    k, min_group = service.settings.suppression_threshold, service.settings.min_group_size
    links = {
        "self": chart_url("/v1/charts", [("release", requested)]),
        "oembed": "/oembed",
        "figures_series": "/v1/figures/series",
    }
    body = {"data": entries, "meta": meta(release, None, k, min_group), "links": links}
    return Representation(orjson.dumps(body), "application/json")


def default_query(chart: Chart, release: str, lang: Lang) -> ChartQuery:
    """A chart with no parameters but the release and language (its default split included)."""
    by = chart.fixed_by or chart.default_by[:1]
    query = StatQuery(
        release=release,
        by=by,
        sentence_kind="prison" if chart.spec.sentence_kind else None,
        lang=lang,
    )
    return ChartQuery(chart, query)


def _route(chart: Chart, output: Output) -> None:
    what = {"spec": "Vega-Lite spec (data inline)", "svg": "SVG image", "png": "PNG image"}[output]

    def endpoint(request: Request) -> Response:
        return _represent(request, chart, output)

    description = (
        f"The `{chart.name}` chart as a {what}, drawn from `/v1/stats/{chart.statistic}` with the same "
        "release, filter and language parameters. Hidden (suppressed) cells are gaps with a note, never "
        "zeros; a synthetic release carries the demonstration-data label inside the chart."
    )
    add_generated_route(
        router,
        f"/v1/charts/{chart.name}{SUFFIXES[output]}",
        endpoint,
        summary=f"Chart {chart.name}: {what}",
        description=description,
        name=f"chart_{chart.name.replace('-', '_')}_{output}",
        responses=cacheable_responses(MEDIA_TYPES[output], f"The chart as a {what}.", drawn=output != "spec"),
        parameters=chart_openapi_parameters(chart, output, _DOC_LEVELS),
    )


for _chart in CHARTS.values():
    for _output in SUFFIXES:
        _route(_chart, _output)
