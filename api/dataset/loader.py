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
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert, select

from api.dataset import files
from api.dataset.validation import Row
from api.models import (
    ARTICLE,
    DATASET_FILE,
    FIGURE,
    REGION,
    RELEASE,
)
from api.publication.answers import INDEX_FILE
from api.publication.folder import read_publication
from api.publication.store import delete_answers, store_answers

BATCH_ROWS = 5_000

T = TypeVar("T")


def batches(rows: Iterable[T], size: int = BATCH_ROWS) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _nullable(row: Row) -> dict[str, Any]:
    return {name: (value if value != "" else None) for name, value in row.items()}


def _file_row(
    dataset_dir: Path, path: Path, rows: int, release_id: str | None = None
) -> dict[str, str | int | None]:
    """The dataset_file row that records one loaded file: its path, checksum, rows and bytes."""
    return {
        "path": path.resolve().relative_to(dataset_dir.resolve()).as_posix()
        if path.resolve().is_relative_to(dataset_dir.resolve())
        else path.as_posix(),
        "release_id": release_id,
        "sha256": files.sha256_of(path),
        "rows": rows,
        "bytes": path.stat().st_size,
    }


def _record_file(
    connection: Connection, dataset_dir: Path, path: Path, rows: int, release_id: str | None = None
) -> None:
    connection.execute(insert(DATASET_FILE).values(_file_row(dataset_dir, path, rows, release_id)))


def _load_table(
    connection: Connection,
    dataset_dir: Path,
    relative: Path,
    table: Any,
    columns: Iterable[str] | None = None,
) -> int:
    """Validate and insert one dataset file; `columns`, when given, are the only ones inserted (an older
    migration loads the columns its schema had, while the file is validated against today's schema)."""
    kept = None if columns is None else tuple(columns)
    rows = files.iter_table(dataset_dir, relative)
    if kept is not None:
        rows = ({name: row[name] for name in kept} for row in rows)
    count = 0
    for batch in batches(_nullable(row) for row in rows):
        connection.execute(insert(table), batch)
        count += len(batch)
    _record_file(connection, dataset_dir, dataset_dir / relative, count)
    return count


def load_reference_tables(connection: Connection, dataset_dir: Path) -> None:
    """Articles and regions, the vocabularies cases refer to."""
    _load_table(connection, dataset_dir, files.ARTICLES, ARTICLE)
    _load_table(connection, dataset_dir, files.REGIONS, REGION)


def unload_reference_tables(connection: Connection) -> None:
    connection.execute(delete(ARTICLE))
    connection.execute(delete(REGION))
    paths = [files.ARTICLES.as_posix(), files.REGIONS.as_posix()]
    connection.execute(delete(DATASET_FILE).where(DATASET_FILE.c.path.in_(paths)))


FIGURE_COLUMNS_BEFORE_SOURCE_DATES = (
    *("figure_id", "key", "value", "qualifier", "as_of", "period_start", "period_end"),
    *("dimension", "dimension_value", "source_title", "source_publisher", "source_url"),
    *("source_kind", "note"),
)
"""The columns of published_figure from migration 0003 until 0007 added `source_published`: frozen,
for the migrations that load the table as it was then."""


def load_published_figures(
    connection: Connection, dataset_dir: Path, columns: Iterable[str] | None = None
) -> int:
    """The published-figures table: real figures with their citations. `columns` restricts the load to
    the columns a migration's version of the table has (default: every column of the model)."""
    return _load_table(connection, dataset_dir, files.FIGURES, FIGURE, columns)


def unload_published_figures(connection: Connection) -> None:
    connection.execute(delete(FIGURE))
    connection.execute(delete(DATASET_FILE).where(DATASET_FILE.c.path == files.FIGURES.as_posix()))


def insert_release(connection: Connection, metadata: files.ReleaseMetadata, people: int) -> None:
    connection.execute(
        insert(RELEASE).values(
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
            case_count=people,
            loaded_at=datetime.now(UTC),
        )
    )


def load_release(connection: Connection, dataset_dir: Path, release_id: str) -> int:
    """Validate and load the publication releases/<release_id>/ in the caller's transaction (the data
    migration's); return the number of answers. A folder with record-level files is refused."""
    folder = files.release_folder(dataset_dir, release_id)
    metadata, answers = read_publication(folder, dataset_dir)
    insert_release(connection, metadata, int(metadata.raw["publication"]["people"]))
    store_answers(connection, metadata.id, answers)
    loaded = [
        _file_row(dataset_dir, path, len(answers) if path.name == INDEX_FILE else 1, metadata.id)
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]
    connection.execute(insert(DATASET_FILE), loaded)  # one executemany, not a statement a file
    return len(answers)


def reload_release(connection: Connection, dataset_dir: Path, release_id: str) -> int:
    """Load the committed publication of a release published again (same id), unloading the one a
    database holds first: the data migration of each republication (0008 onwards)."""
    if connection.execute(select(RELEASE.c.id).where(RELEASE.c.id == release_id)).first():
        unload_release(connection, release_id)
    return load_release(connection, dataset_dir, release_id)


def unload_release(connection: Connection, release_id: str) -> None:
    """Remove one release and nothing else (the downgrade of its data migration)."""
    delete_answers(connection, release_id)
    connection.execute(delete(DATASET_FILE).where(DATASET_FILE.c.release_id == release_id))
    connection.execute(delete(RELEASE).where(RELEASE.c.id == release_id))
