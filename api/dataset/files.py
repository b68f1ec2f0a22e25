"""The dataset folder: where each file lives, its schema, and the rules beyond the schema.

Layout: schema/*.schema.json, reference/{articles,regions}.csv, figures/published_figures.csv,
releases/<release-id>/{cases.csv,release.json}. Validation here needs no database, so the same code
serves the migrations and the curators' `prisoners-api validate` command.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from api.cells import Cell
from api.dataset.validation import (
    DatasetError,
    Problem,
    Row,
    RowRule,
    iter_valid_rows,
    iter_valid_values,
    load_schema,
    reads,
)
from api.stats.releases import ReleaseDescription

ARTICLES = Path("reference/articles.csv")
REGIONS = Path("reference/regions.csv")
FIGURES = Path("figures/published_figures.csv")
RELEASES = Path("releases")
CASES_FILE = "cases.csv"
RELEASE_FILE = "release.json"
SUPPRESSION_FILE = "suppression.json"

_SCHEMAS = {
    "articles.csv": "articles.schema.json",
    "regions.csv": "regions.schema.json",
    "published_figures.csv": "published_figures.schema.json",
    "cases.csv": "cases.schema.json",
}
SENTENCE_KINDS_WITH_LENGTH = {"prison", "restricted_freedom", "home_confinement"}
SENTENCE_KINDS_WITHOUT_LENGTH = {"pending", "fine"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def label(path: Path, dataset_dir: Path) -> str:
    """The name a curator sees in messages: the path from the dataset folder's parent."""
    try:
        return str(path.resolve().relative_to(dataset_dir.resolve().parent))
    except ValueError:
        return str(path)


def schema_for(dataset_dir: Path, file_name: str) -> dict[str, Any]:
    return load_schema(dataset_dir / "schema" / _SCHEMAS[file_name])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def iter_table(dataset_dir: Path, relative: Path, row_rules: Iterable[RowRule] = ()) -> Iterator[Row]:
    """Rows of one of the dataset's CSV files, validated against its schema as they stream."""
    path = dataset_dir / relative
    if not path.is_file():
        raise DatasetError(
            [Problem(label(path, dataset_dir), None, None, None, "missing-file", "file not found")]
        )
    schema = schema_for(dataset_dir, path.name)
    return iter_valid_rows(path, schema, label(path, dataset_dir), row_rules)


def article_codes(dataset_dir: Path) -> set[str]:
    return {row["code"] for row in iter_table(dataset_dir, ARTICLES)}


@dataclass(frozen=True)
class ReleaseMetadata(ReleaseDescription):
    """release.json, validated: its description, and the whole document as read (`raw`)."""

    raw: dict[str, Any]


