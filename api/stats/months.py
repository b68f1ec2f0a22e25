"""Months as `YYYY-MM` strings: the time axis of every series."""

from __future__ import annotations


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from `first` to `last`, both included."""
    return tuple(month_at(i) for i in range(month_index(first), month_index(last) + 1))
