"""Load validated dataset files into the database. Called by the data migrations only.

Each function runs on the migration's connection, inside the migration's transaction: if a file
fails validation half-way, the DatasetError propagates, the transaction rolls back and the
database is exactly as it was before that migration.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select

from api.dataset import files
from api.dataset.validation import Row
from api.models import Article, Case, CaseArticle, DatasetFile, PublishedFigure, Region, Release

BATCH_ROWS = 5_000
BULK_BATCH_ROWS = 20_000
"""Cases per executemany on SQLite: large enough to amortize the call, small enough to stay light."""

_release = Release.__table__  # type: ignore[attr-defined]
_case = Case.__table__  # type: ignore[attr-defined]
_case_article = CaseArticle.__table__  # type: ignore[attr-defined]
_article = Article.__table__  # type: ignore[attr-defined]
_region = Region.__table__  # type: ignore[attr-defined]
_figure = PublishedFigure.__table__  # type: ignore[attr-defined]
_dataset_file = DatasetFile.__table__  # type: ignore[attr-defined]
T = TypeVar("T")


def _batches(rows: Iterable[T], size: int = BATCH_ROWS) -> Iterator[list[T]]:
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


CASE_COLUMNS = (
    "release_id",
    "case_id",
    "gender",
    "age_band",
    "region",
    "detained_on",
    "recognized_on",
    "sentence_kind",
    "sentence_months",
    "released_on",
    "release_kind",
)
ARTICLE_COLUMNS = ("release_id", "case_id", "article")
CaseRecord = tuple[str | int | None, ...]


def _case_records(rows: Iterable[Row], release_id: str) -> Iterator[tuple[CaseRecord, list[str]]]:
    """(case record in CASE_COLUMNS order, its article codes) for each validated row."""
    for row in rows:
        months = row["sentence_months"]
        record = (
            release_id,
            row["case_id"],
            row["gender"],
            row["age_band"],
            row["region"],
            row["detained_on"],
            row["recognized_on"],
            row["sentence_kind"],
            int(months) if months else None,
            row["released_on"] or None,
            row["release_kind"] or None,
        )
        yield record, row["articles"].split(";")


def _insert_cases(connection: Connection, records: Iterable[tuple[CaseRecord, list[str]]]) -> int:
    """Write cases and their articles on the migration's connection; return the number of cases.

    PostgreSQL: `COPY ... FROM STDIN` through psycopg on the same connection, so it is part of the
    migration's transaction. SQLite: the driver's executemany on plain tuples, in batches. Either way
    rows stream from the validator, so memory stays bounded whatever the size of the file.
    """
    if connection.dialect.name == "postgresql":
        return _copy_cases(connection, records)
    cases_sql = _insert_sql("case", CASE_COLUMNS)
    articles_sql = _insert_sql("case_article", ARTICLE_COLUMNS)
    count = 0
    for batch in _batches(records, BULK_BATCH_ROWS):
        connection.exec_driver_sql(cases_sql, [record for record, _ in batch])
        articles = [(record[0], record[1], code) for record, codes in batch for code in codes]
        if articles:
            connection.exec_driver_sql(articles_sql, articles)
        count += len(batch)
    return count


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'


def _copy_cases(connection: Connection, records: Iterable[tuple[CaseRecord, list[str]]]) -> int:
    # Articles wait while cases stream (one COPY at a time on a connection): spooled to a temporary
    # file as CSV, not held in a list, so memory stays flat however many cases the release has.
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    count = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        articles = csv.writer(spool, lineterminator="\n")
        with cursor.copy(f'COPY "case" ({", ".join(CASE_COLUMNS)}) FROM STDIN') as copy:
            for record, codes in records:
                copy.write_row(record)
                articles.writerows((record[0], record[1], code) for code in codes)
                count += 1
        spool.seek(0)
        columns = ", ".join(ARTICLE_COLUMNS)
        with cursor.copy(f"COPY case_article ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            while block := spool.read(1 << 20):
                copy.write(block)
    return count


def _analyze(connection: Connection) -> None:
    """Fresh planner statistics: a release can change the size of the case tables a hundredfold."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql('ANALYZE "case", case_article')
        return
    connection.exec_driver_sql("PRAGMA analysis_limit = 1000")  # sampled: fast on large tables
    connection.exec_driver_sql('ANALYZE "case"')
    connection.exec_driver_sql("ANALYZE case_article")


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
    rows = files.iter_release_cases(folder, dataset_dir, metadata)
    count = _insert_cases(connection, _case_records(rows, metadata.id))
    connection.execute(_release.update().where(_release.c.id == metadata.id).values(case_count=count))
    _analyze(connection)
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
