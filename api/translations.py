"""Every sentence the pages and the charts show, in English, Belarusian and Russian: one catalogue.

The words live in `api/locales/<lang>.json`, one flat object per language (key → sentence), shipped in
the wheel with the package. English is the reference: every key it has, `be.json` and `ru.json` have
too, with the same `{placeholders}` (tests/test_translations.py fails otherwise). A translator edits
those three files and nothing else.

Numbers stand after a colon wherever they count something, so no sentence needs plural forms. The
labels of the small vocabularies are here too (`vocabulary.<code>`, read through `api.labels`); the
titles of regions and articles are data of the dataset's reference tables. How each language writes
numbers and dates is code, in `api.charts.locale` and `api.render.landing_text`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

Lang = Literal["en", "be", "ru"]
LANGS: tuple[Lang, ...] = ("en", "be", "ru")

LOCALES = Path(__file__).with_name("locales")


def _load(lang: Lang) -> dict[str, str]:
    catalogue: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    return catalogue


CATALOGUES: dict[Lang, dict[str, str]] = {lang: _load(lang) for lang in LANGS}


def text(key: str, lang: Lang, **values: object) -> str:
    """The sentence `key` in `lang`, with `{placeholders}` filled from `values` (left as they are when
    no values are given)."""
    template = CATALOGUES[lang][key]
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    """Whether the catalogue has a sentence `key` (in English, hence in every language)."""
    return key in CATALOGUES["en"]


LANGUAGE_NAMES: dict[Lang, str] = {lang: text("language_name", lang) for lang in LANGS}
"""Each language's name in itself, as the language links show it."""
