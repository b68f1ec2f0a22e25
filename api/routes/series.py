"""Series of real published figures: /v1/figures/series (JSON, CSV) and their charts and embed pages.

Never synthetic and never a dataset release: every point cites the page it was read in. The charts go
through the dataset charts' drawing (Vega-Lite, vl-convert, the embed page), with a source line naming
the real publishers.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.charts.describe import describe
from api.charts.figure import Figure
from api.charts.params import (
    DrawingQuery,
    Output,
    drawing_openapi_parameters,
    parse_drawing_query,
)
from api.charts.published import build_published_figure, chart_name
from api.deps import EngineDep, SettingsDep
from api.figures_series import (
    POINT_COLUMNS,
    SERIES,
    Series,
    publishers,
    read_figures,
    series_citation,
    series_points,
)
from api.problems import ProblemError
from api.render import images
from api.render.embed import WIDTHS, EmbedLinks, embed_page
from api.render.vegalite import chart_spec
from api.responses import Representation, respond
from api.routes.charts import MEDIA_TYPES, SUFFIXES, chart_url, drawing
from api.routes.common import (
    CSV_OPTIONS,
    ERROR_RESPONSES,
    JSON_OR_CSV_ROUTE,
    add_generated_route,
    cacheable_responses,
    cached_response,
    check_params,
    csv_body,
    csv_options,
    csv_requested,
    html_headers,
    json_body,
    public_base,
    query_params,
    stats_service,
)
from api.routes.reference import FIGURES_META, date_range, within
from api.stats.service import StatisticsService
from api.translations import Sentence

router = APIRouter(tags=["Published figures and reference lists"])
charts_router = APIRouter(tags=["Charts"])


def find_series(key: str) -> Series:
    """The series `key`, or a 404 problem naming the parameter."""
    if key not in SERIES:
        raise ProblemError(
            404,
            Sentence("problem.unknown_series", {"key": key[:64], "known": ", ".join(SERIES)}),
            problem_type="/problems/unknown-series",
            parameter="key",
        )
    return SERIES[key]


def _links(series: Series, lang_params: list[tuple[str, str]] | None = None) -> dict[str, str]:
    name, own = chart_name(series), lang_params or []
    return {
        "self": f"/v1/figures/series/{series.key}",
        "csv": f"/v1/figures/series/{series.key}?format=csv",
        "spec": chart_url(f"/v1/charts/{name}.vl.json", own),
        "svg": chart_url(f"/v1/charts/{name}.svg", own),
        "png": chart_url(f"/v1/charts/{name}.png", own),
        "embed": chart_url(f"/embed/{name}", own),
        "figures": "/v1/figures",
    }


def _series_meta(series: Series, points: list[dict[str, Any]], base: str) -> dict[str, Any]:
    return {
        "series": series.key,
        "title": series.title,
        "description": series.description,
        "synthetic": False,
        "release": None,
        "as_of": max((p["date"] for p in points), default=None),
        "sources": [{"publisher": name} for name in publishers(points)],
        "licence": FIGURES_META["licence"],
        "citation": series_citation(series, points, base),
        "count": len(points),
    }


@router.get("/v1/figures/series", summary="Series of real published figures", responses=ERROR_RESPONSES)
def series_list(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    """Every published series (the number in custody, women in custody, release events, deaths in custody,
    recognitions per year and per month): what it holds, how many points, its latest date, and links to
    its JSON, CSV, chart and embed page. Real figures, never synthetic."""
    check_params(request, set())
    rows = read_figures(engine)
    entries = []
    for series in SERIES.values():
        points = series_points(series, rows)
        entries.append(
            {
                "key": series.key,
                "title": series.title,
                "description": series.description,
                "count": len(points),
                "as_of": max((p["date"] for p in points), default=None),
                "links": _links(series),
            }
        )
    meta = {key: FIGURES_META[key] for key in ("synthetic", "licence")} | {"count": len(entries)}
    body = json_body(entries, meta, {"self": "/v1/figures/series", "figures": "/v1/figures"})
    return respond(request, body, pinned=False, latest_max_age=settings.latest_max_age)


@router.get(
    "/v1/figures/series/{key}",
    summary="One series of real published figures, each point with its source",
    **JSON_OR_CSV_ROUTE,
)
def series(request: Request, key: str, engine: EngineDep, settings: SettingsDep) -> Response:
    """The points of one published series, in date order: `measure` (what the point counts), `date` (as
    precise as the source), `value` and `qualifier` (exact, at_least, more_than, about), the period, the
    part of a total (`dimension`, `dimension_value`), and the citation (`source_url` is the page it was
    read in). Filter by `from` and `to` (YYYY, YYYY-MM or YYYY-MM-DD). JSON or CSV (`format=csv` or
    `Accept: text/csv`). Real figures: `synthetic` is false and there is no dataset release."""
    found = find_series(key)
    check_params(request, {"from", "to", "format", *CSV_OPTIONS})
    options = csv_options(request)
    low, high = date_range(request)
    points = [p for p in series_points(found, read_figures(engine)) if within(p["date"], low, high)]
    if csv_requested(request):
        rows = [{"series": found.key, **p, "synthetic": "false"} for p in points]
        columns = ["series", *POINT_COLUMNS, "synthetic"]
        body = csv_body(rows, columns, f"published_series_{found.key}.csv", options)
    else:
        self_link = str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
        meta = _series_meta(found, points, public_base(request))
        body = json_body(points, meta, _links(found) | {"self": self_link})
    return respond(request, body, pinned=False, latest_max_age=settings.latest_max_age)


# --- Charts and embed pages ---------------------------------------------------------------------------


def published_figure(request: Request, series: Series, query: DrawingQuery) -> tuple[Figure, str]:
    """The figure of a series' chart and a digest of its points (the figures table may be corrected)."""
    points = series_points(series, read_figures(request.app.state.engine))
    digest = hashlib.sha256(orjson.dumps(points)).hexdigest()[:16]
    return build_published_figure(series, points, query.lang), digest


