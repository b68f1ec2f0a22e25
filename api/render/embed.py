"""The embed page of a chart: one self-contained HTML document for an iframe.

It carries its chart as inline SVG (drawn at a few widths; CSS shows the one that fits), its
title, description, notes and source line, and a data table that only screen readers see. Nothing
is loaded from anywhere: the Content-Security-Policy allows the page's own style and script (by
hash) and no other source, and lets any site frame it. Without JavaScript the page is complete;
the one script only tells the parent page its height.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from api.charts.figure import Citation, Figure, Point
from api.charts.locale import format_count
from api.labels import Lang
from api.render.templates import asset, render, render_page
from api.render.text_lines import DESCRIPTION, SMALL, TITLE, Block, block
from api.translations import text

WIDTHS = (300, 500, 800)
"""Widths the chart is drawn at. The page shows the widest that fits, scaled to the page width."""
_PAGE_PADDING = 10
LINE_WIDTHS = (300, 340, 380, 420, 460, 500, 540, 600, 660, 720, 800, 900, 1000, 1100)
"""Widths the page's text is broken into lines for (api/render/text_lines.py): it shows the breaks of
the widest that fits, so a line leaves at most about a tenth of the page empty."""
MIN_WIDTH = WIDTHS[0] + 2 * _PAGE_PADDING
"""The narrowest page whose height is known: narrower, the browser breaks the lines again."""
_TITLE_GAP, _CHART_GAP, _SMALL_GAP = 6, 10, 4
"""Pixels under the title, around the drawing and between the small lines (embed.css says the same)."""
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')

_LIGHT = "--bg:#ffffff;--fg:#1f1f1f;--muted:#474747;--link:#0b57d0;color-scheme:light"
_DARK = "--bg:#18181b;--fg:#ececec;--muted:#c8c8c8;--link:#8ab4f8;color-scheme:dark"
_BASE_CSS = asset(
    "embed.css",
    padding=_PAGE_PADDING,
    title=TITLE,
    description=DESCRIPTION,
    small=SMALL,
    gaps={"title": _TITLE_GAP, "chart": _CHART_GAP, "small": _SMALL_GAP},
)
HEIGHT_MESSAGE = "prisoners-api:embed-height"
"""What the page posts to its parent with its height (the chart page and the embed code listen)."""
_SCRIPT = asset("embed.js", message=HEIGHT_MESSAGE)


@dataclass(frozen=True)
class EmbedLinks:
    """Where the page points: itself pinned to its release, its data, its image, its oEmbed."""

    permalink: str
    csv: str
    png: str
    oembed: str


def _theme_css(theme: str) -> str:
    if theme == "dark":
        return f":root{{{_DARK}}}"
    if theme == "light":
        return f":root{{{_LIGHT}}}"
    return f":root{{{_LIGHT}}}@media (prefers-color-scheme:dark){{:root{{{_DARK}}}}}"


def _variant_css() -> str:
    """Shows exactly one drawing, the widest that fits the page at its natural size or larger, and the
    line breaks made for the widest line that fits."""
    return _widest_only(".chart .w", "block", WIDTHS) + _widest_only("br.t", "inline", LINE_WIDTHS)


def _widest_only(prefix: str, display: str, widths: tuple[int, ...]) -> str:
    rules = [f"{prefix}{w}{{display:none}}" for w in widths[1:]]
    for smaller, width in pairwise(widths):
        rules.append(
            f"@media (min-width:{width + 2 * _PAGE_PADDING}px)"
            f"{{{prefix}{smaller}{{display:none}}{prefix}{width}{{display:{display}}}}}"
        )
    return "".join(rules)


def _hash(source: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"
    )


def content_security_policy(style: str) -> str:
    """Only this page's own style and script run; nothing is fetched; any site may frame it."""
    return (
        f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(_SCRIPT)}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors *"
    )


@dataclass(frozen=True)
class _Cell:
    text: str
    hidden: bool


@dataclass(frozen=True)
class _Row:
    label: str
    cells: list[_Cell]
    sources: list[Citation]


def _cell(points: list[Point], lang: Lang) -> _Cell:
    hidden = [p.suppressed or p.count is None for p in points]
    values = [
        text("hidden", lang) if gone else p.value_label or format_count(p.count or 0, lang)
        for p, gone in zip(points, hidden, strict=True)
    ]
    return _Cell("; ".join(values), any(hidden))


