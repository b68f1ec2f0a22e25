"""The embed page's words broken into lines here, not by the browser, so the page's height is known.

oEmbed must answer the height of the iframe before any browser lays the page out, and a height that
depends on the reader's fonts cannot be known. So the page's text is broken into lines for a few line
widths (`LINE_WIDTHS` of api/render/embed.py), with letters measured on the wide side (DejaVu Sans, the
widest usual sans-serif, plus a margin): a line fits in the usual fonts and the browser never wraps it
again. Each block has a fixed line height; the page shows the breaks made for the widest line that fits
(`<br class="t380">`, chosen by CSS as the drawing is). The page's height is then these lines plus the
drawing's height, which is its viewBox's (what vl-convert drew), scaled to the page: api/render/embed.py
adds them up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_NARROW = frozenset(" .,:;'’!|()[]/-–ijlrtfI1ії")
_WIDE = frozenset("mwMWмжшщюыфЖШЩЮЫФМ@%—")
_SPACES = re.compile(r"[ \t\n\r\f]+")
"""Spaces a browser may break at (not the no-break spaces inside numbers: str.split would break there)."""
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")
"""Where a browser may break a word: after a hyphen between letters."""
_FILL = 0.96
"""The share of a line's width the words may take: room for a font a little wider than measured."""


@dataclass(frozen=True)
class Style:
    """A block's font size and line height, in CSS pixels (embed.css says the same)."""

    font_px: int
    line_px: int
    bold: bool = False


TITLE = Style(18, 24, bold=True)
DESCRIPTION = Style(15, 21)
SMALL = Style(12, 17)


@dataclass(frozen=True)
class Word:
    """A word of a block, the line widths at which a line starts with it, and its link if it is one."""

    text: str
    space: bool
    breaks: tuple[int, ...]
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph of the page as words with their line breaks, and its number of lines at each width."""

    words: tuple[Word, ...]
    lines: dict[int, int]
    style: Style

    def height(self, width: int) -> int:
        """Its height in pixels when broken into lines `width` pixels wide."""
        return self.lines[width] * self.style.line_px


def _em(char: str) -> float:
    """A letter's width in ems, on the wide side of DejaVu Sans."""
    if char in _NARROW:
        return 0.42
    if char in _WIDE:
        return 1.02
    return 0.78 if char.isupper() else 0.66


def _width(word: str, style: Style) -> float:
    return sum(_em(char) for char in word) * style.font_px * (1.12 if style.bold else 1.0)


def _breaks(widths: Sequence[tuple[float, float]], line: float) -> tuple[list[int], int]:
    """Greedy line breaking of pieces (the space before each, its width): the indexes of the pieces that
    start a line, and the number of lines (a piece wider than a line takes the lines the browser breaks
    it into)."""
    starts: list[int] = []
    used = 0.0
    lines = 0
    for index, (space, width) in enumerate(widths):
        if index and used + space + width <= line:
            used += space + width
            continue
        if index:
            starts.append(index)
        lines += max(1, -(-int(width) // int(line)))
        used = width
    return starts, lines


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The pieces a browser may break `text` between, each with whether a space comes before it: words,
    and the parts of a hyphenated word ("Женщины-" "политзаключённые"; never "361-" "1")."""
    return [
        (part, index > 0 and first)
        for index, word in enumerate(w for w in _SPACES.split(text) if w)
        for first, part in zip([True, *[False] * word.count("-")], _HYPHEN.split(word), strict=False)
    ]


def block(text: str, style: Style, widths: Sequence[int], links: Sequence[tuple[str, str]] = ()) -> Block:
    """`text` and then `links` (href, label: each shown as "· label") broken into lines of each of
    `widths`; a block without words has no line."""
    pieces: list[tuple[str, bool, str | None]] = [(part, space, None) for part, space in _pieces(text)]
    pieces += [(label, bool(pieces) or index > 0, href) for index, (href, label) in enumerate(links)]
    space = _width(" ", style)
    measured = [
        (space if spaced else 0.0, _width(("· " if href is not None else "") + part, style))
        for part, spaced, href in pieces
    ]
    starts: dict[int, list[int]] = {}
    lines: dict[int, int] = {}
    for width in widths:
        starts[width], lines[width] = _breaks(measured, width * _FILL)
    laid = tuple(
        Word(part, spaced, tuple(w for w in widths if index in starts[w]), href)
        for index, (part, spaced, href) in enumerate(pieces)
    )
    return Block(laid, lines, style)


def broken(text: str, width: float, style: Style) -> list[str]:
    """`text` as the lines of a box `width` pixels wide, for a drawing (SVG text never wraps itself)."""
    pieces = _pieces(text)
    space = _width(" ", style)
    measured = [(space if spaced else 0.0, _width(part, style)) for part, spaced in pieces]
    starts, _ = _breaks(measured, width * _FILL)
    lines: list[str] = []
    for index, (part, spaced) in enumerate(pieces):
        if not lines or index in starts:
            lines.append(part)
        else:
            lines[-1] += (" " if spaced else "") + part
    return lines
