"""The landing page at `/`: what the dataset is, its latest figures, where to get it, how to cite it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.figures_latest import latest_real_figures
from api.figures_series import SERIES, read_figures, series_points
from api.labels import Lang
from api.query import StatQuery
from api.render.landing import CONTENT_SECURITY_POLICY, RELEASE_HEADLINES, LandingPage, landing_html
from api.render.landing_chart import LANDING_CHART_SERIES, RealChart, real_chart
from api.responses import Representation
from api.routes.common import (
    HTML_PAGE_ROUTE,
    HTML_TYPE,
    PageLang,
    cached_page,
    html_headers,
    public_base,
)
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService

router = APIRouter(tags=["Landing page"])


def _headlines(service: StatisticsService, release: ReleaseInfo) -> dict[str, int | None]:
    """The headline counts of the summary statistic (exact totals; None if a count is suppressed)."""
    result = service.compute("summary", StatQuery(release=release.id), release)
    values = {f"{row['measure']}_{row['category']}": row["value"] for row in result.rows}
    return {key: _count(values.get(key)) for key in RELEASE_HEADLINES}


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _chart(request: Request, service: StatisticsService, lang: Lang) -> RealChart | None:
    """The real in-custody chart the page leads with, cited at the service's public address."""
    series = SERIES[LANDING_CHART_SERIES]
    points = series_points(series, read_figures(service.engine))
    base = service.settings.public_base_url or str(request.base_url).rstrip("/")
    return real_chart(series, points, lang, base)


def _page(
    request: Request, service: StatisticsService, release: ReleaseInfo | None, lang: Lang
) -> Representation:
    page = LandingPage(
        lang=lang,
        base_url=public_base(request),
        release=release,
        headlines=_headlines(service, release) if release else {},
        threshold=service.settings.suppression_threshold,
        real=latest_real_figures(service.engine),
        chart=_chart(request, service, lang),
    )
    headers = html_headers(CONTENT_SECURITY_POLICY, lang)
    return Representation(landing_html(page).encode("utf-8"), HTML_TYPE, headers)


@router.get(
    "/",
    summary="Landing page for people (HTML with schema.org Dataset JSON-LD)",
    **HTML_PAGE_ROUTE,
)
def landing(request: Request, lang: PageLang = "en") -> Response:
    """Real published figures first: the chart of the published count in custody with its citation,
    then the latest figures, each with its date and a link to its source; then the headline figures of
    the latest release, marked as demonstration data when it is synthetic; links to the documentation,
    downloads, charts and published figures, and how to cite. Plain HTML without JavaScript; the
    schema.org `Dataset` JSON-LD in its head lets dataset search engines index it."""
    return cached_page(
        request, "landing", lang, lambda service, latest: _page(request, service, latest, lang)
    )
