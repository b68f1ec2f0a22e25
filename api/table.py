"""The one shape every statistic takes between SQL and its representations.

A statistic builds a `CountTable` (exact counts, never shown to anyone), the disclosure module turns
it into a `PublishedTable` (what may be shown), and renderers (JSON, CSV, charts, downloads) only
represent a `PublishedTable`. Nothing downstream of `api.disclosure` sees an unprotected count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOTAL = "total"
"""Dimension value of a margin (row, column or grand total) in a published table."""

Key = tuple[str, ...]
"""Values of a table's dimensions, in the order of `CountTable.dimensions`."""


@dataclass(frozen=True)
class CountTable:
    """Exact counts over the full grid of up to two dimensions, optionally one grid per period.

    `levels` lists every value of each dimension (zeros included), so that every grid cell is
    known; `counts` may omit zero cells. `periods` is set for monthly series: each period is its
    own grid, and the disclosure policy protects each period's grid with its margins.
    `exact_totals` marks headline totals that the sources already publish (e.g. in custody now):
    the grand total of each grid is then shown exactly whatever its size.
    """

    name: str
    dimensions: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]
    counts: dict[Key, int]
    periods: tuple[str, ...] | None = None
    exact_totals: bool = False
    movement: dict[Key, int] | None = None
    """For a monthly stock (people in custody): per (period, *key), how much a reader can tell the count
    may have moved since the previous period — the month's recognitions plus releases in the smallest
    published flow that contains the count. The policy protects neighbouring months alike where that
    is below the protection interval. None for tables whose periods are not linked."""

    decided_by_tables: dict[Key, bool] | None = None
    """Keys already decided by other tables: they publish the same people (shown, False), or must have
    them hidden for their own sake (True); the policy hides or shows them so. Keyed (period, *key) in a
    table with periods."""

    decided_by_list: dict[Key, bool] | None = None
    """Keys already decided by the release's own suppression list (`api.cells.Withheld`): hidden (True)
    or shown (False) everywhere, unless another table or an exact total decides them. Keyed like
    `decided_by_tables`."""

    def count(self, key: Key, period: str | None = None) -> int:
        if self.periods is None:
            return self.counts.get(key, 0)
        # A series without a period names no cell (as before this was typed: `(None, *key)` is no key).
        return self.counts.get((period, *key), 0) if period is not None else 0


@dataclass(frozen=True)
class PublishedEntry:
    """The published count at one key of a table (not an `api.cells.Cell`, the people it counts):
    `value` is None exactly when `suppressed` is true."""

    key: Key
    value: int | None
    suppressed: bool
    period: str | None = None
    is_margin: bool = False


@dataclass(frozen=True)
class PublishedTable:
    """A disclosure-controlled table, margins included (dimension value `TOTAL`)."""

    name: str
    dimensions: tuple[str, ...]
    cells: tuple[PublishedEntry, ...]
    threshold: int
    periods: tuple[str, ...] | None = None

    @property
    def suppressed_cells(self) -> int:
        return sum(1 for cell in self.cells if cell.suppressed)


@dataclass(frozen=True)
class GroupHistogram:
    """One group's published histogram (e.g. prison sentences of women): its published size and bin
    counts, None where the disclosure policy hid them. Derived statistics are computed from it alone."""

    key: Key
    n: int | None
    counts: tuple[int | None, ...]


@dataclass(frozen=True)
class PublishedQuantiles:
    """Derived statistics of one group: a statistic is None, with its reason in `reasons`, when it is
    withheld."""

    key: Key
    n: int | None
    quantiles: dict[str, float | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
