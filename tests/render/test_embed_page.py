"""The embed page as HTML: well formed, self-contained, its policy matching its own style and script."""

from __future__ import annotations

import base64
import hashlib
import re
from xml.etree.ElementTree import Element

import html5lib
import pytest

from api.render.embed import WIDTHS, EmbedLinks, content_security_policy, data_table, embed_page
from tests.utils.charts import figure

LINKS = EmbedLinks(
    "http://x/embed/t?release=r", "http://x/v1/stats/t?format=csv", "http://x/t.png", "http://x/oembed"
)
DRAWINGS = {width: f'<svg viewBox="0 0 {width} 100" role="img" aria-label="chart"></svg>' for width in WIDTHS}


def _page(theme: str = "light", lang: str = "en") -> tuple[str, str]:
    body, policy = embed_page(figure(lang=lang), DRAWINGS, theme, LINKS)
    return body.decode("utf-8"), policy


def _tree(html: str) -> Element:
    tree: Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return tree


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
def test_policy_allows_exactly_the_inline_style_and_script(theme: str) -> None:
    html, policy = _page(theme)
    tree = _tree(html)
    (style,) = list(tree.iter("style"))
    (script,) = list(tree.iter("script"))
    assert f"style-src {_sha256(style.text or '')};" in policy
    assert f"script-src {_sha256(script.text or '')};" in policy
    assert "default-src 'none'" in policy and policy.endswith("frame-ancestors *")
    assert policy == content_security_policy(style.text or "")


def test_page_loads_nothing_from_anywhere() -> None:
    tree = _tree(_page()[0])
    assert not [e for e in tree.iter() if e.get("src")]
    assert not [e for e in tree.iter("link") if e.get("rel") == "stylesheet"]


def test_auto_theme_follows_the_reader_and_fixed_themes_do_not() -> None:
    assert "prefers-color-scheme:dark" in _page("auto")[0]
    assert "prefers-color-scheme" not in _page("dark")[0]


def test_page_has_every_drawing_and_shows_one_per_width() -> None:
    html = _page()[0]
    for width in WIDTHS:
        assert f'class="w{width}"' in html
    assert re.search(r"@media \(min-width:520px\)\{\.chart \.w300\{display:none\}", html)


def test_page_names_its_language_oembed_and_permalink() -> None:
    tree = _tree(_page(lang="ru")[0])
    assert tree.get("lang") == "ru"
    links = {e.get("rel"): e.get("href") for e in tree.iter("link")}
    assert links["canonical"] == LINKS.permalink and links["alternate"] == LINKS.oembed


def test_data_table_names_hidden_cells() -> None:
    table = data_table(figure())
    assert "<caption>Data of the chart: A test chart</caption>" in table
    # A hidden cell says so in words, and carries a class a visible table styles apart.
    assert '<td class="hidden">hidden</td>' in table and "<td>120</td>" in table and table.count("<tr>") == 4


def test_a_visible_data_table_is_the_same_table_without_the_hiding_wrapper() -> None:
    hidden, visible = data_table(figure()), data_table(figure(), visible=True)
    assert visible.startswith("<table>") and hidden == f'<div class="visually-hidden">{visible}</div>'
