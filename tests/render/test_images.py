"""SVG and PNG drawn by vl-convert: parsed and decoded, with their size and their texts."""

from __future__ import annotations

import io
import re
from typing import cast
from xml.etree import ElementTree

from PIL import Image

from api.render import images
from api.render.vegalite import chart_spec
from tests.utils.charts import figure

SVG = "{http://www.w3.org/2000/svg}"
LABEL = "Demonstration data generated to match published totals — not real records."


def _svg_texts(document: str) -> str:
    """The drawn texts, each line (tspan) of a multi-line text separated by a space."""
    root = ElementTree.fromstring(document)
    return " ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def test_svg_has_the_requested_width_and_shows_title_and_synthetic_label() -> None:
    document = images.svg(chart_spec(figure(), 480, "light"))
    root = ElementTree.fromstring(document)
    assert root.tag == f"{SVG}svg" and root.get("width") == "480"
    texts = _svg_texts(document)
    assert "A test chart" in texts and "hidden" in texts
    # The label is wrapped into lines; joined again it is the whole sentence.
    assert LABEL in " ".join(texts.split())


def test_svg_draws_cyrillic_labels_as_text() -> None:
    document = images.svg(chart_spec(figure(lang="be"), 640, "light"))
    assert "схавана" in _svg_texts(document)


def test_png_is_a_decodable_image_of_width_times_scale() -> None:
    spec = chart_spec(figure(), 400, "dark")
    image = Image.open(io.BytesIO(images.png(spec, 2)))
    assert image.format == "PNG"
    assert image.size == (800, spec["height"] * 2)
    # The dark theme paints a dark background.
    assert sum(cast(tuple[int, int, int], image.convert("RGB").getpixel((2, 2)))) < 150


def test_inline_svg_is_sized_by_css_with_prefixed_ids_and_one_accessible_name() -> None:
    document = '<svg width="300" height="200" viewBox="0 0 300 200" role="graphics-document"><defs>'
    document += '<clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"/></svg>'
    inline = images.inline_svg(document, "w300-", 'A "chart" & more')
    head = inline.split(">", 1)[0]
    assert not re.search(r'\s(width|height)="', head) and 'viewBox="0 0 300 200"' in head
    assert 'role="img"' in head and 'aria-label="A &quot;chart&quot; &amp; more"' in head
    assert 'id="w300-clip1"' in inline and "url(#w300-clip1)" in inline and "graphics-document" not in inline
