"""Months as `YYYY-MM` strings: the time axis of every series."""

from __future__ import annotations

from functools import cache


@cache  # millions of calls per `publish`, on a few thousand distinct dates
def month_index(month: str) -> int:
    """Months since year 0 of a `YYYY-MM` month or `YYYY-MM-DD` day."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from `first` to `last`, both included."""
    return tuple(month_at(i) for i in range(month_index(first), month_index(last) + 1))