def _json_against_schema(path: Path, where: str, schema_path: Path) -> tuple[Any, list[Problem]]:
    """A JSON file of the dataset and every way it breaks its JSON Schema (formats checked)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetError(
            [Problem(where, None, None, None, "json", f"not valid UTF-8 JSON: {error}")]
        ) from None
    validator = jsonschema.Draft202012Validator(
        load_schema(schema_path), format_checker=jsonschema.FormatChecker()
    )
    problems = [
        Problem(
            where,
            None,
            "/".join(map(str, error.absolute_path)) or None,
            None,
            str(error.validator),
            error.message,
        )
        for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return raw, problems


def read_release_metadata(folder: Path, dataset_dir: Path) -> ReleaseMetadata:
    """Read and validate release.json of a release folder against dataset/schema/release.schema.json."""
    path = folder / RELEASE_FILE
    where = label(path, dataset_dir)
    if not path.is_file():
        raise DatasetError(
            [Problem(where, None, None, None, "missing-file", "release folder has no release.json")]
        )
    raw, problems = _json_against_schema(path, where, dataset_dir / "schema" / "release.schema.json")
    if not problems and raw["id"] != folder.name:
        problems.append(
            Problem(where, None, "id", raw["id"], "folder", f"id differs from the folder name {folder.name}")
        )
    if problems:
        raise DatasetError(problems)
    return ReleaseMetadata(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description", ""),
        valid_as_of=date.fromisoformat(raw["valid_as_of"]),
        published=date.fromisoformat(raw["published"]),
        synthetic=raw["synthetic"],
        synthetic_note=raw.get("synthetic_note", ""),
        licence_name=raw["licence"]["name"],
        licence_url=raw["licence"]["path"],
        raw=raw,
    )


def read_suppression(folder: Path, dataset_dir: Path, release_id: str) -> dict[Cell, bool] | None:
    """The cells of a release's suppression.json with whether each is hidden (else shown), validated
    against suppression.schema.json; None when the release has none (most releases: the tables' own
    protection passes the audit)."""
    path = folder / SUPPRESSION_FILE
    if not path.is_file():
        return None
    where = label(path, dataset_dir)
    raw, problems = _json_against_schema(path, where, dataset_dir / "schema" / "suppression.schema.json")
    if not problems and raw["release"] != release_id:
        problems.append(
            Problem(where, None, "release", raw["release"], "folder", f"release differs from {release_id}")
        )
    if problems:
        raise DatasetError(problems)
    shown = {Cell.from_json(entry): False for entry in raw.get("shown", [])}
    return shown | {Cell.from_json(entry): True for entry in raw["cells"]}


def case_rules(articles: set[str], last_month: str) -> list[RowRule]:
    """The rules of cases.csv that a Table Schema cannot express (documented in dataset/README.md)."""

    @reads("detained_on", "recognized_on", "released_on")
    def months_in_order(row: Row) -> Iterator[tuple[str, str, str]]:
        detained, recognized, released = row["detained_on"], row["recognized_on"], row["released_on"]
        for column in ("detained_on", "recognized_on", "released_on"):
            if _MONTH.fullmatch(row[column]) and row[column] > last_month:
                yield column, "after-as-of", f"month is after the release's as-of month {last_month}"
        if _MONTH.fullmatch(detained) and _MONTH.fullmatch(recognized) and recognized < detained:
            yield "recognized_on", "recognized-before-detention", "recognition is before the detention month"
        if _MONTH.fullmatch(released) and _MONTH.fullmatch(detained) and released < detained:
            yield "released_on", "release-before-detention", "release is before the detention month"
        elif _MONTH.fullmatch(released) and _MONTH.fullmatch(recognized) and released < recognized:
            yield "released_on", "release-before-recognition", "release is before the recognition month"

    @reads("released_on", "release_kind")
    def release_kind_with_release(row: Row) -> Iterator[tuple[str, str, str]]:
        if row["released_on"] and not row["release_kind"]:
            yield "release_kind", "release-kind-required", "a released case needs a release_kind"
        if row["release_kind"] and not row["released_on"]:
            yield "released_on", "released-on-required", "a release_kind needs a released_on month"

    @reads("sentence_kind", "sentence_months")
    def sentence_length(row: Row) -> Iterator[tuple[str, str, str]]:
        kind, months = row["sentence_kind"], row["sentence_months"]
        if kind in SENTENCE_KINDS_WITH_LENGTH and not months:
            yield (
                "sentence_months",
                "sentence-months-required",
                f"a {kind} sentence needs its length in months",
            )
        if kind in SENTENCE_KINDS_WITHOUT_LENGTH and months:
            yield "sentence_months", "sentence-months-not-applicable", f"a {kind} sentence has no length"

    @reads("articles")
    def known_articles(row: Row) -> Iterator[tuple[str, str, str]]:
        codes = [code for code in row["articles"].split(";") if code]
        unknown = sorted(set(codes) - articles)
        if unknown and row["articles"]:
            yield "articles", "article-unknown", f"not in reference/articles.csv: {', '.join(unknown)}"
        if len(codes) != len(set(codes)):
            yield "articles", "article-repeated", "an article appears twice"

    return [months_in_order, release_kind_with_release, sentence_length, known_articles]


def release_folder(dataset_dir: Path, release_id: str) -> Path:
    return dataset_dir / RELEASES / release_id


def iter_release_case_values(
    folder: Path, dataset_dir: Path, metadata: ReleaseMetadata
) -> tuple[list[str], Iterator[list[str]]]:
    """The columns of cases.csv and its validated rows as lists of values in that order (the loader's)."""
    path = folder / CASES_FILE
    if not path.is_file():
        where = label(path, dataset_dir)
        raise DatasetError(
            [Problem(where, None, None, None, "missing-file", "release folder has no cases.csv")]
        )
    rules = case_rules(article_codes(dataset_dir), metadata.valid_as_of.strftime("%Y-%m"))
    schema = schema_for(dataset_dir, CASES_FILE)
    columns = [field["name"] for field in schema["fields"]]
    return columns, iter_valid_values(path, schema, label(path, dataset_dir), rules)


def validate_release(folder: Path, dataset_dir: Path) -> tuple[ReleaseMetadata, int]:
    """Validate a release folder completely, without a database: (metadata, number of cases)."""
    metadata = read_release_metadata(folder, dataset_dir)
    return metadata, sum(1 for _ in iter_release_case_values(folder, dataset_dir, metadata)[1])
