"""Embed pages under /embed: a chart as a small, self-contained HTML page for an iframe."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.charts.chart import CHARTS, Chart
from api.charts.describe import describe
from api.charts.figure import Figure
from api.charts.params import ChartQuery, chart_openapi_parameters
from api.render import images
from api.render.embed import WIDTHS, EmbedLinks, embed_page
from api.render.vegalite import chart_spec
from api.responses import Representation
from api.routes.charts import MEDIA_TYPES, cached_chart, chart_figure, chart_url
from api.routes.common import (
    add_generated_route,
    cacheable_responses,
    html_headers,
    public_base,
    query_params,
)
from api.routes.stats import _DOC_LEVELS
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService

router = APIRouter(tags=["Charts"])


def embed_url(base: str, chart_query: ChartQuery, release: str) -> str:
    """The absolute URL of the embed page of `chart_query`, for `release` (`latest` or an id)."""
    params = [*chart_query.link_params(release), *chart_query.chart_params("embed")]
    return base + chart_url(f"/embed/{chart_query.chart.name}", params)


def _represent(request: Request, chart: Chart) -> Response:
    base = public_base(request)

    def key(chart_query: ChartQuery, release: ReleaseInfo) -> tuple[object, ...]:
        # The page names its own URL (oEmbed discovery), so the key holds how it was asked for.
        asked = chart_query.query.release
        canonical = tuple(chart_query.query.canonical_params(release.id))
        return ("embed", chart.name, release.id, asked != "latest", chart_query.theme, canonical)

    def page(service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo) -> Representation:
        return _page(service, chart_query, release, base)

    return cached_chart(request, chart, "embed", query_params(request), key, page)


def _page(
    service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo, base: str
) -> Representation:
    figure = chart_figure(service, chart_query, release)
    drawings = embed_drawings(service, chart_query, release, figure)
    query, name = chart_query.query, chart_query.chart.name
    links = EmbedLinks(
        permalink=embed_url(base, chart_query, release.id),
        csv=base
        + chart_url(
            f"/v1/stats/{chart_query.chart.statistic}",
            [*query.canonical_params(release.id), ("format", "csv")],
        ),
        png=base + chart_url(f"/v1/charts/{name}.png", chart_query.link_params(release.id)),
        oembed=base
        + chart_url("/oembed", [("url", embed_url(base, chart_query, query.release)), ("format", "json")]),
    )
    body, policy = embed_page(figure, drawings, chart_query.theme, links)
    return Representation(body, MEDIA_TYPES["embed"], html_headers(policy, query.lang))


def embed_drawings(
    service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo, figure: Figure
) -> dict[int, str]:
    """The chart drawn at each width of the embed page (drawing width → inline SVG)."""
    return {width: _drawing(service, chart_query, release, figure, width) for width in WIDTHS}


def _drawing(
    service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo, figure: Figure, width: int
) -> str:
    """The chart drawn `width` wide for inlining; the same drawing serves every theme of the page."""
    key = (
        "embed-svg",
        chart_query.chart.name,
        release.id,
        width,
        tuple(chart_query.query.canonical_params(release.id)),
    )

    def draw() -> Representation:
        svg = images.svg(chart_spec(figure, width, "page", framed=False))
        # The accessible name says what the chart is and what it shows (visible values only).
        label = " ".join(
            part
            for part in (f"{figure.title}.", figure.description, describe(figure), figure.synthetic_label)
            if part
        )
        return Representation(images.inline_svg(svg, f"w{width}-", label).encode("utf-8"), "image/svg+xml")

    return service.cache.get_or_build(key, draw).body.decode("utf-8")


def _route(chart: Chart) -> None:
    def endpoint(request: Request) -> Response:
        return _represent(request, chart)

    description = (
        f"The `{chart.name}` chart as a self-contained HTML page for an iframe: the chart as inline SVG, its "
        "title and description, notes on hidden values, a source line with links to the permalink, the CSV "
        "and the PNG, and a data table for screen readers. Nothing loads from elsewhere; it works without "
        "JavaScript, posts its height to the parent page (`postMessage`, type `prisoners-api:embed-height`) "
        "and may be framed by any site. Takes the parameters of its statistic, `lang` and `theme`."
    )
    add_generated_route(
        router,
        f"/embed/{chart.name}",
        endpoint,
        summary=f"Embed page of the {chart.name} chart",
        description=description,
        name=f"embed_{chart.name.replace('-', '_')}",
        responses=cacheable_responses("text/html", "The embed page.", drawn=True),
        parameters=chart_openapi_parameters(chart, "embed", _DOC_LEVELS),
    )


for _chart in CHARTS.values():
    _route(_chart)
