"""oEmbed 1.0 at /oembed: a CMS turns a pasted chart or embed link of this service into an iframe."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.charts.chart import CHARTS
from api.charts.describe import describe
from api.charts.figure import Figure
from api.charts.params import MAX_WIDTH, ChartQuery, parse_chart_query, parse_drawing_query
from api.charts.published import chart_name
from api.figures_series import SERIES, Series
from api.problems import ProblemError, bad_parameter, problem_content
from api.query import Params
from api.render.embed import HEIGHT_MESSAGE, MIN_WIDTH, page_heights
from api.render.templates import render
from api.render.vegalite import chart_spec
from api.responses import Representation
from api.routes.charts import chart_figure, chart_url
from api.routes.common import cacheable_responses, cached_response, check_params, public_base, stats_service
from api.routes.embed import embed_drawings, embed_url
from api.routes.series import embed_drawings as series_drawings
from api.routes.series import embed_url as series_embed_url
from api.routes.series import png_url, published_figure
from api.stats.service import StatisticsService
from api.translations import Sentence

router = APIRouter(tags=["Charts"])

PROVIDER_NAME = "Political prisoners in Belarus — open data API"
DEFAULT_WIDTH = 640
IMMUTABLE_AGE = 31536000
"""Seconds a consumer may keep the answer for a release-pinned URL (releases never change)."""
_CHART_PATH = re.compile(r"/(?:embed/(?P<embed>[a-z-]+)|v1/charts/(?P<image>[a-z-]+)\.(?:svg|png|vl\.json))")
PUBLISHED_CHARTS = {chart_name(series): series for series in SERIES.values()}
_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "url",
        "in": "query",
        "required": True,
        "description": "A chart URL of this service, with its parameters: `/embed/{chart}` or "
        "`/v1/charts/{chart}.svg|.png|.vl.json`.",
        "schema": {"type": "string", "minLength": 1},
        "example": "http://127.0.0.1:8000/embed/in-custody?lang=be",
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "json (the only format; xml answers 501 as the oEmbed specification says).",
        "schema": {"type": "string", "default": "json"},
    },
    {
        "name": "maxwidth",
        "in": "query",
        "required": False,
        "description": f"Widest iframe the consumer can show, in pixels (at least {MIN_WIDTH}: narrower, "
        "the page's height is not known; a 404 problem names `maxwidth`).",
        "schema": {"type": "integer", "minimum": 1},
    },
    {
        "name": "maxheight",
        "in": "query",
        "required": False,
        "description": "Tallest iframe the consumer can show, in pixels. The answer is the widest iframe "
        "within `maxwidth` whose page is no taller (a narrower page draws the chart smaller); when even the "
        "narrowest is taller, a 404 problem names `maxheight` and says the `height` it needs.",
        "schema": {"type": "integer", "minimum": 1},
    },
]


def _positive(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise bad_parameter(name, "not_pixels", value=value[:16])
    return int(value)


def _not_ours(url: str, why: Sentence | str) -> ProblemError:
    return ProblemError(
        404,
        Sentence("problem.unknown_chart_url", {"url": url[:200], "why": why}),
        problem_type="/problems/unknown-chart-url",
        parameter="url",
    )


def _chart_name(url: str, request: Request) -> str | None:
    """The name of the chart a URL of this service shows (None for another of its URLs)."""
    parts, ours = urlsplit(url), urlsplit(public_base(request)).netloc
    if parts.scheme not in ("http", "https") or parts.netloc != ours:
        raise _not_ours(url, Sentence("problem.not_our_url", {"host": ours}))
    match = _CHART_PATH.fullmatch(parts.path)
    return (match.group("embed") or match.group("image")) if match else None


def _embed_params(url: str) -> Params:
    """The query the embed page of `url` would get: the URL's without the image-only parameters."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return Params([(name, value) for name, value in pairs if name not in {"width", "scale"}])


def _chart_query(request: Request, service: StatisticsService, url: str) -> ChartQuery:
    """The chart a URL of this service shows, with its parameters checked as the chart itself checks them."""
    name = _chart_name(url, request)
    if name not in CHARTS:
        raise _not_ours(url, Sentence("problem.not_chart_url"))
    try:
        return parse_chart_query(_embed_params(url), CHARTS[name], "embed", service.levels())
    except ProblemError as problem:
        raise _not_ours(url, problem.detail) from None


