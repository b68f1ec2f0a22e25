"""The demonstration's targets read from the figures table: counts in custody, release events, deaths."""

from __future__ import annotations

import pytest

from api.dataset import published_targets as targets


def test_exact_counts_in_custody_come_from_the_table_with_their_dates() -> None:
    counts = {c.figure_id: c for c in targets.exact_in_custody_counts()}
    assert (
        counts["in-custody-2026-03-05"].value == 1140 and counts["in-custody-2026-03-05"].date == "2026-03-05"
    )
    assert counts["in-custody-2024-12-31"].value == 1265
    assert "in-custody-2024-08" not in counts  # "more than 1,395": not an exact count
    assert all(c.qualifier == "exact" and c.source for c in counts.values())


def test_a_release_is_split_into_who_stayed_and_who_was_taken_abroad() -> None:
    events = {(e.date, e.kind): e for e in targets.release_events()}
    assert events[("2026-03-19", "pardon")].count == 235
    assert events[("2026-03-19", "pardon_expelled")].count == 15
    assert events[("2025-12-13", "pardon_expelled")].count == 123 and ("2025-12-13", "pardon") not in events
    assert events[("2025-05-07", "pardon")].count == 42 and events[("2025-05-07", "pardon")].women == 18
    # Citizenship is not a destination: the 31 Ukrainians of 22 November 2025 are not counted as expelled.
    assert events[("2025-11-22", "pardon")].count == 31


def test_deaths_are_read_month_by_month() -> None:
    months = [d.date for d in targets.death_months()]
    assert months == sorted(months) and {"2021-05", "2024-02", "2024-11"} <= set(months)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024-03", 900.0),  # a month: its end
        ("2024-03-31", 900.0),  # the last day: the end of the month
        ("2024-03-10", 1000 - 50 + (900 - 1000 + 50) * 10 / 31),  # the release of the 5th is a step
        ("2024-03-05", 1000 + (900 - 1000 + 50) * 5 / 31),  # ... counted from the day after
    ],
)
def test_series_at_reads_a_monthly_series_at_a_day(date: str, expected: float) -> None:
    events = [targets.PublishedEvent("e", "2024-03-05", "pardon", 50, None, "s")]
    ends = {"2024-02": 1000.0, "2024-03": 900.0}
    assert targets.series_at(ends, events, date, "2024-02") == pytest.approx(expected)
