"""What a count counts: a set of people described by conditions on their attributes (`Cell`).

The same people are counted by many tables (the breakdown by region and status, the last month of the
series in custody by region, the summary). A `Cell` names them independently of the table, so that the
anonymity audit can reason about every published count at once, and a release's own suppression list
(`Withheld`, written by `prisoners-api protect`) hides one set of people alike in every table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from api.table import TOTAL, CountTable, Key

CODED_ATTRIBUTES = ("gender", "age_band", "region", "article", "sentence_kind", "release_kind")
"""Attributes a case records as codes of a vocabulary: each is also a dimension of the API's tables."""
STATIC_ATTRIBUTES = (*CODED_ATTRIBUTES, "year_detained", "sentence_bin", "held_bin")
"""Attributes of a person that published counts condition on. `article` is the set of articles charged
(a condition on it means "charged under one of"); `sentence_bin` is the histogram bin of the sentence
length, or `none` without a length; `held_bin` the bin of the months held before release, or `none`
while in custody."""
NOT_RELEASED = "not_released"
EVENTS = ("in_custody", "recognized", "released")
"""Monthly events: in custody at the end of the month, recognized in it, released in it. A table named
after an event is a monthly series of it."""

Condition = tuple[str, frozenset[str]]
_Listed = dict[tuple[tuple[Condition, ...], tuple[str, str] | None], bool]
"""Sets of people by their conditions and event, with whether to hide them."""


@dataclass(frozen=True)
class Cell:
    """A set of people: those whose every conditioned attribute takes one of the allowed values, and who
    (with an `event`) were in custody at the end of / recognized in / released in the month."""

    conditions: tuple[Condition, ...]
    event: tuple[str, str] | None = None
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Cells are dictionary keys by the million in `publish` (suppression lists, the audit): hash once.
        object.__setattr__(self, "_hash", hash((self.conditions, self.event)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Cell], tuple[tuple[Condition, ...], tuple[str, str] | None]]:
        return Cell, (self.conditions, self.event)  # a copy in another process hashes there

    @staticmethod
    def of(conditions: Mapping[str, Iterable[str]], event: tuple[str, str] | None = None) -> Cell:
        unknown = set(conditions) - set(STATIC_ATTRIBUTES)
        if unknown or (event is not None and event[0] not in EVENTS):
            raise ValueError(f"not an attribute or event of a person: {sorted(unknown) or event}")
        items = tuple(sorted((name, frozenset(values)) for name, values in conditions.items()))
        return Cell(items, event)

    @property
    def attributes(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.conditions)

    def describe(self) -> str:
        parts = [f"{name}={'|'.join(sorted(values))}" for name, values in self.conditions]
        if self.event is not None:
            parts.append(f"{self.event[0]}@{self.event[1]}")
        return ", ".join(parts) or "everyone"

    def to_json(self) -> dict[str, Any]:
        """The cell as a release's suppression.json lists it (values sorted: one spelling per cell)."""
        document: dict[str, Any] = {"conditions": {name: sorted(values) for name, values in self.conditions}}
        if self.event is not None:
            document["event"] = {"kind": self.event[0], "month": self.event[1]}
        return document

    @staticmethod
    def from_json(document: Mapping[str, Any]) -> Cell:
        """Inverse of `to_json`; ValueError names what is wrong with a malformed entry."""
        if not isinstance(document, Mapping) or set(document) - {"conditions", "event"}:
            raise ValueError(
                f"a cell is an object with 'conditions' and an optional 'event', not {document!r}"
            )
        conditions = document.get("conditions")
        if not isinstance(conditions, Mapping) or not all(
            isinstance(values, list) and values and all(isinstance(v, str) for v in values)
            for values in conditions.values()
        ):
            raise ValueError(f"'conditions' maps attributes to non-empty lists of values, not {conditions!r}")
        event = document.get("event")
        if event is None:
            return Cell.of(conditions)
        if not isinstance(event, Mapping) or set(event) != {"kind", "month"}:
            raise ValueError(f"'event' is an object with 'kind' and 'month', not {event!r}")
        return Cell.of(conditions, (str(event["kind"]), str(event["month"])))

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))


ATTRIBUTE_OF = {"status": "release_kind", "bin_months": "sentence_bin", "held_months": "held_bin"}
"""Table dimensions that name an attribute differently."""


def condition(dimension: str, value: str, kinds: Iterable[str]) -> Condition | None:
    """The condition `dimension = value` puts on people (None for a margin, `TOTAL`). `kinds` are the
    release kinds: a status of `released` means any of them."""
    if value == TOTAL:
        return None
    if dimension == "status":
        return "release_kind", frozenset({NOT_RELEASED} if value == "in_custody" else kinds)
    return ATTRIBUTE_OF.get(dimension, dimension), frozenset({value})


