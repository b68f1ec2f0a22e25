"""Publications in the database: the data migration stores a release's answers, the service reads
them. One row per answer (`api.models.PublishedAnswer`), its rows as JSON."""

from __future__ import annotations

import json

import orjson
from sqlalchemy import Connection, delete, insert, select

from api.models import ANSWER
from api.publication.answers import StoredAnswer
from api.stats.result import StatResult


def store_answers(connection: Connection, release_id: str, answers: list[StoredAnswer]) -> None:
    rows = [
        {
            "release_id": release_id,
            "statistic": answer.statistic,
            "query": answer.key,
            "columns": " ".join(answer.result.columns),
            "dimensions": " ".join(answer.result.dimensions),
            "notes": json.dumps(list(answer.result.notes), ensure_ascii=False),
            "suppressed_cells": answer.result.suppressed_cells,
            "rows": orjson.dumps(list(answer.result.rows)).decode(),
        }
        for answer in answers
    ]
    for start in range(0, len(rows), 500):
        connection.execute(insert(ANSWER), rows[start : start + 500])


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
