"""Load validated dataset files into the database. Called by the data migrations only.

Each function runs on the migration's connection, inside the migration's transaction: if a file
fails validation half-way, the DatasetError propagates, the transaction rolls back and the
database is exactly as it was before that migration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert

from api.cells import Cell
from api.dataset import files
from api.dataset.validation import Row
from api.models import Article, DatasetFile, PublishedFigure, Region, Release
from api.publication.answers import INDEX_FILE
from api.publication.folder import read_publication
from api.publication.store import delete_answers, store_answers
from api.records import CASE, CASE_ARTICLE, RELEASE_SUPPRESSION

BATCH_ROWS = 5_000
BULK_BATCH_ROWS = 20_000
"""Cases per executemany on SQLite: large enough to amortize the call, small enough to stay light."""

_release = Release.__table__  # type: ignore[attr-defined]
_case = CASE
_case_article = CASE_ARTICLE
_article = Article.__table__  # type: ignore[attr-defined]
_region = Region.__table__  # type: ignore[attr-defined]
_figure = PublishedFigure.__table__  # type: ignore[attr-defined]
_dataset_file = DatasetFile.__table__  # type: ignore[attr-defined]
_suppression = RELEASE_SUPPRESSION
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
            path=path.resolve().relative_to(dataset_dir.resolve()).as_posix()
            if path.resolve().is_relative_to(dataset_dir.resolve())
            else path.as_posix(),
            release_id=release_id,
            sha256=files.sha256_of(path),
            rows=rows,
            bytes=path.stat().st_size,
        )
    )


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
    for batch in _batches(_nullable(row) for row in rows):
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
    return _load_table(connection, dataset_dir, files.FIGURES, _figure, columns)


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
NULL_WHEN_EMPTY = {"sentence_months", "released_on", "release_kind"}
"""Columns of `case` whose empty CSV value is NULL (the others are required by the schema)."""


def _insert_cases(
    connection: Connection, release_id: str, columns: list[str], rows: Iterable[list[str]]
) -> int:
    """Write cases and their articles on the migration's connection; return the number of cases.

    `rows` are the validated rows of cases.csv as lists in the order of `columns` (the schema's). They
    stream, as they are, into a bare temporary table: `COPY ... FROM STDIN` through psycopg on the same
    connection on PostgreSQL, the driver's executemany in batches on SQLite; either is close to the
    engine's bulk import, and memory stays bounded whatever the size of the file. Cases and articles
    are then inserted from there by one statement each, in the order of their primary keys, so every
    index grows at its end instead of at random places (the case ids of a release are random) and
    each article's foreign-key lookup of its case follows the case just inserted. All of it is on the
    migration's connection, in its transaction.
    """
    position = {name: index for index, name in enumerate(columns)}
    stage = [f"c{index}" for index in range(len(columns))]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    count = 0
    if connection.dialect.name == "postgresql":
        cursor.execute(
            f"CREATE TEMP TABLE case_load ({', '.join(f'{c} text' for c in stage)}) ON COMMIT DROP"
        )
        cursor.execute("SET LOCAL work_mem = '256MB'")  # the two sorts below, in memory
        with cursor.copy("COPY case_load FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        articles = f"unnest(string_to_array(c{position['articles']}, ';'))"
    else:
        cursor.execute(f"CREATE TEMP TABLE case_load ({', '.join(stage)})")
        stage_sql = f"INSERT INTO temp.case_load VALUES ({', '.join('?' for _ in stage)})"
        for batch in _batches(rows, BULK_BATCH_ROWS):
            cursor.executemany(stage_sql, batch)
            count += len(batch)
        # The list as a JSON array for json_each (codes are [0-9a-z-] by the schema's pattern;
        # backslashes and quotes are escaped all the same).
        listed = f"c{position['articles']}"
        escaped = f"""replace(replace({listed}, '\\', '\\\\'), '"', '\\"')"""
        articles = f"""json_each('["' || replace({escaped}, ';', '","') || '"]')"""
    case_id = f"c{position['case_id']}"
    values = [_literal(release_id)]
    for name in CASE_COLUMNS[1:]:
        column = f"c{position[name]}"
        if name == "sentence_months":
            values.append(f"CAST(NULLIF({column}, '') AS INTEGER)")
        elif name in NULL_WHEN_EMPTY:
            values.append(f"NULLIF({column}, '')")
        else:
            values.append(column)
    cursor.execute(
        f'INSERT INTO "case" ({", ".join(CASE_COLUMNS)}) '
        f"SELECT {', '.join(values)} FROM case_load ORDER BY {case_id}"
    )
    code = "code.value" if connection.dialect.name == "sqlite" else "code"
    cursor.execute(
        f"INSERT INTO case_article ({', '.join(ARTICLE_COLUMNS)}) "
        f"SELECT {_literal(release_id)}, {case_id}, {code} "
        f"FROM case_load, {articles} AS code ORDER BY {case_id}, {code}"
    )
    cursor.execute("DROP TABLE case_load")
    cursor.close()
    return count


def _literal(text: str) -> str:
    """A string as an SQL literal (the release id, checked against release.schema.json already)."""
    return "'" + text.replace("'", "''") + "'"


def _analyze(connection: Connection) -> None:
    """Fresh planner statistics: a release can change the size of the case tables a hundredfold."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql('ANALYZE "case", case_article')
        return
    # Not sampled (analysis_limit): a sample of 1,000 rows estimated ~1,000 cases per release at 1M
    # records, which made every index look selective; the full pass takes ~0.3 s at 1M.
    connection.exec_driver_sql("PRAGMA analysis_limit = 0")
    connection.exec_driver_sql('ANALYZE "case"')
    connection.exec_driver_sql("ANALYZE case_article")


def _insert_release(connection: Connection, metadata: files.ReleaseMetadata, people: int) -> None:
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
            case_count=people,
            loaded_at=datetime.now(UTC),
        )
    )