def embed_drawings(
    service: StatisticsService, series: Series, query: DrawingQuery, figure: Figure, digest: str
) -> dict[int, str]:
    """The series' chart drawn at each width of the embed page (drawing width → inline SVG)."""

    def drawing(width: int) -> str:
        def draw() -> Representation:
            svg = images.svg(chart_spec(figure, width, "page", framed=False))
            label = f"{figure.title}. {figure.description} {describe(figure)}"
            inline = images.inline_svg(svg, f"w{width}-", label)
            return Representation(inline.encode("utf-8"), "image/svg+xml")

        key = ("published-embed-svg", series.key, digest, query.lang, width)
        return service.cache.get_or_build(key, draw).body.decode("utf-8")

    return {width: drawing(width) for width in WIDTHS}


def embed_url(base: str, series: Series, query: DrawingQuery) -> str:
    """The absolute URL of a series' embed page."""
    return base + chart_url(f"/embed/{chart_name(series)}", query.params("embed"))


def png_url(base: str, series: Series, query: DrawingQuery, extra: list[tuple[str, str]]) -> str:
    lang = [("lang", query.lang)] if query.lang != "en" else []
    return base + chart_url(f"/v1/charts/{chart_name(series)}.png", lang + extra)


def _image(request: Request, series: Series, output: Output) -> Response:
    service = stats_service(request)
    query = parse_drawing_query(query_params(request), output)
    figure, digest = published_figure(request, series, query)
    key = ("published-chart", series.key, output, digest, query)

    def draw() -> Representation:
        spec = chart_spec(figure, query.width, query.theme)
        return drawing(spec, output, query.scale, chart_name(series))

    return cached_response(request, service, key, draw)


def _embed(request: Request, series: Series) -> Response:
    service = stats_service(request)
    query = parse_drawing_query(query_params(request), "embed")
    figure, digest = published_figure(request, series, query)
    base = public_base(request)
    key = ("published-embed", series.key, digest, query, base)

    def page() -> Representation:
        drawings = embed_drawings(service, series, query, figure, digest)
        links = EmbedLinks(
            permalink=embed_url(base, series, query),
            csv=base + f"/v1/figures/series/{series.key}?format=csv",
            png=png_url(base, series, query, []),
            oembed=base + chart_url("/oembed", [("url", embed_url(base, series, query)), ("format", "json")]),
        )
        body, policy = embed_page(figure, drawings, query.theme, links)
        return Representation(body, MEDIA_TYPES["embed"], html_headers(policy, query.lang))

    return cached_response(request, service, key, page)


_LANG_PARAMETER: dict[str, object] = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of titles, labels and dates: en, be or ru.",
    "schema": {"type": "string", "enum": ["en", "be", "ru"], "default": "en"},
}


def _route(series: Series, output: Output) -> None:
    name = chart_name(series)
    what = {"spec": "Vega-Lite spec (data inline)", "svg": "SVG image", "png": "PNG image"}.get(output, "")

    def endpoint(request: Request) -> Response:
        return _embed(request, series) if output == "embed" else _image(request, series, output)

    if output == "embed":
        path, summary = f"/embed/{name}", f"Embed page of the {name} chart"
        description = (
            f"The chart of the published series `{series.key}` as a self-contained HTML page for an iframe, "
            "with a data table that cites each point's source. Real figures, no demonstration mark."
        )
    else:
        path, summary = f"/v1/charts/{name}{SUFFIXES[output]}", f"Chart {name}: {what}"
        description = (
            f"The chart of the published series `{series.key}` (`/v1/figures/series/{series.key}`) as a "
            f"{what}; the tooltip of each point names its source. Real figures, no demonstration mark."
        )
    add_generated_route(
        charts_router,
        path,
        endpoint,
        summary=summary,
        description=description,
        name=f"{'embed' if output == 'embed' else 'chart'}_{name.replace('-', '_')}_{output}",
        responses=cacheable_responses(
            MEDIA_TYPES[output], f"The chart as a {what or 'HTML page'}.", drawn=output != "spec"
        ),
        parameters=[_LANG_PARAMETER, *drawing_openapi_parameters(output)],
    )


_OUTPUTS: tuple[Output, ...] = ("spec", "svg", "png", "embed")
for _series in SERIES.values():
    for _output in _OUTPUTS:
        _route(_series, _output)
