"""Counts of people by one or two dimensions."""

from __future__ import annotations

from sqlalchemy import Connection

from api.stats.cube import Slice, count_table, grouped_counts, keyed, protect_and_slice
from api.stats.result import StatResult, table_result

NOTE = "Counts of people. A person charged under several articles counts under each (no article total)."


def breakdown(connection: Connection, release_id: str, view: Slice, threshold: int) -> StatResult:
    dims = view.dimensions
    rows = grouped_counts(connection, release_id, dims)
    table = count_table("breakdown", dims, keyed(rows, len(dims)), exact_totals=True)
    return table_result(protect_and_slice(table, view, threshold), notes=(NOTE,))
