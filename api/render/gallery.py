"""The chart gallery at `/charts`: every chart as a thumbnail and a title, real published figures first.

Thumbnails are inline SVG, drawn by the server into the page (a fixed default view of each chart), not
images the browser fetches one by one: a gallery of a dozen uncached images would ask for a dozen
drawings at once, and the render pool refuses a client more than its share of those (429). Inline, the
page is complete in one answer, works without JavaScript, and one drawing serves light and dark (its
lines and texts take the page's colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.labels import LANGS, Lang
from api.render.page_style import STYLE, document, e, language_nav, sha256_source, url
from api.stats.releases import ReleaseInfo
from api.translations import text

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {sha256_source(STYLE)}; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Card:
    """One chart in the gallery."""

    name: str
    title: str
    description: str
    thumbnail: str
    """The chart's default view as inline SVG, hidden from screen readers (the title says what it is)."""
    synthetic: bool


def _href(name: str, lang: Lang) -> str:
    return url(f"/charts/{name}", [("lang", lang)] if lang != "en" else [])


def _cards(cards: Sequence[Card], lang: Lang) -> str:
    items = []
    for card in cards:
        badge = f'<span class="badge">{e(text("demo.badge", lang))}</span>' if card.synthetic else ""
        items.append(
            f'<li data-chart="{e(card.name)}"><a href="{e(_href(card.name, lang))}">'
            f'<span class="thumb">{card.thumbnail}</span>'
            f'<span class="card-title">{e(card.title)}</span></a>{badge}'
            f"<p>{e(card.description)}</p></li>"
        )
    return f'<ul class="cards">{"".join(items)}</ul>'


def gallery_html(
    lang: Lang,
    published: Sequence[Card],
    charts: Sequence[Card],
    release: ReleaseInfo | None,
    demo_label: str | None,
) -> str:
    """The gallery in `lang`: the published series' charts, then the release's (marked when synthetic)."""
    nav = language_nav(
        lang, {code: url("/charts", [("lang", code)] if code != "en" else []) for code in LANGS}
    )
    home = url("/", [("lang", lang)] if lang != "en" else [])
    real = (
        '<section aria-labelledby="real">'
        f'<h2 id="real">{e(text("gallery.real", lang))}</h2>'
        f'<p class="muted">{e(text("gallery.real_note", lang))}</p>{_cards(published, lang)}</section>'
    )
    if release is None:
        release_part = f"<p>{e(text('no_release', lang))}</p>"
        heading = text("gallery.release", lang, release="—")
    else:
        key = "gallery.release_demo" if release.synthetic else "gallery.release"
        heading = text(key, lang, release=release.id)
        note = f'<p class="note">{e(demo_label)}</p>' if demo_label else ""
        release_part = note + _cards(charts, lang)
    demo = f'<section aria-labelledby="release"><h2 id="release">{e(heading)}</h2>{release_part}</section>'
    body = (
        f'<header>{nav}<p><a href="{e(home)}">{e(text("home", lang))}</a></p>'
        f"<h1>{e(text('gallery.title', lang))}</h1><p>{e(text('gallery.lead', lang))}</p></header>"
        f'<main id="main">{real}{demo}</main>'
    )
    return document(lang, text("gallery.title", lang), text("gallery.lead", lang), body)
