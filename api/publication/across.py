"""Protection across releases: who changed between two publications must not be derivable below k.

An attacker holds every earlier publication (fixed forever) and subtracts each count the new one shows
from the same count in the previous one. Where the difference is between 1 and k−1, it tells that a
few people of that group were released, recognized or corrected in between; a handful of such groups
together give away who they were. So every count whose change is that small is hidden in the new
release (through its suppression list, so every table that counts those people hides them, and
protects itself around them), except the headlines: how many people changed in total may be exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from api.audit.publication import Answer, published_counts
from api.cells import Cell
from api.publication.answers import StoredAnswer
from api.records.time_in_custody import COLUMNS as TIME_IN_CUSTODY_COLUMNS
from api.stats.result import Value

Identity = tuple[str, str, tuple[tuple[str, Value], ...], str]
"""A count as an attacker finds it in two publications: statistic, query, the row's labels, column."""
_LABEL_EXCLUDED = {"count", "value", "recognized", "withheld_reason", *TIME_IN_CUSTODY_COLUMNS}
HEADLINE_ATTRIBUTES = frozenset({"release_kind"})
"""A count of everyone now, or of everyone now by how they left custody (which is also what status
means): a headline, whose change is the number of people who changed, exact by policy. The same
counts for an earlier month are not: their change dates someone's detention, recognition or
release (a late recognition, a correction)."""


def _is_value_column(column: str) -> bool:
    return column in _LABEL_EXCLUDED or column.endswith("suppressed") or column.startswith("released_")


def _labels(row: Mapping[str, Value]) -> tuple[tuple[str, Value], ...]:
    return tuple(sorted((k, v) for k, v in row.items() if not _is_value_column(k)))


def _count_columns(statistic: str, row: Mapping[str, Value], kinds: tuple[str, ...]) -> list[str]:
    """The columns of `row` that count people (not lengths of sentences)."""
    if statistic == "flows":
        return ["recognized", *(f"released_{kind}" for kind in kinds), "released_total"]
    if statistic == "time-in-custody":
        return ["in_custody_detained"] if "in_custody_detained" in row else []  # not person-years
    if row.get("measure") == "prison_sentence_months":
        return []
    if row.get("measure") == "quantiles":
        return ["value"] if row.get("statistic") == "n" else []
    return ["count"] if "count" in row else ["value"] if "value" in row else []


def published_values(answers: Iterable[StoredAnswer], kinds: tuple[str, ...]) -> dict[Identity, int | None]:
    """Every count of a publication by identity (None where suppressed)."""
    values: dict[Identity, int | None] = {}
    for answer in answers:
        for row in answer.result.rows:
            for column in _count_columns(answer.statistic, row, kinds):
                value = row.get(column)
                values[(answer.statistic, answer.key, _labels(row), column)] = (
                    value if isinstance(value, int) and not isinstance(value, bool) else None
                )
    return values


@dataclass(frozen=True)
class Change:
    identity: Identity
    cell: Cell
    before: int
    after: int

    def describe(self) -> str:
        statistic, key, labels, column = self.identity
        where = ", ".join(f"{k}={v}" for k, v in labels)
        return f"/v1/stats/{statistic}?{key} [{where}] {column}: {self.before} → {self.after}"


def _cells(answer: Answer, kinds: tuple[str, ...], key: str) -> Iterator[tuple[Identity, Cell, int | None]]:
    """The counts of one answer of the new release, with the people each counts: `published_counts`
    yields them row by row, in the order of `_count_columns`."""
    published = iter(published_counts(answer, kinds))
    for row in answer.result.rows:
        for column in _count_columns(answer.statistic, row, kinds):
            item = next(published)
            yield (answer.statistic, key, _labels(row), column), item.cell, item.value
    if next(published, None) is not None:
        raise RuntimeError(f"{answer.url}: the counts and the rows disagree")


def small_changes(
    before: Mapping[Identity, int | None],
    answers: Iterable[tuple[Answer, str]],
    kinds: tuple[str, ...],
    threshold: int,
    last_month: str,
) -> list[Change]:
    """Counts the new release shows whose change since the previous publication is 1..k−1 either way
    (headlines aside). `answers` are the new release's answers with their keys; `last_month` is its
    as-of month."""
    found = []
    for answer, key in answers:
        for identity, cell, value in _cells(answer, kinds, key):
            old = before.get(identity)
            if value is None or old is None or is_headline(cell, last_month):
                continue
            if 0 < abs(value - old) < threshold:
                found.append(Change(identity, cell, old, value))
    return found


def is_headline(cell: Cell, last_month: str) -> bool:
    now = cell.event is None or cell.event[1] == last_month
    return now and not cell.attributes - HEADLINE_ATTRIBUTES