@router.get(
    "/oembed",
    summary="oEmbed: the iframe of a chart for a pasted chart link",
    response_class=Response,
    responses={
        **cacheable_responses("application/json", "An oEmbed 1.0 `rich` response."),
        404: {
            "description": "The URL is not a chart of this service (the problem names `url`), or the chart "
            "cannot fit `maxwidth` and `maxheight` (it names the one, with the `height` and `width` needed).",
            "content": problem_content(404),
        },
        501: {"description": "A format other than json was asked for.", "content": problem_content(501)},
    },
    openapi_extra={"parameters": _PARAMETERS},
)
def oembed(request: Request) -> Response:
    """oEmbed 1.0 for the chart and embed URLs of this service: a `rich` response whose `html` is an iframe
        of the chart's embed page, sized within `maxwidth` and `maxheight` (its `height` is the page's height
    at that width, as a browser lays it out: the page breaks its own lines; a small script fits it to a
        narrower column), pinned to the release the link resolves to (a link to `latest` gives an iframe
        of today's release, which never changes). Beside the
        oEmbed fields, `description` says in a few words what the chart shows (its visible values only, with
        the demonstration mark for synthetic data), for alt text. Embed pages announce it with
        `<link rel="alternate" type="application/json+oembed">`."""
    check_params(request, {"url", "format", "maxwidth", "maxheight"})
    url = request.query_params.get("url")
    if not url:
        raise bad_parameter("url", "url_required")
    if request.query_params.get("format", "json") != "json":
        raise ProblemError(501, Sentence("problem.oembed_json_only"), parameter="format")
    max_width, max_height = _positive(request, "maxwidth"), _positive(request, "maxheight")
    service = stats_service(request)
    width = min(max_width or DEFAULT_WIDTH, MAX_WIDTH)
    if width < MIN_WIDTH:
        raise _does_not_fit(
            "maxwidth", Sentence("problem.embed_too_narrow", {"width": MIN_WIDTH}), {"width": MIN_WIDTH}
        )
    name = _chart_name(url, request)
    if name in PUBLISHED_CHARTS:
        return _published(request, url, PUBLISHED_CHARTS[name], width, max_height)
    chart_query = _chart_query(request, service, url)
    release = service.release(chart_query.query.release)
    pinned = chart_query.query.release != "latest"
    base = public_base(request)
    canonical = tuple(chart_query.query.canonical_params(release.id))
    key = (
        "oembed",
        base,
        chart_query.chart.name,
        release.id,
        pinned,
        chart_query.theme,
        width,
        max_height,
        canonical,
    )
    cache_age = IMMUTABLE_AGE if pinned else service.settings.latest_max_age

    def build() -> Representation:
        figure = chart_figure(service, chart_query, release)
        # Pinned to the release a `latest` link resolves to: the embed keeps showing what was chosen.
        src = embed_url(base, chart_query, release.id)
        image_params = [*chart_query.link_params(chart_query.query.release), ("scale", "1")]
        thumbnail = base + chart_url(f"/v1/charts/{chart_query.chart.name}.png", image_params)
        drawings = embed_drawings(service, chart_query, release, figure)
        body = _answer(base, src, thumbnail, figure, _size(figure, drawings, width, max_height))
        return Representation(orjson.dumps(body | {"cache_age": cache_age}), "application/json")

    return cached_response(request, service, key, build, pinned=pinned)


def _published(request: Request, url: str, series: Series, width: int, max_height: int | None) -> Response:
    """oEmbed of a chart of published figures (not tied to a release: kept `latest_max_age` seconds)."""
    service = stats_service(request)
    try:
        query = parse_drawing_query(_embed_params(url), "embed")
    except ProblemError as problem:
        raise _not_ours(url, problem.detail) from None
    figure, digest = published_figure(request, series, query)
    base = public_base(request)
    key = ("published-oembed", base, series.key, digest, query, width, max_height)

    def build() -> Representation:
        src = series_embed_url(base, series, query)
        size = _size(figure, series_drawings(service, series, query, figure, digest), width, max_height)
        body = _answer(base, src, png_url(base, series, query, [("scale", "1")]), figure, size)
        body["cache_age"] = service.settings.latest_max_age
        return Representation(orjson.dumps(body), "application/json")

    return cached_response(request, service, key, build)


def _does_not_fit(parameter: str, why: Sentence, needs: dict[str, int]) -> ProblemError:
    # 404, as oEmbed 1.0 says when "the provider has no response for the requested url parameter":
    # a consumer then shows the plain link, where a 4xx of its own would read as its mistake.
    return ProblemError(
        404,
        Sentence("problem.embed_does_not_fit", {"why": why}),
        problem_type="/problems/embed-does-not-fit",
        parameter=parameter,
        extra=needs,
    )


def _size(figure: Figure, drawings: dict[int, str], widest: int, max_height: int | None) -> tuple[int, int]:
    """The widest page from `widest` down to MIN_WIDTH that is no taller than `max_height`, and its
    height: the drawing scales with the page, so a narrower page is mostly shorter."""
    heights = page_heights(figure, drawings, range(widest, MIN_WIDTH - 1, -1))
    for width, height in heights.items():
        if max_height is None or height <= max_height:
            return width, height
    width = min(heights, key=lambda w: (heights[w], -w))
    why = Sentence("problem.embed_too_high", {"height": heights[width], "width": width, "limit": max_height})
    raise _does_not_fit("maxheight", why, {"height": heights[width], "width": width})


def _answer(base: str, src: str, thumbnail: str, figure: Figure, size: tuple[int, int]) -> dict[str, Any]:
    """The oEmbed `rich` response: an iframe of the embed page `src` at `size` (width, height; the page's
    height as api/render/embed.py lays it out) with the embed code's script that fits it to a narrower
    column, and the PNG `thumbnail`."""
    width, height = size
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    code = {"src": src, "title": figure.title, "width": width, "height": height, "origin": origin}
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": PROVIDER_NAME,
        "provider_url": base + "/",
        "title": figure.title,
        # Not an oEmbed field (consumers may ignore it): alt text for the thumbnail, a line to quote.
        "description": describe(figure),
        "html": str(render("oembed_iframe.html", message=HEIGHT_MESSAGE, **code)),
        "width": width,
        "height": height,
        "thumbnail_url": thumbnail,
        "thumbnail_width": DEFAULT_WIDTH,
        "thumbnail_height": chart_spec(figure, DEFAULT_WIDTH, "light")["height"],
    }
