"""The dimensions a statistic may be split or filtered by.

Levels come from the dataset's schema and reference tables (the single source of truth), so a new
enum value in dataset/schema/cases.schema.json appears here without a code change. The SQL computing
each from records is `api.records.cube.column`, on the curator's side only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from api.cells import CODED_ATTRIBUTES
from api.dataset import files
from api.labels import Lang, vocabulary_label

# The coded attributes, then two derived from a case's months (this order is the API's, in OpenAPI).
DIMENSION_NAMES = (*CODED_ATTRIBUTES, "status", "year_detained")
FILTER_NAMES = ("gender", "age_band", "region", "article")


@dataclass(frozen=True)
class Dimension:
    """A way to split counts: its values (levels) and their labels."""

    name: str
    description: str
    levels: tuple[str, ...]
    additive: bool = True
    """False for `article`: a person charged under two articles counts under both."""


@dataclass(frozen=True)
class Vocabularies:
    """Levels and reference labels read once from the dataset folder."""

    enums: dict[str, tuple[str, ...]]
    articles: dict[str, tuple[str, str, str]]
    regions: dict[str, tuple[str, str, str]]

    def label(self, dimension: str, code: str, lang: Lang) -> str:
        index = {"en": 0, "be": 1, "ru": 2}[lang]
        if dimension == "article" and code in self.articles:
            title = self.articles[code][index]
            return title if code == "other" else f"{code}: {title}"
        if dimension == "region" and code in self.regions:
            return self.regions[code][index]
        return vocabulary_label(code, lang) or code


@lru_cache(maxsize=4)
def vocabularies(dataset_dir: Path) -> Vocabularies:
    schema = files.schema_for(dataset_dir, files.CASES_FILE)
    enums = {
        field["name"]: tuple(field["constraints"]["enum"])
        for field in schema["fields"]
        if "enum" in field.get("constraints", {})
    }

    def titles(relative: Path, columns: tuple[str, str, str]) -> dict[str, tuple[str, str, str]]:
        with (dataset_dir / relative).open(encoding="utf-8-sig", newline="") as handle:
            return {
                row["code"]: (row[columns[0]], row[columns[1]], row[columns[2]])
                for row in csv.DictReader(handle)
            }

    return Vocabularies(
        enums=enums,
        articles=titles(files.ARTICLES, ("title_en", "title_be", "title_ru")),
        regions=titles(files.REGIONS, ("name_en", "name_be", "name_ru")),
    )


STATUS = Dimension("status", "In custody or released on the as-of date", ("in_custody", "released"))


WHOM_COUNTED = {
    "everyone": "Whom it counts: everyone recognized as a political prisoner since 2020, in custody or "
    "released by the as-of date; population=in_custody counts only the people in custody on that date.",
    "in_custody": "Whom it counts: the people in custody on the as-of date.",
    "released": "Whom it counts: the people released by the as-of date.",
    "split": "Whom it counts: each row says whether its people are in custody on the as-of date or released.",
}


def whom_counted(filters: Mapping[str, str], by: Iterable[str]) -> str:
    """The note every breakdown carries: without a status it counts everyone ever recognized, which is
    easy to misreport as the people in custody. Computed at publishing, and again for a slice."""
    if "status" in filters:
        return WHOM_COUNTED[filters["status"]]
    return WHOM_COUNTED["split" if {"status", "release_kind"} & set(by) else "everyone"]


def dimension(name: str, dataset_dir: Path, years: tuple[str, ...]) -> Dimension:
    """The dimension `name`; `years` are the detention years of the release (for `year_detained`)."""
    vocab = vocabularies(dataset_dir)
    if name == "article":
        return Dimension(
            name, "Criminal-code article charged (a person counts under each)", tuple(vocab.articles), False
        )
    if name == "release_kind":
        return Dimension(name, "How the person left custody", (*vocab.enums["release_kind"], "not_released"))
    if name == "status":
        return STATUS
    if name == "year_detained":
        return Dimension(name, "Year of detention", years)
    descriptions = {
        "gender": "Gender",
        "age_band": "Age band at detention",
        "region": "Region of detention (ISO 3166-2:BY)",
        "sentence_kind": "Kind of sentence",
    }
    return Dimension(name, descriptions[name], vocab.enums[name])
