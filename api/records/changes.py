"""What changed between a release and the one before it — as protected aggregates only."""

from __future__ import annotations

from sqlalchemy import Connection, and_, exists, func, select
from sqlalchemy.orm import aliased

from api.disclosure import protect_counts
from api.records.tables import CASE
from api.stats.result import StatResult, Value
from api.table import CountTable

MEASURES = ("added", "removed", "released_since", "back_in_custody")
NOTES = (
    "added: cases in this release that were not in the previous one; removed: the reverse.",
    "released_since: cases in custody in the previous release and released in this one; "
    "back_in_custody: the reverse.",
)


def _count(connection: Connection, new: str, old: str, condition: str) -> int:
    previous = aliased(CASE)
    same_case = and_(previous.c.release_id == old, previous.c.case_id == CASE.c.case_id)
    if condition == "added":
        where = [~exists().where(same_case)]
        query = select(func.count()).select_from(CASE).where(CASE.c.release_id == new, *where)
    elif condition == "removed":
        current = aliased(CASE)
        other = and_(current.c.release_id == new, current.c.case_id == previous.c.case_id)
        query = (
            select(func.count())
            .select_from(previous)
            .where(previous.c.release_id == old, ~exists().where(other))
        )
    else:
        was_free = condition == "back_in_custody"
        query = (
            select(func.count())
            .select_from(CASE.join(previous, same_case))
            .where(
                CASE.c.release_id == new,
                previous.c.released_on.is_not(None) if was_free else previous.c.released_on.is_(None),
                CASE.c.released_on.is_(None) if was_free else CASE.c.released_on.is_not(None),
            )
        )
    return int(connection.execute(query).scalar_one())


def case_changes(connection: Connection, new: str, old: str, threshold: int) -> StatResult:
    exact = {measure: _count(connection, new, old, measure) for measure in MEASURES}
    rows = protect_changes(exact, threshold)
    suppressed = sum(1 for row in rows if row["suppressed"])
    return StatResult(("measure", "value", "suppressed"), (), tuple(rows), suppressed, NOTES)


PAIRS = (("added", "removed"), ("released_since", "back_in_custody"))
"""Counts whose difference the headlines publish: recognized(now) - recognized(then) = added - removed,
and, when nobody was added or removed in custody, in custody(then) - in custody(now) = released_since
- back_in_custody. One hidden without its pair would be derivable, so each pair is hidden together."""


def protect_changes(exact: dict[str, int], threshold: int) -> list[dict[str, Value]]:
    """Threshold each count, then hide each of `PAIRS` together."""
    hidden = set()
    for measure, count in exact.items():
        table = CountTable(name=measure, dimensions=(), levels={}, counts={(): count} if count else {})
        if protect_counts(table, threshold).cells[0].suppressed:
            hidden.add(measure)
    for pair in PAIRS:
        if len(hidden & set(pair)) == 1:
            hidden |= set(pair)
    return [
        {"measure": m, "value": None if m in hidden else exact[m], "suppressed": m in hidden}
        for m in MEASURES
    ]
