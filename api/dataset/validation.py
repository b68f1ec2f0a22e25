"""Row validation derived from the Frictionless Table Schemas in dataset/schema/.

The schema files are the single source of truth for columns, types, enums, patterns and bounds; this
module only interprets them, streaming, so a large file is checked in bounded memory. Rules a Table
Schema cannot express (one column compared with another, membership of an article list) are the
`row_rules` a caller passes in, each named so its message says which rule broke.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

MAX_ERRORS = 20
MAX_FIELD_BYTES = 10_000
"""A single value longer than this is an error, not something to hold in memory."""
MAX_ROW_BYTES = 1 << 20
"""A row taking more bytes than this is an error, found before the row is read whole: far more than
any row of values within MAX_FIELD_BYTES, and little memory however long the line in the file."""
KNOWN_GOOD_VALUES = 4096
"""Distinct valid values remembered per column (large files repeat a few; ids never repeat)."""

Row = dict[str, str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset file, located precisely enough for a curator to fix it."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        shown = "" if self.value is None else f" (value {_shorten(self.value)!r})"
        return f"{', '.join(where)}: {self.message}{shown} [rule: {self.rule}]"


class DatasetError(Exception):
    """A dataset file failed validation; nothing was loaded."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        lines = [str(problem) for problem in problems]
        if truncated:
            lines.append(f"(stopped after the first {MAX_ERRORS} errors)")
        super().__init__("dataset validation failed:\n  " + "\n  ".join(lines))


