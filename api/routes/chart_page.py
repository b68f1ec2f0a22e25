"""The page of one chart, `/charts/{chart}`: the chart, its parameters as a form, table, sources, downloads.

Thin like the other routes: the parameters are checked by the chart's own parsers (so the page refuses
exactly what the chart refuses), the figure comes from the same protected result, and
`api.render.chart_page` writes the HTML.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.responses import Response

from api.charts.chart import CHARTS, Chart
from api.charts.describe import describe
from api.charts.figure import Figure
from api.charts.locale import format_day, format_partial_date
from api.charts.params import (
    ChartQuery,
    parse_drawing_query,
)
from api.charts.published import chart_name
from api.figures_series import LICENCE, SERIES, Series, read_figures, series_citation, series_points
from api.labels import LANGS, Lang
from api.problems import PROBLEM_JSON, ProblemError
from api.query import Params
from api.render.chart_page import (
    CONTENT_SECURITY_POLICY,
    ChartPage,
    Snippets,
    chart_page_html,
    files_list,
)
from api.render.embed import HEIGHT_MESSAGE, page_height
from api.render.provenance import synthetic_label
from api.render.templates import render
from api.responses import Representation
from api.routes.chart_form import common_fields, release_fields
from api.routes.charts import cached_chart, chart_figure, chart_url
from api.routes.common import (
    HTML_PAGE_RESPONSES,
    HTML_TYPE,
    cached_response,
    html_headers,
    public_base,
    stats_service,
)
from api.routes.embed import embed_drawings, embed_url
from api.routes.series import embed_drawings as series_drawings
from api.routes.series import embed_url as series_embed_url
from api.routes.series import published_figure
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService
from api.translations import Sentence, text

router = APIRouter(tags=["Charts"])
PUBLISHED_CHARTS = {chart_name(series): series for series in SERIES.values()}
SNIPPET_WIDTH = 640
"""Width the fixed-height embed code is sized for (the responsive one takes its column's width)."""


def _without_empty(request: Request) -> Params:
    """The request's query less its empty parameters: an HTML form sends `gender=` for "any"."""
    kept = [(name, value) for name, value in request.query_params.multi_items() if value != ""]
    return Params(kept, request.headers.get("accept", ""))


def _unknown(chart: str) -> ProblemError:
    names = ", ".join([*PUBLISHED_CHARTS, *CHARTS])
    return ProblemError(
        404,
        Sentence("problem.unknown_chart", {"chart": chart[:64], "known": names}),
        problem_type="/problems/unknown-chart",
        parameter="chart",
    )


def _snippets(
    base: str, src: str, figure: Figure, drawings: dict[int, str], files: tuple[tuple[str, str], ...]
) -> Snippets:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    height = page_height(figure, drawings, SNIPPET_WIDTH)
    code = {"src": src, "title": figure.title, "height": height, "origin": origin, "width": SNIPPET_WIDTH}
    # Plain text (the page escapes it into a text box), not markup.
    responsive = str(render("embed_code.html", message=HEIGHT_MESSAGE, **code))
    fixed = str(render("embed_code_fixed.html", **code))
    oembed = base + chart_url("/oembed", [("url", src), ("format", "json")])
    return Snippets(responsive, fixed, oembed, files)


def _drawing_params(width: int, theme: str) -> list[tuple[str, str]]:
    """Width and theme of the images (an image has no `auto` theme: it is drawn light)."""
    return [("width", str(width))] + ([("theme", theme)] if theme in ("light", "dark") else [])


# --- Charts of a dataset release ---------------------------------------------------------------------


def _release_facts(release: ReleaseInfo, lang: Lang) -> tuple[tuple[str, Markup | str], ...]:
    link = Markup('<a href="{}">{}</a>')
    sources = Markup(", ").join(link.format(s.get("path", ""), s.get("title", "")) for s in release.sources)
    as_of = release.valid_as_of
    return (
        (text("page.release", lang), link.format(f"/v1/releases/{release.id}", release.id)),
        (
            text("page.as_of", lang),
            Markup('<time datetime="{}">{}</time>').format(as_of.isoformat(), format_day(as_of, lang)),
        ),
        (text("page.sources", lang), sources or "—"),
        (
            text("licence", lang),
            Markup('<a href="{}" rel="license">{}</a>').format(release.licence_url, release.licence_name),
        ),
    )


def _release_page(
    service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo, base: str
) -> Representation:
    chart, query, lang = chart_query.chart, chart_query.query, chart_query.query.lang
    figure = chart_figure(service, chart_query, release)
    drawings = embed_drawings(service, chart_query, release, figure)
    asked = [*chart_query.link_params(query.release), *chart_query.chart_params("page")]
    pinned = query.canonical_params(release.id)
    images = [*chart_query.link_params(release.id), *_drawing_params(chart_query.width, chart_query.theme)]
    statistic = f"/v1/stats/{chart.statistic}"
    files = files_list(
        lang,
        [
            ("page.png", chart_url(f"/v1/charts/{chart.name}.png", images)),
            ("page.svg", chart_url(f"/v1/charts/{chart.name}.svg", images)),
            ("page.csv", chart_url(statistic, [*pinned, ("format", "csv")])),
            ("page.xlsx", chart_url(statistic, [*pinned, ("format", "xlsx")])),
            ("page.json", chart_url(statistic, pinned)),
            ("page.spec", chart_url(f"/v1/charts/{chart.name}.vl.json", images)),
            ("page.embed_page", embed_url("", chart_query, release.id)),
        ],
    )
    page = ChartPage(
        lang=lang,
        name=chart.name,
        figure=figure,
        summary=describe(figure),
        demo_label=synthetic_label(release, lang),
        fields=tuple(release_fields(service, chart_query, release)),
        preview=embed_url("", chart_query, query.release),
        preview_height=page_height(figure, drawings, 800) + 24,
        facts=_release_facts(release, lang),
        citation=release.citation(),
        snippets=_snippets(base, embed_url(base, chart_query, release.id), figure, drawings, files),
        threshold=service.settings.suppression_threshold,
        language_links={code: chart_url(f"/charts/{chart.name}", _with_lang(asked, code)) for code in LANGS},
        published=False,
    )
    body = chart_page_html(page).encode("utf-8")
    return Representation(body, HTML_TYPE, html_headers(CONTENT_SECURITY_POLICY, lang))


def _with_lang(params: list[tuple[str, str]], lang: Lang) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in params if name != "lang"]
    return kept + ([("lang", lang)] if lang != "en" else [])


