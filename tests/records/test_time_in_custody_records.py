"""`time_in_custody` on made-up protected series: what the demo release never shows (a hidden month
mid-year, a hidden count by year of detention, a detention year before the first recognition, an as-of
date inside a month, levels in the series' order)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from api.records.time_in_custody import time_in_custody
from api.stats.result import StatResult, Value


def _series(points: Sequence[tuple[str, str | None, int | None]], split: str | None = None) -> StatResult:
    """A protected series: (month, level or None, count or None when hidden)."""
    rows: list[dict[str, Value]] = []
    for month, level, count in points:
        row: dict[str, Value] = {"month": month}
        if split:
            row[split] = level
        rows.append(row | {"count": count, "suppressed": count is None})
    dimensions = (split,) if split else ()
    return StatResult(("month", *dimensions, "count", "suppressed"), dimensions, tuple(rows), 0)


# In custody from 2024-11 to 2025-03: 10, 12, 12, 12, 14 at the months' ends.
MONTHS = ("2024-11", "2024-12", "2025-01", "2025-02", "2025-03")
EVERYONE = _series([(month, None, count) for month, count in zip(MONTHS, (10, 12, 12, 12, 14), strict=True)])
# By year of detention on 2024-11 and on the as-of month, 2025-03 (2024 and 2025 hidden there).
BY_YEAR = _series(
    [
        (month, year, count)
        for month, counts in (("2024-11", (2, 8, 0, 10)), ("2025-03", (2, None, None, 14)))
        for year, count in zip(("2019", "2024", "2025", "total"), counts, strict=True)
    ],
    "year_detained",
)


def _rows(result: StatResult) -> dict[str, dict[str, Value]]:
    return {str(row["year"]): row for row in result.rows}


def test_person_years_are_month_end_counts_over_twelve_rounded() -> None:
    rows = _rows(time_in_custody(EVERYONE, BY_YEAR, date(2025, 3, 31)))
    assert (rows["2024"]["person_years"], rows["2024"]["months"]) == (1.8, 2)  # 22 / 12 = 1.83
    assert (rows["2025"]["person_years"], rows["2025"]["months"]) == (3.2, 3)  # 38 / 12 = 3.17


def test_a_year_before_the_first_recognition_has_no_person_years_but_its_people_in_custody() -> None:
    row = _rows(time_in_custody(EVERYONE, BY_YEAR, date(2025, 3, 31)))["2019"]
    assert (row["person_years"], row["person_years_suppressed"], row["months"]) == (None, False, 0)
    assert (row["in_custody_detained"], row["in_custody_detained_suppressed"]) == (2, False)


def test_people_in_custody_by_year_of_detention_are_hidden_where_the_series_hides_them() -> None:
    rows = _rows(time_in_custody(EVERYONE, BY_YEAR, date(2025, 3, 31)))
    for year in ("2024", "2025"):
        assert (rows[year]["in_custody_detained"], rows[year]["in_custody_detained_suppressed"]) == (
            None,
            True,
        )


def test_a_hidden_month_hides_its_years_person_years_only() -> None:
    points = [("2024-11", "f", 3), ("2024-12", "f", None), ("2025-01", "f", 4), ("2024-11", "total", 10)]
    points += [("2024-12", "total", 12), ("2025-01", "total", 12)]
    result = time_in_custody(_series(points, "gender"), None, date(2025, 1, 31))
    cells = {(row["year"], row["gender"]): row for row in result.rows}
    assert (cells[("2024", "f")]["person_years"], cells[("2024", "f")]["person_years_suppressed"]) == (
        None,
        True,
    )
    assert cells[("2025", "f")]["person_years"] == 0.3 and cells[("2024", "total")]["person_years"] == 1.8
    assert "in_custody_detained" not in result.columns and result.suppressed_cells == 1


def test_levels_keep_the_series_order_with_the_total_last() -> None:
    levels = ["under_25", "25_34", "65_plus", "total"]
    series = _series([("2025-01", level, 1) for level in levels], "age_band")
    result = time_in_custody(series, None, date(2025, 1, 31))
    assert [row["age_band"] for row in result.rows] == levels


@pytest.mark.parametrize(
    ("as_of", "held_2024", "held_2025"),
    [(date(2025, 3, 31), (3, 15), (0, 3)), (date(2025, 3, 15), (2, 15), (0, 3))],
)
def test_months_held_are_whole_months_to_the_as_of_date(
    as_of: date, held_2024: tuple[int, int], held_2025: tuple[int, int]
) -> None:
    rows = _rows(time_in_custody(EVERYONE, BY_YEAR, as_of))
    assert (rows["2024"]["held_months_from"], rows["2024"]["held_months_to"]) == held_2024
    assert (rows["2025"]["held_months_from"], rows["2025"]["held_months_to"]) == held_2025


def test_a_year_the_series_by_year_of_detention_lacks_is_an_error_not_a_zero() -> None:
    partial = _series([("2025-03", "2025", 14), ("2025-03", "total", 14)], "year_detained")
    with pytest.raises(ValueError, match="2024"):
        time_in_custody(EVERYONE, partial, date(2025, 3, 31))