def data_table(figure: Figure, *, visible: bool = False) -> Markup:
    """The chart's values as a table (for screen readers only, unless `visible`): a row per month or
    category, a column per series, and for published figures a column of sources; hidden cells say so."""
    lang = figure.lang
    series = figure.series_order
    cited = any(p.sources for p in figure.points)
    columns = [figure.label_of(s) for s in series] if len(series) > 1 else [figure.y_title]
    columns += [text("source_column", lang)] if cited else []
    cells: dict[tuple[str, str], list[Point]] = {}
    for point in figure.points:
        cells.setdefault((point.x, point.series), []).append(point)
    labels = {p.x: p.x_label for p in figure.points}
    rows = []
    for x in figure.x_order:
        points = [p for s in series for p in cells.get((x, s), [])]
        rows.append(
            _Row(
                labels[x],
                [_cell(cells.get((x, s), []), lang) for s in series],
                list(dict.fromkeys(c for p in points for c in p.sources)),
            )
        )
    table = render(
        "data_table.html",
        lang=lang,
        figure=figure,
        columns=[figure.x_title or text("people", lang), *columns],
        rows=rows,
        cited=cited,
    )
    # The class sits on a wrapper: a table is never narrower than its content, a div can be 1 px.
    return table if visible else Markup('<div class="visually-hidden">{}</div>').format(table)


@dataclass(frozen=True)
class _Text:
    """The page's words in lines: its title, description, notes and source line (with the page's links)."""

    title: Block
    summary: Block
    small: list[Block]


def _text(figure: Figure, links: EmbedLinks | None = None) -> _Text:
    lang = figure.lang
    hrefs = links or EmbedLinks("", "", "", "")
    labels = [
        (hrefs.permalink, text("permalink", lang)),
        (hrefs.csv, text("page.csv", lang)),
        (hrefs.png, text("page.png", lang)),
    ]
    return _Text(
        block(figure.title, TITLE, LINE_WIDTHS),
        block(" ".join((figure.description, *figure.subtitle)), DESCRIPTION, LINE_WIDTHS),
        [
            *(block(note, SMALL, LINE_WIDTHS) for note in figure.notes),
            block(figure.source, SMALL, LINE_WIDTHS, labels),
        ],
    )


def embed_page(figure: Figure, drawings: dict[int, str], theme: str, links: EmbedLinks) -> tuple[bytes, str]:
    """The page as UTF-8 bytes, and the Content-Security-Policy that must come with it."""
    style = _theme_css(theme) + _BASE_CSS + _variant_css()
    page = render_page(
        "embed.html",
        lang=figure.lang,
        title=figure.title,
        description=figure.description,
        figure=figure,
        theme=theme,
        color_scheme={"light": "light", "dark": "dark"}.get(theme, "light dark"),
        links=links,
        style=style,
        script=_SCRIPT,
        # Vega's drawings of our own figure, put into the page as they are.
        drawings=[(width, Markup(drawings[width])) for width in WIDTHS],  # noqa: S704
        words=_text(figure, links),
        table=data_table(figure),
    )
    return page.encode("utf-8"), content_security_policy(style)


def page_height(figure: Figure, drawings: Mapping[int, str], width: int) -> int:
    """The page's height at `width` pixels (at least `MIN_WIDTH`) with these drawings (drawing width →
    SVG), as Chromium lays it out."""
    return page_heights(figure, drawings, [width])[width]


def page_heights(figure: Figure, drawings: Mapping[int, str], widths: Iterable[int]) -> dict[int, int]:
    """The page's height at each of `widths`: its lines (api/render/text_lines.py) and gaps, and the
    drawing it shows, whose height is its viewBox's (what vl-convert drew) scaled to the page."""
    words = _text(figure)
    blocks = [words.title, words.summary, *words.small]
    fixed = 2 * _PAGE_PADDING + _TITLE_GAP + 2 * _CHART_GAP + _SMALL_GAP * (len(words.small) - 1)
    heights = {}
    for width in widths:
        drawn, line = drawing_width(width), _widest(LINE_WIDTHS, width)
        found = _VIEWBOX.search(drawings[drawn])
        if found is None:
            raise ValueError("a drawing without a viewBox")
        chart = float(found.group(2)) * (width - 2 * _PAGE_PADDING) / float(found.group(1))
        heights[width] = math.ceil(fixed + sum(b.height(line) for b in blocks) + chart)
    return heights


def drawing_width(width: int) -> int:
    """The width of the drawing the page shows when it is `width` pixels wide."""
    return _widest(WIDTHS, width)


def _widest(widths: tuple[int, ...], width: int) -> int:
    """The widest of `widths` that fits a page `width` pixels wide (the narrowest when none does)."""
    inner = width - 2 * _PAGE_PADDING
    return max([w for w in widths if w <= inner] or [widths[0]])
