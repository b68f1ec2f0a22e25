"""Load a record-level release folder (anywhere: a curator's private storage) into a workspace
database (`api.publication.workspace`), and store a release's suppression list there. The public
database is loaded from publications by `api.dataset.loader`; it never has these tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import Connection, delete, insert

from api.cells import Cell
from api.dataset import files
from api.dataset.loader import batches, insert_release
from api.models import RELEASE
from api.records.tables import RELEASE_SUPPRESSION

BULK_BATCH_ROWS = 20_000
"""Cases per executemany on SQLite: large enough to amortize the call, small enough to stay light."""

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
        for batch in batches(rows, BULK_BATCH_ROWS):
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


def load_records(connection: Connection, dataset_dir: Path, folder: Path) -> int:
    """Validate and load a record-level release folder (anywhere: a curator's private storage) into a
    workspace database (`api.publication.workspace`); return the number of cases."""
    metadata = files.read_release_metadata(folder, dataset_dir)
    insert_release(connection, metadata, 0)
    columns, rows = files.iter_release_case_values(folder, dataset_dir, metadata)
    count = _insert_cases(connection, metadata.id, columns, rows)
    connection.execute(RELEASE.update().where(RELEASE.c.id == metadata.id).values(case_count=count))
    _analyze(connection)
    cells = files.read_suppression(folder, dataset_dir, metadata.id)
    if cells is not None:
        store_suppression(connection, metadata.id, cells)
    return count


def store_suppression(connection: Connection, release_id: str, cells: Mapping[Cell, bool]) -> None:
    """Replace the suppression list of a loaded release (`prisoners-api protect` and the loader):
    each cell with whether it is hidden (else shown)."""
    connection.execute(delete(RELEASE_SUPPRESSION).where(RELEASE_SUPPRESSION.c.release_id == release_id))
    rows = [
        {"release_id": release_id, "position": position, "cell": cell.dumps(), "hidden": cells[cell]}
        for position, cell in enumerate(sorted(cells, key=Cell.dumps))
    ]
    if rows:
        connection.execute(insert(RELEASE_SUPPRESSION), rows)
