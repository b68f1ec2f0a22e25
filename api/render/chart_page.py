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

from api.charts.figure import Figure
from api.labels import Lang
from api.render.embed import data_table
from api.render.page_style import STYLE, document, e, language_nav, sha256_source
from api.translations import text

HEIGHT_MESSAGE = "prisoners-api:embed-height"

SCRIPT = (
    "(function(){"
    "var frame=document.querySelector('iframe.preview');"
    "addEventListener('message',function(m){"
    "if(frame&&m.source===frame.contentWindow&&m.data&&m.data.type==='" + HEIGHT_MESSAGE + "'){"
    "frame.setAttribute('height',String(Math.ceil(m.data.height)+2));}});"
    "var form=document.querySelector('form.view');"
    "function fields(){return form?form.querySelectorAll('select,input'):[];}"
    "if(form){form.addEventListener('submit',function(){"
    "fields().forEach(function(f){if(!f.value){f.disabled=true;}});});}"
    "addEventListener('pageshow',function(){fields().forEach(function(f){f.disabled=false;});});"
    "document.querySelectorAll('button.copy').forEach(function(b){"
    "var source=document.getElementById(b.getAttribute('data-copy'));"
    "var status=document.getElementById(b.getAttribute('data-copy')+'-status');"
    "b.hidden=false;"
    "function done(){status.textContent=b.getAttribute('data-done');}"
    "function fallback(){source.focus();source.select();document.execCommand('copy');done();}"
    "b.addEventListener('click',function(){"
    "if(navigator.clipboard&&navigator.clipboard.writeText){"
    "navigator.clipboard.writeText(source.value).then(done,fallback);}else{fallback();}});});"
    "})();"
)
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
    facts: tuple[tuple[str, str], ...]
    """(term, HTML) lines of the Sources section."""
    citation: str
    snippets: Snippets
    threshold: int
    language_links: dict[Lang, str]
    published: bool


def _control(field: Field, lang: Lang) -> str:
    ident = f"f-{field.name}"
    if field.kind == "month":
        bounds = (f' min="{e(field.minimum)}"' if field.minimum else "") + (
            f' max="{e(field.maximum)}"' if field.maximum else ""
        )
        control = (
            f'<input type="month" id="{ident}" name="{e(field.name)}" value="{e(field.value)}"{bounds} '
            f'placeholder="{e(text("month_hint", lang))}" pattern="[0-9]{{4}}-[0-9]{{2}}">'
        )
    else:
        options = "".join(
            f'<option value="{e(value)}"{" selected" if value == field.value else ""}>{e(label)}</option>'
            for value, label in field.options
        )
        control = f'<select id="{ident}" name="{e(field.name)}">{options}</select>'
    return f'<label for="{ident}">{e(field.label)}{control}</label>'


def _form(page: ChartPage) -> str:
    controls = "".join(_control(field, page.lang) for field in page.fields)
    return (
        f'<form class="view" method="get" action="/charts/{e(page.name)}">{controls}'
        f'<div><button type="submit">{e(text("page.apply", page.lang))}</button></div></form>'
    )


def _copyable(ident: str, label: str, value: str, lang: Lang, rows: int = 3) -> str:
    """A read-only text box and its copy button (shown by the script; without it, select and copy)."""
    return (
        f'<div class="block"><label for="{ident}">{e(label)}</label>'
        f'<textarea id="{ident}" readonly rows="{rows}">{e(value)}</textarea>'
        f'<button type="button" class="copy" data-copy="{ident}" data-done="{e(text("page.copied", lang))}" '
        f"hidden>{e(text('page.copy', lang))}</button>"
        f'<span id="{ident}-status" role="status" class="muted"></span></div>'
    )


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{e(heading)}</h2>{body}</section>'


def _sources(page: ChartPage) -> str:
    lang = page.lang
    facts = "".join(f"<dt>{e(term)}</dt><dd>{value}</dd>" for term, value in page.facts)
    note = f'<p class="note">{e(page.demo_label)}</p>' if page.demo_label else ""
    return f'{note}<dl class="facts">{facts}</dl>' + _copyable(
        "citation", text("page.citation", lang), page.citation, lang
    )


def _downloads(page: ChartPage) -> str:
    lang, snippets = page.lang, page.snippets
    files = "".join(f'<li><a href="{e(href)}">{e(label)}</a></li>' for label, href in snippets.files)
    snippet_label = text("page.snippet_published" if page.published else "page.snippet", lang)
    return (
        _copyable("snippet", snippet_label, snippets.responsive, lang, rows=6)
        + _copyable("fixed", text("page.fixed", lang), snippets.fixed, lang)
        + _copyable("oembed", text("page.oembed", lang), snippets.oembed, lang, rows=2)
        + f'<h3>{e(text("page.files", lang))}</h3><ul class="files">{files}</ul>'
    )


def _table(page: ChartPage) -> str:
    lang = page.lang
    note = ""
    if not page.published:
        hidden = text("page.hidden_note", lang, hidden=_hidden_word(lang), k=page.threshold)
        note = f'<p class="muted">{e(hidden)}</p>'
    label = e(text("page.table_scroll", lang))
    return (
        f'{note}<div class="scroll" tabindex="0" role="region" aria-label="{label}">'
        f"{data_table(page.figure, visible=True)}</div>"
    )


def _hidden_word(lang: Lang) -> str:
    return text("hidden", lang)


def chart_page_html(page: ChartPage) -> str:
    """The whole page."""
    lang, figure = page.lang, page.figure
    gallery = "/charts" + (f"?lang={lang}" if lang != "en" else "")
    demo = f'<p class="note">{e(page.demo_label)}</p>' if page.demo_label else ""
    preview = (
        f'<iframe class="preview" src="{e(page.preview)}" title="{e(figure.title)}" '
        f'height="{page.preview_height}"></iframe>'
    )
    body = (
        f"<header>{language_nav(lang, page.language_links)}"
        f'<p><a href="{e(gallery)}">{e(text("all_charts", lang))}</a></p>'
        f"<h1>{e(figure.title)}</h1><p>{e(figure.description)}</p>{demo}</header>"
        f'<main id="main">'
        f'<p class="summary" id="summary">{e(page.summary)}</p>'
        + _section("chart", text("page.chart", lang), preview)
        + _section("view", text("page.view", lang), _form(page))
        + _section("table", text("page.table", lang), _table(page))
        + _section("sources", text("page.sources", lang), _sources(page))
        + _section("download", text("page.download", lang), _downloads(page))
        + "</main>"
    )
    return document(lang, figure.title, page.summary, body, SCRIPT)


def files_list(lang: Lang, links: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(label, URL) pairs from (text key, URL) pairs."""
    return tuple((text(key, lang), href) for key, href in links)
