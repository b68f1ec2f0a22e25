"""The real published figures a reader should see first: the latest of each headline, with its citation.

Read from the `published_figure` table (real data, never synthetic); no HTTP here. Each headline is the
row of one key and filter with the latest `as_of`; among rows of the same date, Viasna's own statement
(`original`) comes before a report of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from api.models import FIGURE

Row = Mapping[str, Any]


@dataclass(frozen=True)
class RealFigure:
    """One published figure with everything a citation needs."""

    headline: str
    """Which headline it is (a key of the landing page's words)."""
    figure_id: str
    value: int
    qualifier: str
    as_of: str
    period_start: str | None
    source_title: str
    source_publisher: str
    source_url: str
    source_published: str | None


def _total(key: str) -> Callable[[Row], bool]:
    return lambda row: row["key"] == key and row["dimension"] is None and row["period_start"] is None


def _pardons_since_july_2024(row: Row) -> bool:
    return row["key"] == "released_pardon" and row["dimension"] is None and row["period_start"] == "2024-07"


def _expelled(row: Row) -> bool:
    return row["key"] == "expelled_after_release" and row["dimension"] is None


REAL_FIGURE_HEADLINES: tuple[tuple[str, Callable[[Row], bool]], ...] = (
    ("real_in_custody", _total("in_custody")),
    ("real_in_custody_women", _total("in_custody_women")),
    ("real_released_pardon", _pardons_since_july_2024),
    ("real_expelled", _expelled),
    ("real_deaths", _total("deaths_in_custody")),
)
"""The headlines in the order the page shows them."""


def _sort_key(row: Row) -> tuple[str, str, bool]:
    # Dates of different precision compare by their text ("2025-12" < "2025-12-23"), which puts a month
    # before the days in it; the period's end decides between running totals of the same date.
    return (row["as_of"], row["period_end"] or "", row["source_kind"] == "original")


def latest_real_figures(engine: Engine) -> tuple[RealFigure, ...]:
    """The latest published figure of each headline that the table has, in the page's order."""
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(select(FIGURE))]
    figures = []
    for headline, matches in REAL_FIGURE_HEADLINES:
        candidates = [row for row in rows if matches(row)]
        if candidates:
            row = max(candidates, key=_sort_key)
            figures.append(
                RealFigure(
                    headline=headline,
                    figure_id=row["figure_id"],
                    value=row["value"],
                    qualifier=row["qualifier"],
                    as_of=row["as_of"],
                    period_start=row["period_start"],
                    source_title=row["source_title"],
                    source_publisher=row["source_publisher"],
                    source_url=row["source_url"] or "",
                    source_published=row["source_published"],
                )
            )
    return tuple(figures)