def _release_chart(request: Request, chart: Chart) -> Response:
    base = public_base(request)

    def key(chart_query: ChartQuery, release: ReleaseInfo) -> tuple[object, ...]:
        canonical = tuple(chart_query.query.canonical_params(chart_query.query.release))
        return ("chart-page", chart.name, release.id, chart_query.width, chart_query.theme, canonical)

    def page(service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo) -> Representation:
        return _release_page(service, chart_query, release, base)

    return cached_chart(request, chart, "page", _without_empty(request), key, page)


# --- Charts of published series ----------------------------------------------------------------------


def _published_chart(request: Request, series: Series) -> Response:
    service = stats_service(request)
    query = parse_drawing_query(_without_empty(request), "page")
    figure, digest = published_figure(request, series, query)
    base = public_base(request)
    key = ("published-page", series.key, digest, query)

    def build() -> Representation:
        lang, name = query.lang, chart_name(series)
        points = series_points(series, read_figures(service.engine))
        own = [("lang", lang)] if lang != "en" else []
        images = own + _drawing_params(query.width, query.theme)
        files = files_list(
            lang,
            [
                ("page.png", chart_url(f"/v1/charts/{name}.png", images)),
                ("page.svg", chart_url(f"/v1/charts/{name}.svg", images)),
                ("page.csv", f"/v1/figures/series/{series.key}?format=csv"),
                ("page.json", f"/v1/figures/series/{series.key}"),
                ("page.spec", chart_url(f"/v1/charts/{name}.vl.json", images)),
                ("page.embed_page", series_embed_url("", series, query)),
            ],
        )
        latest = max((str(p["date"]) for p in points), default="")
        facts = (
            (text("page.sources", lang), figure.source),
            (text("page.latest_point", lang), format_partial_date(latest, lang) if latest else "—"),
            (text("licence", lang), LICENCE),
        )
        asked = query.params("page")
        drawings = series_drawings(service, series, query, figure, digest)
        page = ChartPage(
            lang=lang,
            name=name,
            figure=figure,
            summary=describe(figure),
            demo_label=None,
            fields=tuple(common_fields(lang, query.width, query.theme)),
            preview=series_embed_url("", series, query),
            preview_height=page_height(figure, drawings, 800) + 24,
            facts=facts,
            citation=series_citation(series, points, base),
            snippets=_snippets(base, series_embed_url(base, series, query), figure, drawings, files),
            threshold=service.settings.suppression_threshold,
            language_links={code: chart_url(f"/charts/{name}", _with_lang(asked, code)) for code in LANGS},
            published=True,
        )
        body = chart_page_html(page).encode("utf-8")
        return Representation(body, HTML_TYPE, html_headers(CONTENT_SECURITY_POLICY, lang))

    return cached_response(request, service, key, build)


@router.get(
    "/charts/{chart}",
    summary="Chart page for people (HTML): preview, parameters, table, sources, download and embed code",
    response_class=HTMLResponse,
    responses={
        **HTML_PAGE_RESPONSES,
        404: {
            "description": "No chart of this name (the problem names `chart`).",
            "content": {PROBLEM_JSON: {}},
        },
    },
)
def chart_page(
    request: Request,
    chart: Annotated[
        str,
        Path(
            description="A chart name from /charts or /v1/charts, e.g. `in-custody`.",
            json_schema_extra={"enum": [*PUBLISHED_CHARTS, *CHARTS]},
        ),
    ],
) -> Response:
    """One chart for people who want to quote, download or embed it: the chart (its embed page), a
    short description built from its visible values, a form of its parameters that leads to this page's
    URL with them (every view is a link), its values as a table with hidden cells marked, its sources and
    citation, and embed code with the release pinned, oEmbed, image and data links. Takes the parameters
    of the chart's embed page plus `width` (of the images offered); an empty parameter, as an HTML form
    sends for "any", counts as not given. Plain HTML; a small script only copies and fits the preview."""
    if chart in CHARTS:
        return _release_chart(request, CHARTS[chart])
    if chart in PUBLISHED_CHARTS:
        return _published_chart(request, PUBLISHED_CHARTS[chart])
    raise _unknown(chart)
