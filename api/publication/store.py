"""Publications in the database: the data migration stores a release's answers, the service reads
them. One row per answer (`api.models.PublishedAnswer`), its rows as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

import orjson
from sqlalchemy import Connection, delete, insert, select

from api.models import ANSWER
from api.publication.answers import StoredAnswer
from api.stats.result import StatResult

_STORED = ("release_id", "statistic", "query", "columns", "dimensions", "notes", "suppressed_cells", "rows")


def store_answers(connection: Connection, release_id: str, answers: list[StoredAnswer]) -> None:
    """Insert a release's answers in the caller's transaction: by COPY on PostgreSQL (a quarter less time
    than a many-row INSERT for the 734 answers of a first release, on this machine), else by executemany."""
    rows = [
        (
            release_id,
            answer.statistic,
            answer.key,
            " ".join(answer.result.columns),
            " ".join(answer.result.dimensions),
            json.dumps(list(answer.result.notes), ensure_ascii=False),
            answer.result.suppressed_cells,
            orjson.dumps(list(answer.result.rows)).decode(),
        )
        for answer in answers
    ]
    if connection.dialect.driver == "psycopg":
        _copy(connection, rows)
        return
    for start in range(0, len(rows), 500):
        connection.execute(
            insert(ANSWER), [dict(zip(_STORED, row, strict=True)) for row in rows[start : start + 500]]
        )


def _copy(connection: Connection, rows: Sequence[tuple[str | int, ...]]) -> None:
    """COPY the rows into published_answer on the connection's own transaction (psycopg)."""
    columns = ", ".join(f'"{name}"' for name in _STORED)
    with (
        connection.connection.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f'COPY "{ANSWER.name}" ({columns}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)


def delete_answers(connection: Connection, release_id: str) -> None:
    connection.execute(delete(ANSWER).where(ANSWER.c.release_id == release_id))


def stored_answer(connection: Connection, release_id: str, statistic: str, key: str) -> StatResult | None:
    """One answer of a loaded publication, or None when the publication has no such answer."""
    row = connection.execute(
        select(
            ANSWER.c.columns, ANSWER.c.dimensions, ANSWER.c.notes, ANSWER.c.suppressed_cells, ANSWER.c.rows
        ).where(ANSWER.c.release_id == release_id, ANSWER.c.statistic == statistic, ANSWER.c.query == key)
    ).first()
    if row is None:
        return None
    return StatResult(
        columns=tuple(row.columns.split()),
        dimensions=tuple(row.dimensions.split()),
        rows=tuple(orjson.loads(row.rows)),
        suppressed_cells=row.suppressed_cells,
        notes=tuple(json.loads(row.notes)),
    )
