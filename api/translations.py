"""Every sentence of the pages, the charts and the errors, in English, Belarusian and Russian.

The words live in `api/locales/<lang>.json`, one flat object per language (key → sentence), shipped in
the wheel with the package. English is the reference: every key it has, `be.json` and `ru.json` have
too, with the same `{placeholders}` (tests/test_translations.py fails otherwise). A translator edits
those three files and nothing else.

Numbers stand after a colon wherever they count something, so no sentence needs plural forms. The
labels of the small vocabularies are here too (`vocabulary.<code>`, read through `api.labels`); the
titles of regions and articles are data of the dataset's reference tables. How each language writes
numbers, months and dates is code, in `api.charts.locale`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Lang = Literal["en", "be", "ru"]
LANGS: tuple[Lang, ...] = ("en", "be", "ru")

LOCALES = Path(__file__).with_name("locales")


def _load(lang: Lang) -> dict[str, str]:
    catalogue: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    return catalogue


CATALOGUES: dict[Lang, dict[str, str]] = {lang: _load(lang) for lang in LANGS}


def text(key: str, lang: Lang, /, **values: object) -> str:
    """The sentence `key` in `lang`, with `{placeholders}` filled from `values` (left as they are when
    no values are given). `key` and `lang` are positional only, so a sentence may have a `{key}`."""
    template = CATALOGUES[lang][key]
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    """Whether the catalogue has a sentence `key` (in English, hence in every language)."""
    return key in CATALOGUES["en"]


LANGUAGE_NAMES: dict[Lang, str] = {lang: text("language_name", lang) for lang in LANGS}
"""Each language's name in itself, as the language links show it."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the catalogue and its values, put into words only once the reader's language is
    known: an error is raised deep in a parser, long before the answer's language is chosen. A value
    may itself be a `Sentence` (a problem's reason inside its detail)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        values = {name: words(value, lang) for name, value in self.values.items()}
        return text(self.key, lang, **values)


def words(value: object, lang: Lang) -> object:
    """`value` with every `Sentence` in it (in dicts and lists too) put into words in `lang`."""
    if isinstance(value, Sentence):
        return value.text(lang)
    if isinstance(value, dict):
        return {name: words(item, lang) for name, item in value.items()}
    if isinstance(value, list):
        return [words(item, lang) for item in value]
    return value


def preferred_lang(lang: str | None, accept_language: str | None) -> Lang:
    """The language to answer in when a request does not pick it itself: `lang` when it is one of
    ours, else the first of ours that `Accept-Language` prefers (highest `q` first), else English."""
    chosen = _ours(lang)
    if chosen is not None:
        return chosen
    ranked: list[tuple[float, str]] = []
    for item in (accept_language or "").split(","):
        tag, _, weight = item.strip().partition(";")
        q = weight.strip().removeprefix("q=")
        try:
            ranked.append((float(q) if q else 1.0, tag.strip().split("-")[0].lower()))
        except ValueError:
            continue  # a malformed item is ignored, as RFC 9110 lets a server do
    for quality, primary in sorted(ranked, key=lambda pair: -pair[0]):
        chosen = _ours(primary)
        if quality > 0 and chosen is not None:
            return chosen
    return "en"


def _ours(code: str | None) -> Lang | None:
    return next((lang for lang in LANGS if lang == code), None)
