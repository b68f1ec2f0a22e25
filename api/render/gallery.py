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

from markupsafe import Markup

from api.labels import LANGS, Lang
from api.render.page_style import STYLE, sha256_source, url
from api.render.templates import render_page
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
    thumbnail: Markup
    """The chart's default view as inline SVG, hidden from screen readers (the title says what it is)."""
    synthetic: bool


def _href(path: str, lang: Lang) -> str:
    return url(path, [("lang", lang)] if lang != "en" else [])


def gallery_html(
    lang: Lang,
    published: Sequence[Card],
    charts: Sequence[Card],
    release: ReleaseInfo | None,
    demo_label: str | None,
) -> str:
    """The gallery in `lang`: the published series' charts, then the release's (marked when synthetic)."""
    if release is None:
        heading = text("gallery.release", lang, release="—")
    else:
        key = "gallery.release_demo" if release.synthetic else "gallery.release"
        heading = text(key, lang, release=release.id)
    return render_page(
        "gallery.html",
        lang=lang,
        title=text("gallery.title", lang),
        description=text("gallery.lead", lang),
        style=STYLE,
        language_links={code: _href("/charts", code) for code in LANGS},
        home=_href("/", lang),
        chart_href=lambda name: _href(f"/charts/{name}", lang),
        published=published,
        charts=charts,
        release=release,
        heading=heading,
        demo_label=demo_label,
    )
