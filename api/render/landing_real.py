"""The landing page's first section: the latest real published figures, each box with its own citation.

Every box holds the number as its source states it (with "at least", "about" …), what it counts, the
date it is valid for, and a link to the page it was read in with the publisher and publication date.
"""

from __future__ import annotations

from html import escape

from api.figures_latest import RealFigure
from api.labels import Lang
from api.render.landing_text import format_count, format_partial_date
from api.translations import text


def _e(value: str) -> str:
    return escape(value, quote=True)


def _value(figure: RealFigure, lang: Lang) -> str:
    qualifier = text(figure.qualifier, lang) if figure.qualifier != "exact" else ""
    number = format_count(figure.value, lang)
    return f"{qualifier} {number}" if qualifier else number


def _citation(figure: RealFigure, lang: Lang) -> str:
    published = (
        f', {_e(text("published_on", lang))} <time datetime="{_e(figure.source_published)}">'
        f"{_e(format_partial_date(figure.source_published, lang))}</time>"
        if figure.source_published
        else ""
    )
    return (
        f'<p class="cite">{_e(text("source_column", lang))}: {_e(figure.source_publisher)}, '
        f'<a href="{_e(figure.source_url)}" rel="external">{_e(figure.source_title)}</a>{published}</p>'
    )


def _box(figure: RealFigure, lang: Lang) -> str:
    as_of = (
        f'{_e(text("as_of", lang))} <time datetime="{_e(figure.as_of)}">'
        f"{_e(format_partial_date(figure.as_of, lang))}</time>"
    )
    return (
        f'<div class="real" id="{_e(figure.figure_id)}"><dt>{_e(text(figure.headline, lang))}</dt>'
        f"<dd>{_e(_value(figure, lang))}</dd>"
        f'<dd class="when">{as_of}</dd><dd class="source">{_citation(figure, lang)}</dd></div>'
    )


def real_figures_html(figures: tuple[RealFigure, ...], lang: Lang, chart: str = "") -> str:
    """The section's body: an introduction, the chart (HTML) it leads with, one box per figure, and a
    link to every published figure."""
    if not figures:
        return f"<p>{_e(text('no_figures', lang))}</p>{chart}"
    boxes = "".join(_box(figure, lang) for figure in figures)
    return (
        f"<p>{_e(text('real_intro', lang))}</p>{chart}"
        f'<dl class="figures real-figures">{boxes}</dl>'
        f'<p><a href="/v1/figures">{_e(text("all_figures", lang))}</a></p>'
    )
