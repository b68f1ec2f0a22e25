"""One answer of a publication: a statistic's protected rows for one canonical query, and how they
are written to and read from the publication's CSV tables.

Each statistic has one CSV table (`TABLE_FILES`): a `query` column (the answer's key), a `row` column
(its position), an `omitted` column (the answer's columns this row leaves out, space-separated), and
one column for every column any answer of the statistic has. The answers' own columns, dimensions,
notes and suppressed-cell counts are in the index, `answers.csv`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from api.query import StatQuery
from api.render.tabular import csv_cell
from api.stats.result import StatResult, Value

TABLE_FILES = {
    "summary": "summary.csv",
    "in-custody": "in-custody.csv",
    "flows": "flows.csv",
    "sentences": "sentences.csv",
    "breakdown": "breakdown.csv",
    "changes": "changes.csv",
}
INDEX_FILE = "answers.csv"
INDEX_COLUMNS = ("statistic", "query", "columns", "dimensions", "suppressed_cells", "notes")
KEY_COLUMNS = ("query", "row", "omitted")


def answer_key(query: StatQuery) -> str:
    """What identifies an answer within a release: the filters, the kind of sentence and the split.
    Month windows, languages and formats only represent an answer, so they are not part of it."""
    params = [("population", query.population)] if query.population != "recognized" else []
    params += [(name, query.filters[name]) for name in sorted(query.filters)]
    if query.sentence_kind:
        params.append(("sentence_kind", query.sentence_kind))
    if query.by:
        params.append(("by", ",".join(query.by)))
    return urlencode(params)


@dataclass(frozen=True)
class StoredAnswer:
    statistic: str
    key: str
    result: StatResult


def decode_value(text: str, kind: str) -> Value:
    """The inverse of `api.render.tabular.csv_cell` for a column of Table Schema type `kind`."""
    if text == "":
        return None
    if kind == "boolean":
        return text == "true"
    if kind == "integer":
        return int(text)
    if kind == "number":  # an integer count and a fractional quantile can share a column
        return float(text) if any(c in text for c in ".eE") else int(text)
    return text


def table_rows(answers: Iterable[StoredAnswer], columns: tuple[str, ...]) -> Iterator[list[str]]:
    """The CSV rows of one statistic's table (`columns` after the key columns)."""
    for answer in answers:
        for position, row in enumerate(answer.result.rows):
            omitted = " ".join(c for c in answer.result.columns if c not in row)
            cells = [csv_cell(row.get(column)) for column in columns]
            yield [answer.key, str(position), omitted, *cells]


def index_row(answer: StoredAnswer) -> list[str]:
    result = answer.result
    return [
        answer.statistic,
        answer.key,
        " ".join(result.columns),
        " ".join(result.dimensions),
        str(result.suppressed_cells),
        json.dumps(list(result.notes), ensure_ascii=False),
    ]


def rows_of(
    records: Iterable[Mapping[str, str]], types: Mapping[str, str]
) -> dict[str, list[dict[str, Value]]]:
    """The rows of every answer of one statistic's table, by key, in order. `types` are the Table
    Schema types of the table's columns."""
    answers: dict[str, list[dict[str, Value]]] = {}
    for record in records:
        omitted = set(record["omitted"].split())
        row = {
            name: decode_value(text, types[name])
            for name, text in record.items()
            if name not in KEY_COLUMNS and name not in omitted
        }
        rows = answers.setdefault(record["query"], [])
        if int(record["row"]) != len(rows):
            raise ValueError(f"answer {record['query']!r}: row {record['row']} where {len(rows)} was due")
        rows.append(row)
    return answers


def result_of(index: Mapping[str, str], rows: list[dict[str, Value]]) -> StatResult:
    """An answer from its index row and its rows (each reduced to the answer's columns)."""
    columns = tuple(index["columns"].split())
    wanted = set(columns)
    notes = json.loads(index["notes"])
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        raise ValueError("notes must be a JSON array of texts")
    return StatResult(
        columns=columns,
        dimensions=tuple(index["dimensions"].split()),
        rows=tuple({k: v for k, v in row.items() if k in wanted} for row in rows),
        suppressed_cells=int(index["suppressed_cells"]),
        notes=tuple(notes),
    )
