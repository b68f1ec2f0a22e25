"""A publication folder, `dataset/releases/<id>/`: what `publish` writes and the data migration reads.

    release.json      the release's metadata, with a `publication` block (how it was made)
    datapackage.json  a Frictionless Data Package describing every CSV below (types, checksums)
    answers.csv       the index: one row per answer (statistic, query, columns, notes …)
    <statistic>.csv   the rows of every answer of one statistic (`api.publication.answers`)
    audit.txt         the anonymity audit's report on this publication

Nothing record-level may be in it: reading refuses a folder with a `cases.csv` or a suppression
list, the files of a record-level release.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.dataset import files
from api.dataset.validation import DatasetError, Problem
from api.dataset.whole_file import valid_rows
from api.publication.answers import (
    INDEX_COLUMNS,
    INDEX_FILE,
    KEY_COLUMNS,
    TABLE_FILES,
    StoredAnswer,
    index_row,
    result_of,
    rows_of,
    table_rows,
)
from api.stats.result import Value

PACKAGE_FILE = "datapackage.json"
AUDIT_FILE = "audit.txt"
RECORD_LEVEL_FILES = (files.CASES_FILE, files.SUPPRESSION_FILE)
_BOOLEAN = {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
_KEY_FIELDS: list[dict[str, Any]] = [
    {"name": "query", "type": "string", "description": "The answer's query (filters, kind, by)."},
    {"name": "row", "type": "integer", "description": "Position of the row in the answer."},
    {"name": "omitted", "type": "string", "description": "The answer's columns this row leaves out."},
]
_INDEX_FIELDS: list[dict[str, Any]] = [
    {"name": "statistic", "type": "string", "constraints": {"required": True, "enum": list(TABLE_FILES)}},
    {"name": "query", "type": "string"},
    {"name": "columns", "type": "string", "constraints": {"required": True}},
    {"name": "dimensions", "type": "string"},
    {"name": "suppressed_cells", "type": "integer", "constraints": {"required": True, "minimum": 0}},
    {
        "name": "notes",
        "type": "string",
        "description": "A JSON array of notes.",
        "constraints": {"required": True},
    },
]


def _column_type(values: Iterable[Value]) -> str:
    kinds = {type(value) for value in values if value is not None}
    if not kinds or kinds == {str}:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"
    if kinds <= {int, float}:
        return "number"
    raise ValueError(f"a column mixes types {sorted(k.__name__ for k in kinds)}")


def _field(name: str, kind: str) -> dict[str, Any]:
    return {"name": name, **(_BOOLEAN if kind == "boolean" else {"type": kind})}


def _csv_bytes(header: Iterable[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _resource(name: str, path: str, data: bytes, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "schema": {"fields": fields},
    }


def write_publication(
    folder: Path, metadata: Mapping[str, Any], answers: list[StoredAnswer], audit_report: str
) -> None:
    """Write the publication of one release into `folder` (created; files replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    contents: dict[str, bytes] = {}
    resources = []
    for statistic, file_name in TABLE_FILES.items():
        chosen = [answer for answer in answers if answer.statistic == statistic]
        if not chosen:
            continue
        columns: list[str] = []
        for answer in chosen:
            columns += [c for c in answer.result.columns if c not in columns]
        fields = [
            _field(c, _column_type(row.get(c) for a in chosen for row in a.result.rows)) for c in columns
        ]
        data = _csv_bytes([*KEY_COLUMNS, *columns], table_rows(chosen, tuple(columns)))
        contents[file_name] = data
        resources.append(_resource(statistic, file_name, data, [*_KEY_FIELDS, *fields]))
    index = _csv_bytes(INDEX_COLUMNS, (index_row(answer) for answer in answers))
    contents[INDEX_FILE] = index
    resources.insert(0, _resource("answers", INDEX_FILE, index, _INDEX_FIELDS))
    package = {
        "name": f"political-prisoners-belarus-{metadata['id']}",
        "title": metadata["title"],
        "description": "The publication of one dataset release: every table the API answers, protected.",
        "licenses": [metadata["licence"]],
        "sources": metadata["sources"],
        "resources": resources,
    }
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    (folder / PACKAGE_FILE).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (folder / files.RELEASE_FILE).write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    (folder / AUDIT_FILE).write_text(audit_report.rstrip() + "\n", "utf-8")


def _problem(where: str, message: str, rule: str = "publication") -> DatasetError:
    return DatasetError([Problem(where, None, None, None, rule, message)])


def read_publication(folder: Path, dataset_dir: Path) -> tuple[files.ReleaseMetadata, list[StoredAnswer]]:
    """The release's metadata and every answer of its publication, validated (DatasetError names the
    file, row and column of the first problems). A folder holding anything but a publication's files
    is refused: record-level data (`cases.csv`, a suppression list, an id map, a copy under another
    name) can't be loaded, and the tests refuse to let it be committed or packaged."""
    with _cycle_collection_paused():
        return _read_publication(folder, dataset_dir)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. Reading a publication makes tens of thousands of lists
    and dicts, none in a reference cycle (reference counting frees them all), and the collections
    they set off, each traversing every live object, took a third of a data migration's first read:
    0.12 s CPU against 0.075 s for the 10k publication in a fresh process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_publication(folder: Path, dataset_dir: Path) -> tuple[files.ReleaseMetadata, list[StoredAnswer]]:
    _only_publication_files(folder, dataset_dir)
    metadata = files.read_release_metadata(folder, dataset_dir)
    if "publication" not in metadata.raw:
        raise _problem(files.label(folder / files.RELEASE_FILE, dataset_dir), "not made by `publish`")
    package = _read_package(folder, dataset_dir)
    resources = {resource["path"]: resource for resource in package["resources"]}
    names = [field["name"] for field in resources[INDEX_FILE]["schema"]["fields"]]
    index = [
        dict(zip(names, values, strict=True)) for values in _rows(folder, dataset_dir, resources, INDEX_FILE)
    ]
    where = files.label(folder / INDEX_FILE, dataset_dir)
    listed: dict[str, dict[str, dict[str, str]]] = {}  # statistic → query → index entry
    for entry in index:
        if listed.setdefault(entry["statistic"], {}).setdefault(entry["query"], entry) is not entry:
            raise _problem(where, "an answer (statistic, query) is listed twice", "unique")
    by_statistic: dict[str, dict[str, list[dict[str, Value]]]] = {}
    for statistic, file_name in TABLE_FILES.items():
        if file_name in resources:
            fields = resources[file_name]["schema"]["fields"]
            header = [field["name"] for field in fields]
            types = {field["name"]: field["type"] for field in fields}
            columns_of = {
                query: tuple(entry["columns"].split()) for query, entry in listed.get(statistic, {}).items()
            }
            label = files.label(folder / file_name, dataset_dir)
            try:
                table = rows_of(header, types, _rows(folder, dataset_dir, resources, file_name), columns_of)
            except ValueError as error:  # rows out of order
                raise _problem(label, str(error), "order") from None
            unknown = set(table) - columns_of.keys()
            if unknown:
                raise _problem(label, f"rows of answers the index does not list: {sorted(unknown)[:3]}")
            by_statistic[statistic] = table
    answers = []
    for entry in index:
        rows = by_statistic.get(entry["statistic"], {}).get(entry["query"], [])
        try:
            answers.append(StoredAnswer(entry["statistic"], entry["query"], result_of(entry, rows)))
        except ValueError as error:  # notes that are not a JSON array of texts
            raise _problem(where, f"answer {entry['statistic']}?{entry['query']}: {error}") from None
    return metadata, answers


def _only_publication_files(folder: Path, dataset_dir: Path) -> None:
    allowed = {files.RELEASE_FILE, PACKAGE_FILE, INDEX_FILE, AUDIT_FILE, *TABLE_FILES.values()}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.name not in allowed:
            record_level = path.name in RECORD_LEVEL_FILES
            raise _problem(
                files.label(path, dataset_dir),
                (
                    "a publication folder holds no record-level file"
                    if record_level
                    else "not a publication file"
                )
                + "; publish the release with `prisoners-api publish` and commit only its output",
                "record-level" if record_level else "publication",
            )


def _read_package(folder: Path, dataset_dir: Path) -> dict[str, Any]:
    path = folder / PACKAGE_FILE
    where = files.label(path, dataset_dir)
    try:
        package: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _problem(where, "the publication has no datapackage.json", "missing-file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _problem(where, f"not valid UTF-8 JSON: {error}", "json") from None
    try:
        _check_resources(package["resources"])
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise _problem(where, f"not a publication's data package ({type(error).__name__}: {error})") from None
    return package


def _check_resources(resources: list[dict[str, Any]]) -> None:
    """Each resource one of the publication's tables, with its schema, size and hash; the index there."""
    allowed = {INDEX_FILE, *TABLE_FILES.values()}
    for resource in resources:
        if resource["path"] not in allowed:
            raise ValueError(f"unexpected resource {resource['path']!r}")
        names = [str(f["name"]) for f in resource["schema"]["fields"]]
        if resource["path"] != INDEX_FILE and names[:3] != list(KEY_COLUMNS):
            raise ValueError(f"{resource['path']} must start with the columns {', '.join(KEY_COLUMNS)}")
        if not str(resource["hash"]).startswith("sha256:"):
            raise ValueError(f"{resource['path']} has no sha256 hash")
    if INDEX_FILE not in {resource["path"] for resource in resources}:
        raise ValueError(f"no resource {INDEX_FILE}")


def _rows(folder: Path, dataset_dir: Path, resources: Mapping[str, Any], file_name: str) -> list[list[str]]:
    path = folder / file_name
    resource = resources[file_name]
    if not path.is_file():
        raise _problem(
            files.label(path, dataset_dir), "datapackage.json lists it but it is missing", "missing-file"
        )
    if f"sha256:{files.sha256_of(path)}" != resource["hash"]:
        raise _problem(files.label(path, dataset_dir), "its SHA-256 differs from datapackage.json", "hash")
    return valid_rows(path, resource["schema"], files.label(path, dataset_dir))