RowRule = Callable[[Row], Iterable[tuple[str, str, str]]]
"""A cross-field rule: yields (column, rule name, message) for each way the row breaks it."""


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def load_schema(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


_YEARMONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_INTEGER = re.compile(r"[+-]?\d+")


def _type_problem(field_type: str, value: str) -> str | None:
    """Why `value` is not of the Table Schema `field_type`, or None when it is."""
    if field_type == "integer" and not _INTEGER.fullmatch(value):
        return "is not an integer"
    if field_type == "yearmonth" and not _YEARMONTH.fullmatch(value):
        return "is not a month in the form YYYY-MM"
    if field_type == "date" and not _DATE.fullmatch(value):
        return "is not a date in the form YYYY-MM-DD"
    if field_type == "boolean" and value not in {"true", "false"}:
        return "is not true or false"
    return None


class _FieldCheck:
    """The checks of one schema field, compiled once."""

    def __init__(self, field: Mapping[str, Any]) -> None:
        constraints = field.get("constraints", {})
        self.name: str = field["name"]
        self.type: str = field.get("type", "string")
        self.required: bool = constraints.get("required", False)
        self.enum: list[str] | None = constraints.get("enum")
        self.pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
        self.minimum: int | None = constraints.get("minimum")
        self.maximum: int | None = constraints.get("maximum")
        self.max_length: int | None = constraints.get("maxLength")
        self.known_good: set[str] = set()
        """Values already found valid: checks depend on the value only, and columns repeat a few values."""

    def problems(self, value: str) -> Iterator[tuple[str, str]]:
        """(rule, message) for each constraint `value` breaks; `value` is not a missing value."""
        if value in self.known_good:
            return
        found = list(self._problems(value))
        if not found and len(self.known_good) < KNOWN_GOOD_VALUES:
            self.known_good.add(value)
        yield from found

    def _problems(self, value: str) -> Iterator[tuple[str, str]]:
        wrong_type = _type_problem(self.type, value)
        if wrong_type:
            yield "type", f"{wrong_type} (type {self.type})"
            return
        if self.enum is not None and value not in self.enum:
            yield "enum", "is not one of " + ", ".join(self.enum)
        if self.pattern is not None and not self.pattern.fullmatch(value):
            yield "pattern", f"does not match the pattern {self.pattern.pattern}"
        if self.max_length is not None and len(value) > self.max_length:
            yield "maxLength", f"is longer than {self.max_length} characters"
        if self.type == "integer":
            number = int(value)
            if self.minimum is not None and number < self.minimum:
                yield "minimum", f"is below the minimum {self.minimum}"
            if self.maximum is not None and number > self.maximum:
                yield "maximum", f"is above the maximum {self.maximum}"


class _Lines:
    """The file's lines as text for csv.reader, read in bounded memory.

    No line is read whole before its length is known: a row (all the lines of one record, when a
    quoted value spans several) longer than MAX_ROW_BYTES is an error raised after reading at most
    that much of it. Bytes that are not UTF-8 are an error with the line they are on.
    """

    def __init__(self, handle: BinaryIO, label: str, columns: list[str]) -> None:
        self.handle, self.label, self.columns = handle, label, columns
        self.number = 0
        self.row_start = 1
        self.row_bytes = 0

    def next_row(self) -> None:
        """The lines read so far made a complete row: the next line starts a new one."""
        self.row_start, self.row_bytes = self.number + 1, 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(MAX_ROW_BYTES - self.row_bytes + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        self.row_bytes += len(raw)
        if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark, as spreadsheets write it
        if self.row_bytes > MAX_ROW_BYTES:
            raise DatasetError([self._too_long(raw)])
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DatasetError(
                [
                    Problem(
                        self.label,
                        self.number,
                        None,
                        None,
                        "encoding",
                        f"bytes at offset {error.start} are not UTF-8",
                    )
                ]
            ) from None

    def _too_long(self, start: bytes) -> Problem:
        """The problem of a row over MAX_ROW_BYTES, naming the column when the row is plain enough to tell."""
        if self.row_start == self.number and self.number > 1 and b'"' not in start:
            # Unquoted: values are what lies between commas, so the first one too long is the culprit.
            values = start.decode("utf-8", errors="replace").split(",")
            for index, value in enumerate(values[: len(self.columns)]):
                if len(value) > MAX_FIELD_BYTES:
                    message = f"value is longer than {MAX_FIELD_BYTES:,} characters"
                    return Problem(
                        self.label, self.row_start, self.columns[index], None, "field-size", message
                    )
        limits = f"{MAX_ROW_BYTES:,} bytes (a value may have at most {MAX_FIELD_BYTES:,} characters)"
        message = f"row is longer than {limits}"
        return Problem(self.label, self.row_start, None, None, "row-size", message)


def _header_problems(label: str, header: list[str], expected: list[str]) -> list[Problem]:
    if len(header) == 1 and expected and len(expected) > 1:
        for delimiter in (";", "\t", "|"):
            if header[0].split(delimiter) == expected:
                name = "tab" if delimiter == "\t" else repr(delimiter)
                return [
                    Problem(label, 1, None, None, "delimiter", f"columns are separated by {name}, not commas")
                ]
    problems = []
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    for name in missing:
        problems.append(Problem(label, 1, name, None, "header", "required column is missing from the header"))
    for name in extra:
        problems.append(Problem(label, 1, name, None, "header", "column is not in the schema"))
    if not problems and header != expected:
        problems.append(
            Problem(
                label, 1, None, None, "header", "columns are not in the schema's order: " + ",".join(expected)
            )
        )
    return problems


def iter_valid_rows(
    path: Path,
    schema: Mapping[str, Any],
    label: str | None = None,
    row_rules: Iterable[RowRule] = (),
) -> Iterator[Row]:
    """Yield the rows of `path` as dicts; raise DatasetError listing up to MAX_ERRORS problems.

    Rows are yielded only until the first problem is found, and the error is raised only after the
    whole file has been read (or MAX_ERRORS problems found), so a caller that loads while iterating
    must do so inside a transaction it rolls back on DatasetError.
    """
    label = label or path.name
    fields = [_FieldCheck(field) for field in schema["fields"]]
    expected = [field.name for field in fields]
    missing_values = set(schema.get("missingValues", [""]))
    unique = {f.name: set[str]() for f in fields if f.name in schema.get("primaryKey", [])}
    unique.update({f["name"]: set() for f in schema["fields"] if f.get("constraints", {}).get("unique")})
    rules = list(row_rules)
    problems: list[Problem] = []

    def add(problem: Problem) -> bool:
        problems.append(problem)
        return len(problems) > MAX_ERRORS

    csv.field_size_limit(MAX_FIELD_BYTES)
    with path.open("rb") as handle:
        lines = _Lines(handle, label, expected)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise DatasetError(
                    [Problem(label, None, None, None, "empty", "file is empty: no header row")]
                )
            header_problems = _header_problems(label, header, expected)
            if header_problems:
                raise DatasetError(header_problems)
            lines.next_row()
            for values in reader:
                start = lines.row_start
                lines.next_row()
                if not values:
                    continue  # a blank line, e.g. at the end of the file
                if len(values) != len(expected):
                    message = f"row has {len(values)} values, the header has {len(expected)}"
                    if add(Problem(label, start, None, None, "row-length", message)):
                        break
                    continue
                row = dict(zip(expected, values, strict=True))
                row_problems = list(_row_problems(label, start, row, fields, missing_values, unique, rules))
                if any(add(problem) for problem in row_problems):
                    break
                if not problems:
                    yield {name: ("" if value in missing_values else value) for name, value in row.items()}
        except csv.Error as error:
            # Located at the row's first line: a quoted value may run over many lines before it breaks.
            problems.append(Problem(label, lines.row_start, None, None, "csv", f"malformed CSV: {error}"))
    if problems:
        truncated = len(problems) > MAX_ERRORS
        raise DatasetError(problems[:MAX_ERRORS], truncated=truncated)


def _row_problems(
    label: str,
    line: int,
    row: Row,
    fields: list[_FieldCheck],
    missing_values: set[str],
    unique: dict[str, set[str]],
    rules: list[RowRule],
) -> Iterator[Problem]:
    for field in fields:
        value = row[field.name]
        if value in missing_values:
            if field.required:
                yield Problem(label, line, field.name, value, "required", "a value is required")
            continue
        if value not in field.known_good:  # the common case skips the checks altogether
            for rule, message in field.problems(value):
                yield Problem(label, line, field.name, value, rule, message)
        if field.name in unique:
            if value in unique[field.name]:
                yield Problem(
                    label, line, field.name, value, "unique", "the same value appears on an earlier row"
                )
            unique[field.name].add(value)
    cleaned = {name: ("" if value in missing_values else value) for name, value in row.items()}
    for rule_function in rules:
        for column, rule, message in rule_function(cleaned):
            yield Problem(label, line, column, cleaned.get(column), rule, message)


def validate_file(
    path: Path, schema: Mapping[str, Any], label: str | None = None, row_rules: Iterable[RowRule] = ()
) -> int:
    """Validate the whole file; return its number of rows or raise DatasetError."""
    return sum(1 for _ in iter_valid_rows(path, schema, label, row_rules))
