"""Human labels of dimension values in English, Belarusian and Russian.

Codes stay stable in every language; only labels change. Articles and regions take their titles
from the reference tables (dataset/reference/); the small vocabularies (gender, age band, kinds of
sentence and release, status) are sentences of the catalogue, `vocabulary.<code>` in
api/locales/<lang>.json, so a translator finds them with every other word.
"""

from __future__ import annotations

from api.translations import LANGS as LANGS
from api.translations import Lang as Lang
from api.translations import has_text, text


def vocabulary_label(code: str, lang: Lang) -> str | None:
    """The translated label of a vocabulary code, or None when the code is not in the vocabulary."""
    key = f"vocabulary.{code}"
    return text(key, lang) if has_text(key) else None
