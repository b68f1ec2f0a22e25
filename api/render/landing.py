"""The landing page: plain HTML for people, schema.org `Dataset` JSON-LD for dataset search engines.

No JavaScript and no external resource: one inline style sheet, allowed by its hash in a strict
Content-Security-Policy. The JSON-LD block is data, not script, so `script-src 'none'` holds.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from api.charts.locale import format_count, format_day, format_partial_date
from api.figures_latest import RealFigure
from api.labels import LANGS, Lang
from api.render.landing_chart import RealChart, chart_view
from api.render.templates import asset, render_page
from api.stats.releases import SYNTHETIC_LABEL, ReleaseInfo
from api.translations import text

RELEASE_HEADLINES = ("in_custody_total", "in_custody_female", "recognized_total", "released_total")
DATASET_NAME = "Political prisoners in Belarus — open data"

STYLE = asset("landing.css")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class LandingPage:
    """What the page shows: the latest release (if any) and its headline figures, in one language."""

    lang: Lang
    base_url: str
    release: ReleaseInfo | None
    headlines: dict[str, int | None] = field(default_factory=dict)
    threshold: int = 5
    real: tuple[RealFigure, ...] = ()
    """The latest real published figures, shown before anything from the release."""
    chart: RealChart | None = None
    """The chart of a real published series the page leads with."""


def dataset_jsonld(page: LandingPage) -> dict[str, Any]:
    """schema.org `Dataset` describing the latest release and its downloads."""
    base = page.base_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": DATASET_NAME,
        "description": text("description", "en"),
        "url": f"{base}/",
        "inLanguage": list(LANGS),
        "isAccessibleForFree": True,
        "keywords": ["Belarus", "political prisoners", "human rights", "repression", "statistics"],
        "spatialCoverage": {
            "@type": "Place",
            "name": "Belarus",
            "address": {"@type": "PostalAddress", "addressCountry": "BY"},
        },
    }
    data["hasPart"] = [_real_figures_part(base)]
    release = page.release
    if release is None:
        return data
    urls = release.links(base)
    creators = [c["title"] for c in release.metadata.get("contributors", []) if c.get("title")]
    if release.synthetic:
        data["description"] += (
            f" The release {release.id} is SYNTHETIC: {release.synthetic_note or SYNTHETIC_LABEL}"
        )
    data |= {
        "version": release.id,
        "dateModified": release.published.isoformat(),
        "datePublished": release.published.isoformat(),
        "temporalCoverage": f"{release.first_month}/{release.valid_as_of.isoformat()}",
        "license": release.licence_url,
        "creator": [{"@type": "Organization", "name": name} for name in creators or [DATASET_NAME]],
        "creditText": release.citation(),
        "isBasedOn": [
            {"@type": "CreativeWork", "name": s.get("title", ""), "url": s.get("path", "")}
            for s in release.sources
        ],
        "distribution": [
            _download(
                "Whole release: tables, datapackage.json, README, citation",
                "application/zip",
                urls["download"],
            ),
            _download("Frictionless Data Package descriptor", "application/json", urls["datapackage"]),
            _download("Headline figures (CSV)", "text/csv", f"{urls['tables']}/summary.csv"),
            _download("Published figures with citations (CSV)", "text/csv", f"{base}/v1/figures?format=csv"),
            _download("Citation (CITATION.cff)", "text/plain", urls["citation"]),
        ],
        "additionalProperty": {"@type": "PropertyValue", "name": "synthetic", "value": release.synthetic},
    }
    return data


REAL_FIGURES_NAME = (
    "Published figures on political prisoners in Belarus, with citations (real, not synthetic)"
)


def _real_figures_part(base: str) -> dict[str, Any]:
    """The real published figures as their own schema.org Dataset, apart from the (synthetic) release."""
    csv_url = f"{base}/v1/figures?format=csv"
    return {
        "@type": "Dataset",
        "name": REAL_FIGURES_NAME,
        "description": "Figures published by the Human Rights Centre Viasna and the press, each with the "
        "address of the page it was read in, the date it is valid for and the date its source was "
        "published. Never synthetic.",
        "url": f"{base}/v1/figures",
        "distribution": [_download("Published figures with citations (CSV)", "text/csv", csv_url)],
    }


def _download(name: str, media_type: str, url: str) -> dict[str, str]:
    return {"@type": "DataDownload", "name": name, "encodingFormat": media_type, "contentUrl": url}


@dataclass(frozen=True)
class _RealBox:
    """One real published figure as its box shows it: the number as the source states it, its dates."""

    figure: RealFigure
    value: str
    as_of: str
    published: str


def _real_box(figure: RealFigure, lang: Lang) -> _RealBox:
    number = format_count(figure.value, lang)
    value = f"{text(figure.qualifier, lang)} {number}" if figure.qualifier != "exact" else number
    published = format_partial_date(figure.source_published, lang) if figure.source_published else ""
    return _RealBox(figure, value, format_partial_date(figure.as_of, lang), published)


def _links(page: LandingPage) -> list[tuple[str, str, str]]:
    """(URL, label key, note key) of the section "Use the data"."""
    lang = page.lang
    gallery = "/charts" + (f"?lang={lang}" if lang != "en" else "")
    rows = [(gallery, "gallery", "gallery_note"), ("/docs", "docs", "docs_note")]
    if page.release is not None:
        urls = page.release.links()
        rows += [(urls["download"], "zip", "zip_note"), (urls["tables"], "tables", "")]
    return [
        *rows,
        ("/v1/charts", "charts", "charts_note"),
        ("/v1/figures", "published", "published_note"),
        ("/v1", "index", ""),
    ]


def _headlines(page: LandingPage) -> list[tuple[str, str]]:
    lang = page.lang
    shown = {key: page.headlines.get(key) for key in RELEASE_HEADLINES}
    return [
        (key, format_count(value, lang) if value is not None else text("hidden", lang))
        for key, value in shown.items()
    ]


def landing_html(page: LandingPage) -> Markup:
    """The whole page, in `page.lang`."""
    lang, release = page.lang, page.release
    synthetic = release is not None and release.synthetic
    return render_page(
        "landing.html",
        lang=lang,
        title=text("title", lang),
        description=text("description", lang),
        style=STYLE,
        base_url=page.base_url,
        jsonld=dataset_jsonld(page),
        language_links={code: f"/?lang={code}" for code in LANGS},
        real=[_real_box(figure, lang) for figure in page.real],
        chart=chart_view(page.chart, lang),
        release=release,
        release_heading=text("demo" if synthetic else "figures", lang),
        as_of=format_day(release.valid_as_of, lang) if release else "",
        headlines=_headlines(page),
        links=_links(page),
        urls=release.links() if release else {},
        threshold=page.threshold,
        licence=release.licence_url if release else "https://creativecommons.org/licenses/by/4.0/",
    )
