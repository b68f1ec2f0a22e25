"""A small table file validated whole: how a publication's tables are read.

`iter_valid_values` streams a file of any size, checking it row by row. A publication's tables are
small (about a megabyte whatever the size of the release) and all their rows are held in memory anyway:
parsed at once, with each distinct value of a typed column checked once, they are validated with almost
no per-row work in Python. A file this check does not find plainly valid is read again by
`iter_valid_values`, which names the line and column of every problem, so the verdict and the messages
are the validator's either way.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any

from api.dataset.validation import (
    MAX_FIELD_BYTES,
    MAX_ROW_BYTES,
    FieldCheck,
    iter_valid_values,
)

WHOLE_FILE_BYTES = 64 << 20
"""A larger file is left to the streaming validator: this module holds the file and its rows in memory."""


def valid_rows(path: Path, schema: Mapping[str, Any], label: str | None = None) -> list[list[str]]:
    """The rows of a table file valid against `schema`, each a list of its values in the schema's
    order; raise DatasetError naming the problems exactly as `iter_valid_values` does."""
    rows = _plainly_valid_rows(path, schema)
    if rows is None:  # possibly invalid: the validator decides and names the problems
        rows = list(iter_valid_values(path, schema, label))
    return rows


def _plainly_valid_rows(path: Path, schema: Mapping[str, Any]) -> list[list[str]] | None:
    """The rows of the file when it is plainly valid, else None.

    Stricter than the validator, never looser: lines that split as the validator splits them (no
    byte-order mark, no lone carriage return), the schema's header, each row as wide, "" the only
    missing value, no unique column, and every distinct value of a column valid.
    """
    fields = [FieldCheck(field) for field in schema["fields"]]
    unique = schema.get("primaryKey") or any(f.get("constraints", {}).get("unique") for f in schema["fields"])
    if not fields or unique or schema.get("missingValues", [""]) != [""]:
        return None
    if path.stat().st_size > WHOLE_FILE_BYTES:
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.splitlines(keepends=True)
    # As many lines as "\n"s: no lone "\r" nor any other line break of str.splitlines, where the
    # validator (splitting bytes at "\n") would cut otherwise; and no line longer than a row may be.
    if text.startswith("\ufeff") or len(lines) != text.count("\n") + (not text.endswith("\n")):
        return None
    if max(map(len, lines), default=0) * 4 > MAX_ROW_BYTES:  # at most 4 bytes a character
        return None
    csv.field_size_limit(MAX_FIELD_BYTES)
    try:
        rows = list(csv.reader(lines, strict=True))
    except csv.Error:
        return None
    if not rows or rows[0] != [field.name for field in fields] or set(map(len, rows)) != {len(fields)}:
        return None  # another header, a blank line or a row of another width
    body = rows[1:]
    for index, field in enumerate(fields):
        if field.accepts_any_text:
            continue
        for value in set(map(itemgetter(index), body)):
            valid = not field.required if value == "" else field.accepts(value)
            if not valid:
                return None
    return body
