"""The pages' templates: everything printed is escaped unless it is Markup, and every template compiles."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from api.render.templates import ENVIRONMENT, asset, html_text, render
from api.translations import has_text

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def test_every_template_compiles() -> None:
    names = ENVIRONMENT.list_templates()
    assert {"base.html", "landing.html", "gallery.html", "chart_page.html", "embed.html"} <= set(names)
    for name in names:
        ENVIRONMENT.get_template(name)


def test_a_value_is_escaped_unless_it_is_markup() -> None:
    page = render(
        "problems.html", lang="en", title="<b>", description="", style="", script="", types=None,
        problem=("<script>alert(1)</script>", "Tom & \"Jerry's\""),
    )  # fmt: skip
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom &amp; &#34;Jerry&#39;s&#34;" in page and "<title>&lt;b&gt;</title>" in page


def test_a_sentence_with_html_placeholders_escapes_all_but_markup() -> None:
    link = Markup('<a href="/v1/figures">{}</a>').format("figures & <more>")
    filled = html_text("synthetic_body", "en", link=link)
    assert '<a href="/v1/figures">figures &amp; &lt;more&gt;</a>' in filled
    assert html_text("release_line", "en", release="<i>", date="d") == "Release &lt;i&gt;, data as of d."


def test_assets_are_plain_text_for_their_hashes() -> None:
    style = asset("pages.css")
    assert type(style) is str and "{#" not in style and "&#" not in style
    assert "prisoners-api:embed-height" in asset("embed.js", message="prisoners-api:embed-height")


def test_every_key_a_template_names_is_in_the_catalogue() -> None:
    named = {
        key
        for path in TEMPLATES.rglob("*.html")
        for key in re.findall(r"""\btext\(\s*["']([^"']+)["']""", path.read_text(encoding="utf-8"))
    }
    assert named and sorted(key for key in named if not has_text(key)) == []
