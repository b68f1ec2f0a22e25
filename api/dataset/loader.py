"""Load validated dataset files into the database. Called by the data migrations only.

Each function runs on the migration's connection, inside the migration's transaction: if a file
fails validation half-way, the DatasetError propagates, the transaction rolls back and the
database is exactly as it was before that migration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from api.dataset import files
from api.dataset.validation import Row
from api.models import Article, Case, CaseArticle, DatasetFile, PublishedFigure, Region, Release

BATCH_ROWS = 5_000

_release = Release.__table__  # type: ignore[attr-defined]
_case = Case.__table__  # type: ignore[attr-defined]
_case_article = CaseArticle.__table__  # type: ignore[attr-defined]
_article = Article.__table__  # type: ignore[attr-defined]
_region = Region.__table__  # type: ignore[attr-defined]
_figure = PublishedFigure.__table__  # type: ignore[attr-defined]
_dataset_file = DatasetFile.__table__  # type: ignore[attr-defined]


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH_ROWS) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _nullable(row: Row) -> dict[str, Any]:
    return {name: (value if value != "" else None) for name, value in row.items()}


def _record_file(
    connection: Connection, dataset_dir: Path, path: Path, rows: int, release_id: str | None = None
) -> None:
    connection.execute(
        insert(_dataset_file).values(
            path=path.resolve().relative_to(dataset_dir.resolve()).as_posix(),
            release_id=release_id,
            sha256=files.sha256_of(path),
            rows=rows,
            bytes=path.stat().st_size,
        )
    )


def _load_table(connection: Connection, dataset_dir: Path, relative: Path, table: Any) -> int:
    count = 0
    for batch in _batches(_nullable(row) for row in files.iter_table(dataset_dir, relative)):
        connection.execute(insert(table), batch)
        count += len(batch)
    _record_file(connection, dataset_dir, dataset_dir / relative, count)
    return count


def load_reference_tables(connection: Connection, dataset_dir: Path) -> None:
    """Articles and regions, the vocabularies cases refer to."""
    _load_table(connection, dataset_dir, files.ARTICLES, _article)
    _load_table(connection, dataset_dir, files.REGIONS, _region)


def unload_reference_tables(connection: Connection) -> None:
    connection.execute(delete(_article))
    connection.execute(delete(_region))
    paths = [files.ARTICLES.as_posix(), files.REGIONS.as_posix()]
    connection.execute(delete(_dataset_file).where(_dataset_file.c.path.in_(paths)))


def load_published_figures(connection: Connection, dataset_dir: Path) -> int:
    """The published-figures table: real figures with their citations."""
    return _load_table(connection, dataset_dir, files.FIGURES, _figure)


def unload_published_figures(connection: Connection) -> None:
    connection.execute(delete(_figure))
    connection.execute(delete(_dataset_file).where(_dataset_file.c.path == files.FIGURES.as_posix()))


def _case_rows(
    rows: Iterable[Row], release_id: str, articles: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Case rows for insertion; their articles are collected into `articles` on the way."""
    for row in rows:
        record = _nullable(row)
        codes = record.pop("articles").split(";")
        record["release_id"] = release_id
        record["sentence_months"] = int(record["sentence_months"]) if record["sentence_months"] else None
        articles.extend(
            {"release_id": release_id, "case_id": row["case_id"], "article": code} for code in codes
        )
        yield record


def load_release(connection: Connection, dataset_dir: Path, release_id: str) -> int:
    """Validate and load releases/<release_id>/ in the caller's transaction; return the number of cases."""
    folder = files.release_folder(dataset_dir, release_id)
    metadata = files.read_release_metadata(folder, dataset_dir)
    connection.execute(
        insert(_release).values(
            id=metadata.id,
            title=metadata.title,
            description=metadata.description,
            valid_as_of=metadata.valid_as_of,
            published=metadata.published,
            synthetic=metadata.synthetic,
            synthetic_note=metadata.synthetic_note,
            licence_name=metadata.licence_name,
            licence_url=metadata.licence_url,
            metadata_json=json.dumps(metadata.raw, ensure_ascii=False, sort_keys=True),
            case_count=0,
            loaded_at=datetime.now(UTC),
        )
    )
    count = 0
    rows = files.iter_release_cases(folder, dataset_dir, metadata)
    for batch in _batches(rows):
        articles: list[dict[str, Any]] = []
        records = list(_case_rows(batch, metadata.id, articles))
        connection.execute(insert(_case), records)
        connection.execute(insert(_case_article), articles)
        count += len(records)
    connection.execute(_release.update().where(_release.c.id == metadata.id).values(case_count=count))
    _record_file(connection, dataset_dir, folder / files.CASES_FILE, count, metadata.id)
    _record_file(connection, dataset_dir, folder / files.RELEASE_FILE, 1, metadata.id)
    return count


def unload_release(connection: Connection, release_id: str) -> None:
    """Remove one release and nothing else (the downgrade of its data migration)."""
    connection.execute(delete(_case_article).where(_case_article.c.release_id == release_id))
    connection.execute(delete(_case).where(_case.c.release_id == release_id))
    connection.execute(delete(_dataset_file).where(_dataset_file.c.release_id == release_id))
    connection.execute(delete(_release).where(_release.c.id == release_id))


def release_is_loaded(connection: Connection, release_id: str) -> bool:
    count = connection.execute(select(func.count()).where(_release.c.id == release_id)).scalar_one()
    return bool(count)
