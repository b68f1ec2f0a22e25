"""The published figures the demonstration release is calibrated to, read from the figures table.

`dataset/figures/published_figures.csv` is the one place a published figure is written down; the
generator (api.dataset.demo) and the calibration (api.dataset.calibration) read their targets from it
instead of copying numbers into code, so a corrected or added figure moves the demonstration with it.

Counts in custody are dated to the day where the source gives one, while a release's series is monthly
(in custody at the end of each month). `series_at` reads a monthly series at a day: the end of the
month before, minus the published release events of the month dated before that day, plus the month's
other net flow pro rata (a pardon is a step on its date, the rest of the month's change is spread evenly).
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from api.paths import DATASET_DIR

FIGURES_CSV = DATASET_DIR / "figures" / "published_figures.csv"
Row = Mapping[str, str]
EventKind = Literal["pardon", "pardon_expelled"]


@dataclass(frozen=True)
class PublishedCount:
    """A published count at a date (`YYYY-MM-DD`, or `YYYY-MM` when the source gives the month only)."""

    figure_id: str
    date: str
    value: int
    qualifier: str
    source: str

    @property
    def month(self) -> str:
        return self.date[:7]


@dataclass(frozen=True)
class PublishedEvent:
    """The part of one published release of one kind: `women` of them when the source says."""

    figure_id: str
    date: str
    kind: EventKind
    count: int
    women: int | None
    source: str

    @property
    def month(self) -> str:
        return self.date[:7]


@cache
def figure_rows(path: Path = FIGURES_CSV) -> tuple[dict[str, str], ...]:
    """Every row of the figures table, in its order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _source(row: Row) -> str:
    return f"{row['source_publisher']}, {row['source_url']} ({row['figure_id']})"


def _is_total(row: Row, key: str) -> bool:
    return row["key"] == key and not row["dimension"] and not row["period_start"]


def in_custody_counts(rows: Sequence[Row] | None = None) -> list[PublishedCount]:
    """Every published total in custody (no part, no period), in date order."""
    chosen = [r for r in (rows or figure_rows()) if _is_total(r, "in_custody")]
    counts = [
        PublishedCount(r["figure_id"], r["as_of"], int(r["value"]), r["qualifier"], _source(r))
        for r in chosen
    ]
    return sorted(counts, key=lambda c: (c.date, c.figure_id))


def exact_in_custody_counts(rows: Sequence[Row] | None = None) -> list[PublishedCount]:
    """The published totals in custody that their sources state exactly (not "at least", "about" …)."""
    return [count for count in in_custody_counts(rows) if count.qualifier == "exact"]


def _expelled(parts: Sequence[Row]) -> int:
    """Who of a release was taken out of Belarus: its `pardon_expelled` part, else its destinations abroad."""
    named = [
        int(p["value"])
        for p in parts
        if p["dimension"] == "release_kind" and p["dimension_value"] == "pardon_expelled"
    ]
    if named:
        return sum(named)
    return sum(
        int(p["value"])
        for p in parts
        if p["dimension"] == "release_destination" and p["dimension_value"] != "BY"
    )


def release_events(rows: Sequence[Row] | None = None) -> list[PublishedEvent]:
    """Every published release, split into who stayed (`pardon`) and who was taken abroad
    (`pardon_expelled`), each part with its size; the women are given to the larger part."""
    every = rows or figure_rows()
    events: list[PublishedEvent] = []
    for total in (r for r in every if r["key"] == "release_event" and not r["dimension"]):
        parts = [
            r
            for r in every
            if r["key"] == "release_event" and r["dimension"] and r["as_of"] == total["as_of"]
        ]
        women = next(
            (
                int(p["value"])
                for p in parts
                if p["dimension"] == "gender" and p["dimension_value"] == "female"
            ),
            None,
        )
        expelled = min(_expelled(parts), int(total["value"]))
        stayed = int(total["value"]) - expelled
        source = _source(total)
        if expelled:
            events.append(
                PublishedEvent(
                    total["figure_id"],
                    total["as_of"],
                    "pardon_expelled",
                    expelled,
                    women if expelled >= stayed else None,
                    source,
                )
            )
        if stayed:
            events.append(
                PublishedEvent(
                    total["figure_id"],
                    total["as_of"],
                    "pardon",
                    stayed,
                    women if stayed > expelled else None,
                    source,
                )
            )
    return sorted(events, key=lambda e: (e.date, e.kind))


