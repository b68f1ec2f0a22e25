"""Vega-Lite specs drawn as SVG or PNG on the server with vl-convert: no browser, no network.

vl-convert bundles Vega, Vega-Lite and fonts with Cyrillic glyphs; the spec carries its own locale
(`config.locale`), so month names and number formats follow the chart's language.
"""

from __future__ import annotations

import re
from typing import Any

from api.render.drawing import draw_png, draw_svg
from api.render.pool import POOL

_SVG_SIZE = re.compile(r'\s(width|height)="[\d.]+"')
_MARK = re.compile(
    r'<(path|circle|rect|line) aria-label="([^"]*)" role="graphics-symbol"'
    r' aria-roledescription="[^"]*"([^>]*?)/>'
)
_MARK_GROUP_ROLES = re.compile(
    r' role="graphics-(?:object|symbol)" aria-roledescription="[a-z]+ mark container"'
)
_ID = re.compile(r'\bid="([^"]+)"')


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document, drawn in the render pool (api/render/pool.py), each mark with its
    description as a hover title."""
    return hover_titles(POOL.run(draw_svg, spec))


def hover_titles(document: str) -> str:
    """Each mark that has a tooltip in the spec with its description (Vega's `aria-label`: the tooltip's
    fields, e.g. a published figure's source) as a `<title>`, which browsers show under the pointer: a
    drawn SVG runs no script to show tooltips. The marks' roles go: the chart stays one image."""
    return _MARK_GROUP_ROLES.sub("", _MARK.sub(r"<\1\3><title>\2</title></\1>", document))


def png(spec: dict[str, Any], scale: int) -> bytes:
    """The chart as a PNG, `scale` image pixels per chart pixel, drawn in the render pool."""
    return POOL.run(draw_png, spec, scale)


def inline_svg(document: str, id_prefix: str, label: str) -> str:
    """An SVG for inlining in HTML: sized by CSS from its viewBox, ids made unique, one accessible name.

    The page holds several drawings of one chart (one per width); prefixed ids keep each clip path
    pointing into its own drawing.
    """
    head, _, body = document.partition(">")
    head = _SVG_SIZE.sub("", head)
    head = re.sub(r'\s(role|aria-[a-z]+)="[^"]*"', "", head)
    ids = set(_ID.findall(body))
    for name in sorted(ids, key=len, reverse=True):
        body = body.replace(f'id="{name}"', f'id="{id_prefix}{name}"').replace(
            f"#{name})", f"#{id_prefix}{name})"
        )
        body = body.replace(f'href="#{name}"', f'href="#{id_prefix}{name}"')
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'{head} role="img" aria-label="{escaped}" focusable="false">{body}'
