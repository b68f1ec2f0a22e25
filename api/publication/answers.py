"""One answer of a publication: a statistic's protected rows for one canonical query, and how they
are written to and read from the publication's CSV tables.

Each statistic has one CSV table (`TABLE_FILES`): a `query` column (the answer's key), a `row` column
(its position), an `omitted` column (the answer's columns this row leaves out, space-separated), and
one column for every column any answer of the statistic has. The answers' own columns, dimensions,
notes and suppressed-cell counts are in the index, `answers.csv`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import getitem, itemgetter
from urllib.parse import urlencode

from api.query import StatQuery
from api.render.tabular import csv_cell
from api.stats.result import StatResult, Value

TABLE_FILES = {
    "summary": "summary.csv",
    "in-custody": "in-custody.csv",
    "flows": "flows.csv",
    "sentences": "sentences.csv",
    "held-before-release": "held-before-release.csv",
    "breakdown": "breakdown.csv",
    "time-in-custody": "time-in-custody.csv",
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


class _Decoded(dict[str, Value]):
    """One column's values by their text, each text decoded once: a table repeats a few values."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, text: str) -> Value:
        value = self[text] = decode_value(text, self.kind)
        return value


_Plan = tuple[tuple[str, ...], Callable[[Sequence[str]], Sequence[str]], list[_Decoded]]
"""How a table's row becomes an answer's: the names of the columns kept, a getter of their texts, and
their decoders."""


def _plan(header: Sequence[str], decoded: list[_Decoded], columns: Iterable[str], omitted: str) -> _Plan:
    """The plan of the rows of an answer of `columns` that leave out `omitted` (space-separated)."""
    wanted = set(columns) - {*omitted.split(), *KEY_COLUMNS}
    kept = [index for index, name in enumerate(header) if name in wanted]
    names = tuple(header[index] for index in kept)
    if len(kept) == 1:  # itemgetter of one position returns the value bare
        only = kept[0]
        return names, lambda values: (values[only],), [decoded[only]]
    pick: Callable[[Sequence[str]], Sequence[str]] = itemgetter(*kept) if kept else lambda values: ()
    return names, pick, [decoded[index] for index in kept]


def rows_of(
    header: Sequence[str],
    types: Mapping[str, str],
    records: Iterable[Sequence[str]],
    columns_of: Mapping[str, tuple[str, ...]],
) -> dict[str, list[dict[str, Value]]]:
    """The rows of every answer of one statistic's table, by key, in order, each holding the columns
    of its answer (`columns_of`, from the index) that it does not omit, in the table's order.

    `records` are the table's validated rows as lists in the order of `header`, the columns whose
    Table Schema types are `types`. A plan made once per (answer, omitted columns) picks a row's
    columns, and each distinct text of a column is decoded once.
    """
    position = {name: index for index, name in enumerate(header)}
    query_at, row_at, omitted_at = (position[name] for name in KEY_COLUMNS)
    decoded = [_Decoded(types[name]) for name in header]
    plans: dict[tuple[tuple[str, ...], str], _Plan] = {}  # many answers share their columns
    answers: dict[str, list[dict[str, Value]]] = {}
    query = omitted = None
    rows: list[dict[str, Value]] = []
    names, pick, columns = _plan(header, decoded, (), "")
    for values in records:
        if values[query_at] != query or values[omitted_at] != omitted:  # an answer's rows come together
            query, omitted = values[query_at], values[omitted_at]
            key = (columns_of.get(query, ()), omitted)
            if key not in plans:
                plans[key] = _plan(header, decoded, *key)
            names, pick, columns = plans[key]
            rows = answers.setdefault(query, [])
        if int(values[row_at]) != len(rows):
            raise ValueError(f"answer {query!r}: row {values[row_at]} where {len(rows)} was due")
        rows.append(dict(zip(names, map(getitem, columns, pick(values)), strict=False)))  # same lengths
    return answers


@lru_cache(maxsize=256)
def _notes(text: str) -> tuple[str, ...]:
    """An answer's notes from their JSON text, parsed once: the answers of a statistic share theirs."""
    notes = json.loads(text)
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        raise ValueError("notes must be a JSON array of texts")
    return tuple(notes)


def result_of(index: Mapping[str, str], rows: list[dict[str, Value]]) -> StatResult:
    """An answer from its index row and its rows (as `rows_of` reads them: the answer's columns only)."""
    return StatResult(
        columns=tuple(index["columns"].split()),
        dimensions=tuple(index["dimensions"].split()),
        rows=tuple(rows),
        suppressed_cells=int(index["suppressed_cells"]),
        notes=_notes(index["notes"]),
    )
