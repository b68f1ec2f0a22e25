"""The chart gallery `/charts`: every chart for people who pick one, as a thumbnail and a title."""

from __future__ import annotations

import hashlib
import time

import orjson
from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from api.charts.chart import CHARTS
from api.charts.figure import Figure
from api.charts.published import build_published_figure, chart_name
from api.figures_series import SERIES, read_figures, series_points
from api.labels import Lang
from api.problems import ProblemError
from api.render import images
from api.render.gallery import CONTENT_SECURITY_POLICY, Card, gallery_html
from api.render.provenance import synthetic_label
from api.render.vegalite import chart_spec
from api.responses import Representation
from api.routes.charts import chart_figure, default_query
from api.routes.common import (
    HTML_PAGE_ROUTE,
    HTML_TYPE,
    PageLang,
    cached_page,
    html_headers,
)
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService

router = APIRouter(tags=["Charts"])
THUMBNAIL_WIDTH = 300
DRAW_ATTEMPTS = 20
"""Tries of one thumbnail while every renderer is busy with other clients (half a second apart)."""


def _draw_patiently(figure: Figure) -> str:
    """The figure drawn as a thumbnail. Drawn one at a time by the gallery's own request, so this client
    never holds more than one renderer; when others hold them all, wait a little rather than fail."""
    spec = chart_spec(figure, THUMBNAIL_WIDTH, "page", framed=False)
    for attempt in range(DRAW_ATTEMPTS):
        try:
            return images.svg(spec)
        except ProblemError as problem:
            if problem.status not in (429, 503) or attempt == DRAW_ATTEMPTS - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def thumbnail(service: StatisticsService, key: tuple[object, ...], figure: Figure) -> Markup:
    """A chart's thumbnail as inline SVG (cached): hidden from screen readers, ids unique in the gallery."""

    def draw() -> Representation:
        svg = images.inline_svg(_draw_patiently(figure), f"t-{figure.chart}-", figure.title)
        svg = svg.replace(f' role="img" aria-label="{_attribute(figure.title)}"', ' aria-hidden="true"', 1)
        return Representation(svg.encode("utf-8"), "image/svg+xml")

    # Our own drawing (Vega's SVG of our figure), put into the page as it is.
    return Markup(service.cache.get_or_build(("thumbnail", *key), draw).body.decode("utf-8"))  # noqa: S704


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _published_cards(service: StatisticsService, lang: Lang) -> list[Card]:
    rows = read_figures(service.engine)
    cards = []
    for series in SERIES.values():
        points = series_points(series, rows)
        figure = build_published_figure(series, points, lang)
        digest = hashlib.sha256(orjson.dumps(points)).hexdigest()[:16]
        svg = thumbnail(service, (figure.chart, digest, lang), figure)
        cards.append(Card(chart_name(series), figure.title, figure.description, svg, False))
    return cards


def _release_cards(service: StatisticsService, release: ReleaseInfo, lang: Lang) -> list[Card]:
    cards = []
    for chart in CHARTS.values():
        chart_query = default_query(chart, release.id, lang)
        figure = chart_figure(service, chart_query, release)
        svg = thumbnail(service, (chart.name, release.id, lang), figure)
        cards.append(Card(chart.name, figure.title, figure.description, svg, release.synthetic))
    return cards


def _gallery(service: StatisticsService, release: ReleaseInfo | None, lang: Lang) -> Representation:
    # Real published figures first, wherever a reader lands; the release's charts after them.
    published = _published_cards(service, lang)
    charts = _release_cards(service, release, lang) if release else []
    label = synthetic_label(release, lang) if release else None
    page = gallery_html(lang, published, charts, release, label)
    return Representation(page.encode("utf-8"), HTML_TYPE, html_headers(CONTENT_SECURITY_POLICY, lang))


@router.get(
    "/charts",
    summary="Chart gallery for people (HTML): every chart as a thumbnail, real published figures first",
    **HTML_PAGE_ROUTE,
)
def gallery(request: Request, lang: PageLang = "en") -> Response:
    """Every chart as a thumbnail (its default view, drawn into the page) with its title and description,
    each linking to its chart page `/charts/{chart}`: first the charts of real published figures, then
    those of the latest dataset release, under a demonstration-data heading and mark when it is
    synthetic. Plain HTML without JavaScript."""
    return cached_page(request, "gallery", lang, lambda service, latest: _gallery(service, latest, lang))
