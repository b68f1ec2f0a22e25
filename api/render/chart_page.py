"""The page of one chart, `/charts/{chart}`: preview, a form of its parameters, table, sources, downloads.

Every view is a URL: the form is a plain GET form back to this page, so it works without JavaScript.
The one inline script (allowed by its hash) only fits the preview's height, tidies the URL a form
sends (empty fields left out) and runs the copy buttons. The preview is the chart's own embed page in
an iframe of this origin (`frame-src 'self'`); nothing comes from anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from api.charts.figure import Figure
from api.labels import Lang
from api.render.embed import HEIGHT_MESSAGE, data_table
from api.render.page_style import STYLE, sha256_source
from api.render.templates import asset, render_page
from api.translations import text

SCRIPT = asset("chart_page.js", message=HEIGHT_MESSAGE)
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {sha256_source(SCRIPT)}; style-src {sha256_source(STYLE)}; "
    "img-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Field:
    """One control of the form: a choice (`options`, value and label) or a month."""

    name: str
    label: str
    value: str
    kind: Literal["select", "month"] = "select"
    options: tuple[tuple[str, str], ...] = ()
    minimum: str = ""
    maximum: str = ""


@dataclass(frozen=True)
class Snippets:
    """What a reader copies or downloads: the embed code (release pinned), oEmbed, files."""

    responsive: str
    fixed: str
    oembed: str
    files: tuple[tuple[str, str], ...]
    """(label, URL) of the PNG, SVG, spec and data files of this view."""


@dataclass(frozen=True)
class ChartPage:
    """Everything the page of one chart view shows, in one language."""

    lang: Lang
    name: str
    figure: Figure
    summary: str
    demo_label: str | None
    fields: tuple[Field, ...]
    preview: str
    """The embed page of this view (relative URL), shown in the iframe."""
    preview_height: int
    facts: tuple[tuple[str, Markup | str], ...]
    """(term, text or HTML) lines of the Sources section."""
    citation: str
    snippets: Snippets
    threshold: int
    language_links: dict[Lang, str]
    published: bool


def chart_page_html(page: ChartPage) -> Markup:
    """The whole page."""
    lang, figure = page.lang, page.figure
    return render_page(
        "chart_page.html",
        lang=lang,
        title=figure.title,
        description=page.summary,
        style=STYLE,
        script=SCRIPT,
        page=page,
        figure=figure,
        gallery="/charts" + (f"?lang={lang}" if lang != "en" else ""),
        table=data_table(figure, visible=True),
    )


def files_list(lang: Lang, links: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(label, URL) pairs from (text key, URL) pairs."""
    return tuple((text(key, lang), href) for key, href in links)
