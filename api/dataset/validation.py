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
from itertools import chain, repeat
from operator import call, contains, itemgetter
from pathlib import Path
from typing import Any

MAX_ERRORS = 20
MAX_FIELD_BYTES = 10_000
"""A single value longer than this is an error, not something to hold in memory."""
MAX_ROW_BYTES = 1 << 20
"""A row taking more bytes than this is an error, found before the row is read whole: far more than
any row of values within MAX_FIELD_BYTES, and little memory however long the line in the file."""
KNOWN_GOOD_VALUES = 4096
"""Distinct valid values remembered per column (large files repeat a few; ids never repeat)."""
KNOWN_GOOD_KEYS = 65_536
"""Distinct combinations remembered per cross-field rule (months_in_order sees ~22k in a 1M release)."""
READ_BLOCK_BYTES = 1 << 20

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


@dataclass(frozen=True)
class ColumnRule:
    """A cross-field rule that reads only `columns`: the validator remembers the combinations of their
    values that passed, so the rule runs once per distinct combination rather than once per row."""

    columns: tuple[str, ...]
    check: RowRule

    def __call__(self, row: Row) -> Iterable[tuple[str, str, str]]:
        return self.check(row)


def reads(*columns: str) -> Callable[[RowRule], ColumnRule]:
    """Decorator: the rule depends on these columns only (see ColumnRule)."""

    def wrap(rule: RowRule) -> ColumnRule:
        return ColumnRule(columns, rule)

    return wrap


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def load_schema(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


_YEARMONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
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
    if field_type == "number" and not _NUMBER.fullmatch(value):
        return "is not a number"
    return None


class FieldCheck:
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
        only_pattern = (
            self.type == "string"
            and self.enum is None
            and self.max_length is None
            and self.pattern is not None
        )
        self.accepts: Callable[[str], object] = (
            self.pattern.fullmatch if only_pattern and self.pattern else self._accepts
        )
        """Truthy when a (non-missing) value breaks no constraint; not remembered (ids never repeat)."""
        self.accepts_any_text = (
            self.type == "string"
            and not self.required
            and self.enum is None
            and self.pattern is None
            and self.max_length is None
        )
        """Every value is valid, missing or not: the fast path need not look at the column."""

    def _accepts(self, value: str) -> bool:
        return next(self._problems(value), None) is None

    def remember(self, value: str) -> bool:
        """Whether a (non-missing) value is valid, remembering it if so (up to KNOWN_GOOD_VALUES)."""
        if value in self.known_good:
            return True
        if not self._accepts(value):
            return False
        if len(self.known_good) < KNOWN_GOOD_VALUES:
            self.known_good.add(value)
        return True

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


_SPLITLINES_ONLY = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""Characters other than "\\r" at which str.splitlines() ends a line and a binary file's lines (split on
b"\\n" only) do not: a block holding one, or a "\\r" not followed by "\\n", is split on "\\n" by hand."""


def _splits_like_binary(text: str) -> bool:
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False
    return not any(character in text for character in _SPLITLINES_ONLY)


def _decoded_lines(path: Path, label: str, columns: list[str]) -> Iterator[str]:
    """The file's lines as text, rejecting bytes that are not UTF-8 with the line they are on, and a
    line longer than MAX_ROW_BYTES after reading at most a block more than that of it."""
    return chain.from_iterable(_decoded_blocks(path, label, columns))


def _decoded_blocks(path: Path, label: str, columns: list[str]) -> Iterator[list[str]]:
    """The lines of the file (split on b"\\n", each keeping its end), a block of about a megabyte at a time.

    Decoding and splitting a block at once, rather than line by line, takes the per-line work out of
    Python; a block that is not valid UTF-8 is decoded again line by line to name the line at fault.
    """
    with path.open("rb") as handle:
        number = 0  # lines before the current block
        rest = b""
        first = True
        while True:
            chunk = handle.read(READ_BLOCK_BYTES)
            if first:
                first = False
                if chunk.startswith(b"\xef\xbb\xbf"):
                    chunk = chunk[3:]  # a UTF-8 byte-order mark, as spreadsheets write it
                    if not chunk and not (chunk := handle.read(READ_BLOCK_BYTES)):
                        yield [""]  # the mark alone: one empty line, as line by line
                        return
            block = rest + chunk
            if not chunk:
                rest = b""
            else:
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
            if block:
                try:
                    text = block.decode("utf-8")
                except UnicodeDecodeError:
                    yield from _lines_before_encoding_error(block, number, label)  # then raises
                if _splits_like_binary(text):
                    lines = text.splitlines(keepends=True)
                else:
                    lines = [line + "\n" for line in text.split("\n")]
                    last = lines.pop()
                    if last != "\n":  # the file's last line had no end of line
                        lines.append(last[:-1])
                number += len(lines)
                yield lines
            if len(rest) > MAX_ROW_BYTES:  # a line still without its end: never held whole
                raise DatasetError([_too_long(label, number + 1, rest[:MAX_ROW_BYTES], columns)])
            if not chunk:
                return


def _too_long(label: str, number: int, start: bytes, columns: list[str]) -> Problem:
    """The problem of a line over MAX_ROW_BYTES, naming the column when the line is plain enough to tell."""
    if number > 1 and b'"' not in start:
        # Unquoted: values are what lies between commas, so the first one too long is the culprit.
        values = start.decode("utf-8", errors="replace").split(",")
        for index, value in enumerate(values[: len(columns)]):
            if len(value) > MAX_FIELD_BYTES:
                message = f"value is longer than {MAX_FIELD_BYTES:,} characters"
                return Problem(label, number, columns[index], None, "field-size", message)
    limits = f"{MAX_ROW_BYTES:,} bytes (a value may have at most {MAX_FIELD_BYTES:,} characters)"
    return Problem(label, number, None, None, "row-size", f"row is longer than {limits}")


def _lines_before_encoding_error(block: bytes, before: int, label: str) -> Iterator[list[str]]:
    """The lines of a block that is not UTF-8 up to the first at fault, then the error naming it: the
    rows before it are read as they would be line by line."""
    lines: list[str] = []
    for number, raw in enumerate(block.split(b"\n"), start=before + 1):
        try:
            lines.append(raw.decode("utf-8") + "\n")
        except UnicodeDecodeError as error:
            yield lines
            raise DatasetError(
                [
                    Problem(
                        label, number, None, None, "encoding", f"bytes at offset {error.start} are not UTF-8"
                    )
                ]
            ) from None
    raise AssertionError("a block that failed to decode has a line that fails")  # pragma: no cover


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
    names = [field["name"] for field in schema["fields"]]
    for values in iter_valid_values(path, schema, label, row_rules):
        yield dict(zip(names, values, strict=True))


def iter_valid_values(
    path: Path,
    schema: Mapping[str, Any],
    label: str | None = None,
    row_rules: Iterable[RowRule] = (),
) -> Iterator[list[str]]:
    """As iter_valid_rows, each row a list of its values in the schema's column order (the header's).

    Most rows of a large file take a fast path: every value is one already found valid in its column,
    every combination a ColumnRule reads already passed it, the unique columns are checked for their
    pattern and repeats, and no message is built. A row off that path is checked value by value as
    the messages need; the verdict is the same either way.
    """
    label = label or path.name
    fields = [FieldCheck(field) for field in schema["fields"]]
    expected = [field.name for field in fields]
    missing_values = set(schema.get("missingValues", [""]))
    unique = {f.name: set[str]() for f in fields if f.name in schema.get("primaryKey", [])}
    unique.update({f["name"]: set() for f in schema["fields"] if f.get("constraints", {}).get("unique")})
    rules = list(row_rules)
    problems: list[Problem] = []

    def add(problem: Problem) -> bool:
        problems.append(problem)
        return len(problems) > MAX_ERRORS

    is_valid = _FastPath(fields, missing_values, unique, rules)
    column_sets, take, is_new = is_valid.sets, is_valid.take, is_valid.is_new
    key_sets = [passed for _, passed, _ in is_valid.keyed]
    key_getters = [key_of for key_of, _, _ in is_valid.keyed]
    # Only when a missing value is "" (every schema of the dataset): others are checked as they are
    # and rules see them as "", which only the slow path does.
    clean = None if missing_values == {""} else missing_values
    fast = clean is None
    inline = fast and not is_valid.plain  # a rule of no declared columns runs on every row, in is_valid
    # The usual single unique column (the primary key), checked inline rather than by is_new.
    one_unique: int | None = None
    seen: set[str] = set()
    accepts: Callable[[str], object] = bool
    if len(is_valid.unique) == 1:
        one_unique, unique_field, seen = is_valid.unique[0]
        accepts = unique_field.accepts
    seen_add = seen.add
    no_unique = not is_valid.unique  # e.g. a publication's tables: no row is looked up twice
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(_decoded_lines(path, label, expected), strict=True)
    line = 0  # the last line of the last complete row
    try:
        header = next(reader, None)
        if header is None:
            raise DatasetError([Problem(label, None, None, None, "empty", "file is empty: no header row")])
        header_problems = _header_problems(label, header, expected)
        if header_problems:
            raise DatasetError(header_problems)
        width = len(expected)
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if len(values) != width:
                if not values:
                    continue  # a blank line, e.g. at the end of the file
                message = f"row has {len(values)} values, the header has {width}"
                if add(Problem(label, start, None, None, "row-length", message)):
                    break
                continue
            # The fast path, inline: every value one already found valid in its column, every unique
            # value new and of its pattern, every combination a ColumnRule reads one already passed.
            if (
                inline
                and all(map(contains, column_sets, take(values)))
                and (not key_sets or all(map(contains, key_sets, map(call, key_getters, repeat(values)))))
                and (
                    (value := values[one_unique]) not in seen
                    and value not in missing_values
                    and accepts(value)
                    if one_unique is not None
                    else no_unique or is_new(values)
                )
            ):
                if one_unique is not None:
                    seen_add(value)
                if not problems:
                    yield values
                continue
            if fast and is_valid(values):
                if not problems:
                    yield values
                continue
            row = dict(zip(expected, values, strict=True))
            row_problems = list(_row_problems(label, start, row, fields, missing_values, unique, rules))
            if any(add(problem) for problem in row_problems):
                break
            if not row_problems and not problems:  # only when missing values are not "" (or a bug)
                yield values if clean is None else ["" if value in clean else value for value in values]
    except csv.Error as error:
        # Located at the row's first line: a quoted value may run over many lines before it breaks.
        problems.append(Problem(label, line + 1, None, None, "csv", f"malformed CSV: {error}"))
    if problems:
        truncated = len(problems) > MAX_ERRORS
        raise DatasetError(problems[:MAX_ERRORS], truncated=truncated)


class _FastPath:
    """Whether a row breaks nothing, with no message built (a schema whose missing value is "").

    When it does, nothing is changed, so the slow path (`_row_problems`) sees the row as if the fast
    one had not looked; when it does not, its unique values are recorded as `_row_problems` would.
    """

    def __init__(
        self,
        fields: list[FieldCheck],
        missing_values: set[str],
        unique: dict[str, set[str]],
        rules: list[RowRule],
    ) -> None:
        self.fields = fields
        self.names = [field.name for field in fields]
        self.missing = missing_values
        for field in fields:
            if not field.required:
                field.known_good.update(missing_values)  # "" is valid where a value is not required
        self.unique = [
            (index, field, unique[field.name]) for index, field in enumerate(fields) if field.name in unique
        ]
        # A column that takes any text (a string with no constraint, not required) is not looked at.
        cached = [
            index
            for index, field in enumerate(fields)
            if field.name not in unique and not field.accepts_any_text
        ]
        self.cached = [(index, fields[index]) for index in cached]
        self.sets = [fields[index].known_good for index in cached]
        self.take: Callable[[list[str]], Iterable[str]] = (
            itemgetter(*cached) if len(cached) > 1 else (lambda values: [values[index] for index in cached])
        )
        positions = {name: index for index, name in enumerate(self.names)}
        self.keyed: list[tuple[Callable[[list[str]], object], set[object], RowRule]] = []
        self.plain: list[RowRule] = []
        for rule in rules:
            columns = getattr(rule, "columns", None)
            if isinstance(rule, ColumnRule) and columns and all(name in positions for name in columns):
                self.keyed.append((itemgetter(*(positions[name] for name in columns)), set(), rule))
            else:
                self.plain.append(rule)

    def is_new(self, values: list[str]) -> bool:
        """The unique values of the row are present, new and valid; if so they are recorded."""
        missing = self.missing
        for index, _field, seen in self.unique:
            value = values[index]
            if value in missing or value in seen or not _field.accepts(value):
                return False
        for index, _field, seen in self.unique:
            seen.add(values[index])
        return True

    def __call__(self, values: list[str]) -> bool:
        """The whole check, remembering what passes (values, rule keys) for the inline fast path."""
        if not all(map(contains, self.sets, self.take(values))) and not all(
            self._value_ok(field, values[index]) for index, field in self.cached
        ):
            return False
        for index, field, seen in self.unique:
            value = values[index]
            if value in self.missing:
                if field.required:
                    return False
            elif value in seen or not field.accepts(value):
                return False
        if self.keyed or self.plain:
            row: Row | None = None
            for key_of, passed, rule in self.keyed:
                key = key_of(values)
                if key not in passed:
                    row = row or dict(zip(self.names, values, strict=True))
                    if next(iter(rule(row)), None) is not None:
                        return False
                    if len(passed) < KNOWN_GOOD_KEYS:
                        passed.add(key)
            if self.plain:
                row = row or dict(zip(self.names, values, strict=True))
                if any(next(iter(rule(row)), None) is not None for rule in self.plain):
                    return False
        for index, _field, seen in self.unique:
            if values[index] not in self.missing:
                seen.add(values[index])
        return True

    def _value_ok(self, field: FieldCheck, value: str) -> bool:
        if value in self.missing:
            return not field.required
        return field.remember(value)


def _row_problems(
    label: str,
    line: int,
    row: Row,
    fields: list[FieldCheck],
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