def death_months(rows: Sequence[Row] | None = None) -> list[PublishedCount]:
    """Deaths in custody published for one month (a period of one month), in date order."""
    chosen = [
        r
        for r in (rows or figure_rows())
        if r["key"] == "deaths_in_custody"
        and not r["dimension"]
        and len(r["period_start"]) == 7
        and r["period_start"] == r["period_end"]
    ]
    return [
        PublishedCount(r["figure_id"], r["period_start"], int(r["value"]), r["qualifier"], _source(r))
        for r in chosen
    ]


def day_fraction(date: str) -> float:
    """How far into its month a date is (1.0 for a date given as a month: its end)."""
    if len(date) == 7:
        return 1.0
    year, month, day = (int(part) for part in date.split("-"))
    return day / calendar.monthrange(year, month)[1]


def series_at(
    month_ends: Mapping[str, float], events: Sequence[PublishedEvent], date: str, previous: str | None
) -> float:
    """A monthly series in custody (`month_ends`: month → in custody at its end) read at `date`.

    `previous` is the month before `date`'s (None before the first month: zero). A date given as a month
    reads that month's end. Otherwise: the end of the month before, minus the month's published releases
    dated before the day, plus the rest of the month's change in proportion to the days gone by."""
    month = date[:7]
    end = month_ends[month]
    if len(date) == 7:
        return end
    start = month_ends[previous] if previous is not None else 0.0
    in_month = [e for e in events if e.month == month]
    before = sum(e.count for e in in_month if e.date < date)
    other_change = end - start + sum(e.count for e in in_month)
    return start - before + other_change * day_fraction(date)


@dataclass(frozen=True)
class PublishedTotal:
    """A published count over a period (`start` … `end`, each `YYYY`, `YYYY-MM` or `YYYY-MM-DD`)."""

    figure_id: str
    start: str
    end: str
    value: int
    qualifier: str
    source: str


def period_totals(key: str, rows: Sequence[Row] | None = None) -> list[PublishedTotal]:
    """Every published total of `key` over a period (no part), in the table's order."""
    return [
        PublishedTotal(
            r["figure_id"], r["period_start"], r["period_end"], int(r["value"]), r["qualifier"], _source(r)
        )
        for r in (rows or figure_rows())
        if r["key"] == key and not r["dimension"] and r["period_end"]
    ]


def figure(figure_id: str, rows: Sequence[Row] | None = None) -> dict[str, str]:
    """One row of the figures table by its id (KeyError when no row has it)."""
    for row in rows or figure_rows():
        if row["figure_id"] == figure_id:
            return dict(row)
    raise KeyError(figure_id)


def women_in_custody_counts(rows: Sequence[Row] | None = None) -> list[tuple[PublishedCount, PublishedCount]]:
    """Published women in custody, each with the total in custody of the same date (exact both), in date
    order; a count of women without a total of its date (e.g. from another source) is left out."""
    every = rows or figure_rows()
    totals = {c.date: c for c in exact_in_custody_counts(every)}
    pairs = []
    for r in every:
        if r["key"] == "in_custody_women" and r["qualifier"] == "exact" and r["as_of"] in totals:
            women = PublishedCount(r["figure_id"], r["as_of"], int(r["value"]), "exact", _source(r))
            pairs.append((women, totals[r["as_of"]]))
    return sorted(pairs, key=lambda pair: pair[0].date)
