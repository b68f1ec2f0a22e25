"""The catalogue (api/locales/<lang>.json): every English sentence is translated, with the same blanks."""

from __future__ import annotations

import json
from string import Formatter

import pytest

from api.labels import LANGS, Lang
from api.translations import CATALOGUES, LANGUAGE_NAMES, LOCALES, has_text, text

TRANSLATIONS: tuple[Lang, ...] = tuple(lang for lang in LANGS if lang != "en")


def placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(sentence) if name is not None}


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_key_is_translated_and_nothing_else(lang: Lang) -> None:
    english, translated = CATALOGUES["en"], CATALOGUES[lang]
    assert sorted(english.keys() - translated.keys()) == [], f"missing in {lang}.json"
    assert sorted(translated.keys() - english.keys()) == [], f"not in en.json, so never shown: {lang}.json"


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_a_translation_has_the_placeholders_of_the_english(lang: Lang) -> None:
    differ = {
        key: (placeholders(sentence), placeholders(CATALOGUES[lang][key]))
        for key, sentence in CATALOGUES["en"].items()
        if placeholders(sentence) != placeholders(CATALOGUES[lang].get(key, sentence))
    }
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_is_a_non_empty_string_unless_english_is_empty(lang: Lang) -> None:
    catalogue = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    assert all(isinstance(value, str) for value in catalogue.values())
    empty = [key for key, value in catalogue.items() if not value.strip() and CATALOGUES["en"][key].strip()]
    assert empty == []


def test_text_fills_placeholders_in_the_language_asked() -> None:
    assert text("gallery.release", "be", release="2026-03") == "Графікі выпуску даных 2026-03"
    assert text("gallery.release", "en") == "Charts of the dataset release {release}"


def test_has_text_and_language_names() -> None:
    assert has_text("skip") and not has_text("no such key")
    assert LANGUAGE_NAMES == {"en": "English", "be": "Беларуская", "ru": "Русский"}