@dataclass(frozen=True)
class Withheld:
    """A release's own suppression list (`api.audit.protect`): sets of people hidden in every table that
    counts them, on top of what each table's own protection hides, and sets of people shown although a
    table would hide them, because the published counts determine them exactly anyway. Empty for most
    releases."""

    hidden: frozenset[Cell] = frozenset()
    shown: frozenset[Cell] = frozenset()
    kinds: tuple[str, ...] = ()
    """The release kinds (what a status of `released` means)."""

    def keys(
        self,
        table: CountTable,
        context: Mapping[str, frozenset[str]] | None = None,
        margins: Mapping[str, frozenset[str]] | None = None,
    ) -> dict[Key, bool] | None:
        """The keys of `table` (period first in a series) whose people are on the list, with whether
        to hide them; None when none are.

        `context` holds conditions every count of the table shares (a histogram's kind of sentence);
        `margins` the condition a dimension's margin stands for when it is not "anyone" (the sentence
        histogram's total is the people with a length in some bin). Inside `consulted()`, the call and
        its answer are kept."""
        found = self._keys(table, context, margins)
        kept = _CONSULTED.get()
        if kept is not None:
            kept.append(Consulted(table, context, margins, found))
        return found

    def _keys(
        self,
        table: CountTable,
        context: Mapping[str, frozenset[str]] | None,
        margins: Mapping[str, frozenset[str]] | None,
    ) -> dict[Key, bool] | None:
        event_kind = table.name if table.name in EVENTS else None
        if event_kind:
            wanted, attribute_sets = self._monthly, self._monthly_attributes
        else:
            wanted, attribute_sets = self._static, self._static_attributes
        if not wanted:
            return None
        base = dict(context or {})
        grid: list[Key] = [()]
        for dimension in table.dimensions:
            grid = [(*key, value) for key in grid for value in (*table.levels[dimension], TOTAL)]
        periods: Iterable[str | None] = table.periods if table.periods is not None else (None,)
        found: dict[Key, bool] = {}
        for key in grid:
            conditions = dict(base)
            for dimension, value in zip(table.dimensions, key, strict=True):
                named = condition(dimension, value, self.kinds)
                if named is None and margins and dimension in margins:
                    named = ATTRIBUTE_OF.get(dimension, dimension), margins[dimension]
                if named is not None:
                    name, allowed = named
                    conditions[name] = conditions[name] & allowed if name in conditions else allowed
            if frozenset(conditions) not in attribute_sets:
                continue  # no listed set of people has exactly these attributes
            people = Cell.of(conditions).conditions
            for period in periods:
                event = None if period is None or event_kind is None else (event_kind, period)
                hide = wanted.get((people, event))
                if hide is not None:
                    found[key if period is None else (period, *key)] = hide
        return found or None

    @cached_property
    def _static(self) -> _Listed:
        """The listed sets of people without an event, with whether to hide them (keyed by their
        conditions and event: `keys` looks up one per key and month of every table)."""
        return {(c.conditions, None): hide for c, hide in self._listed.items() if c.event is None}

    @cached_property
    def _monthly(self) -> _Listed:
        """The listed sets of people in a month's event, with whether to hide them."""
        return {(c.conditions, c.event): hide for c, hide in self._listed.items() if c.event is not None}

    @cached_property
    def _static_attributes(self) -> frozenset[frozenset[str]]:
        """The attributes each listed set of people without an event conditions on (tables whose keys
        condition on other attributes are skipped whole: `keys` runs for every table of a publication)."""
        return frozenset(frozenset(name for name, _ in conditions) for conditions, _ in self._static)

    @cached_property
    def _monthly_attributes(self) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(name for name, _ in conditions) for conditions, _ in self._monthly)

    @cached_property
    def _listed(self) -> dict[Cell, bool]:
        return {cell: True for cell in self.hidden} | {cell: False for cell in self.shown}


@dataclass(frozen=True)
class Consulted:
    """One question a computation asked of a suppression list (`Withheld.keys`), and its answer."""

    table: CountTable
    context: Mapping[str, frozenset[str]] | None
    margins: Mapping[str, frozenset[str]] | None
    found: dict[Key, bool] | None

    def same_under(self, withheld: Withheld) -> bool:
        """Whether `withheld` answers the question alike: a computation that asked only questions
        answered alike computes the same again (everything else it reads is the fixed records)."""
        return withheld._keys(self.table, self.context, self.margins) == self.found


_CONSULTED: ContextVar[list[Consulted] | None] = ContextVar("consulted", default=None)


@contextmanager
def consulted() -> Iterator[list[Consulted]]:
    """Keep every question asked of a suppression list inside the block."""
    kept: list[Consulted] = []
    token = _CONSULTED.set(kept)
    try:
        yield kept
    finally:
        _CONSULTED.reset(token)