def load_release(connection: Connection, dataset_dir: Path, release_id: str) -> int:
    """Validate and load the publication releases/<release_id>/ in the caller's transaction (the data
    migration's); return the number of answers. A folder with record-level files is refused."""
    folder = files.release_folder(dataset_dir, release_id)
    metadata, answers = read_publication(folder, dataset_dir)
    _insert_release(connection, metadata, int(metadata.raw["publication"]["people"]))
    store_answers(connection, metadata.id, answers)
    for path in sorted(folder.iterdir()):
        if path.is_file():
            rows = len(answers) if path.name == INDEX_FILE else 1
            _record_file(connection, dataset_dir, path, rows, metadata.id)
    return len(answers)


def load_records(connection: Connection, dataset_dir: Path, folder: Path) -> int:
    """Validate and load a record-level release folder (anywhere: a curator's private storage) into a
    workspace database (`api.publication.workspace`); return the number of cases."""
    metadata = files.read_release_metadata(folder, dataset_dir)
    _insert_release(connection, metadata, 0)
    columns, rows = files.iter_release_case_values(folder, dataset_dir, metadata)
    count = _insert_cases(connection, metadata.id, columns, rows)
    connection.execute(_release.update().where(_release.c.id == metadata.id).values(case_count=count))
    _analyze(connection)
    cells = files.read_suppression(folder, dataset_dir, metadata.id)
    if cells is not None:
        store_suppression(connection, metadata.id, cells)
    return count


def store_suppression(connection: Connection, release_id: str, cells: Mapping[Cell, bool]) -> None:
    """Replace the suppression list of a loaded release (`prisoners-api protect` and the loader):
    each cell with whether it is hidden (else shown)."""
    connection.execute(delete(_suppression).where(_suppression.c.release_id == release_id))
    rows = [
        {"release_id": release_id, "position": position, "cell": cell.dumps(), "hidden": cells[cell]}
        for position, cell in enumerate(sorted(cells, key=Cell.dumps))
    ]
    if rows:
        connection.execute(insert(_suppression), rows)


def unload_release(connection: Connection, release_id: str) -> None:
    """Remove one release and nothing else (the downgrade of its data migration)."""
    delete_answers(connection, release_id)
    connection.execute(delete(_dataset_file).where(_dataset_file.c.release_id == release_id))
    connection.execute(delete(_release).where(_release.c.id == release_id))
