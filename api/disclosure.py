"""The disclosure-control policy as code: the only path from exact counts to publishable numbers.

Policy (docs: DESIGN.md, "Disclosure-control policy"; k is `Settings.suppression_threshold`):

* Threshold: a count n with 1 <= n < k is suppressed; 0 is published as 0. When a table has
  `exact_totals`, its grand total is published exactly (the sources publish it anyway), and so is any
  cell that *is* the grand total by construction (a dimension with a single level).
* Secondary suppression: every line of a grid is an equation `sum(interior) = margin` (rows with their
  row totals, columns with their column totals, the row totals and the column totals with the grand
  total, a 1-D grid with its total). No line may have exactly one suppressed member, or that member
  could be recovered by subtraction. See `_complements` for which cell is hidden next.
* Derived statistics (quantiles, mean) are published only for groups of at least `min_group` values.

Cell order of a `PublishedTable`: periods in order, and within each period's grid
  0 dimensions: the single cell `()` (not flagged as a margin: there is nothing it sums);
  1 dimension:  each level in order, then `(TOTAL,)`;
  2 dimensions: row by row, each row's cells in column order followed by its row total `(a, TOTAL)`,
                then the column totals `(TOTAL, b)` in column order, then the grand total `(TOTAL, TOTAL)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

import numpy as np

from api.settings import MIN_THRESHOLD as MIN_THRESHOLD  # the floor lives with the setting it bounds
from api.table import TOTAL, CountTable, GroupSample, Key, PublishedCell, PublishedQuantiles, PublishedTable

Line = tuple[tuple[Key, ...], Key]
"""One equation of a grid: its interior members (in level order) sum to its margin."""


def protect_counts(table: CountTable, threshold: int) -> PublishedTable:
    """Apply threshold and secondary suppression to every grid of `table`, margins included."""
    _check_threshold(threshold)
    _check_table(table)
    lines = _lines(table)
    fixed = _exact_keys(table, lines)
    cells: list[PublishedCell] = []
    for period in table.periods if table.periods is not None else (None,):
        exact = _exact_grid(table, period)
        hidden = {key for key, n in exact.items() if 1 <= n < threshold and key not in fixed}
        _suppress_secondary(exact, hidden, lines, fixed)
        cells.extend(
            PublishedCell(key, None if key in hidden else n, key in hidden, period, is_margin=TOTAL in key)
            for key, n in exact.items()
        )
    return PublishedTable(table.name, table.dimensions, tuple(cells), threshold, table.periods)


def _check_threshold(threshold: int) -> None:
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"suppression threshold {threshold} is below the minimum threshold {MIN_THRESHOLD}")


def _check_table(table: CountTable) -> None:
    """Refuse tables the policy cannot protect, rather than silently dropping counts."""
    if len(table.dimensions) > 2:
        raise ValueError(f"table {table.name!r} has {len(table.dimensions)} dimensions; at most 2 may be")
    if any(TOTAL in table.levels[dimension] for dimension in table.dimensions):
        raise ValueError(f"table {table.name!r}: {TOTAL!r} is reserved for margins and cannot be a level")
    grid = set(product(*(table.levels[dimension] for dimension in table.dimensions)))
    for key, n in table.counts.items():
        period, cell = (key[0], key[1:]) if table.periods is not None else (None, key)
        if cell not in grid or (table.periods is not None and period not in table.periods) or n < 0:
            raise ValueError(f"table {table.name!r}: count {n} for {key!r} is not a cell of the table")


def _exact_grid(table: CountTable, period: str | None) -> dict[Key, int]:
    """Exact values of one grid and its margins, in publication order (see the module docstring)."""
    levels = [table.levels[dimension] for dimension in table.dimensions]
    if not levels:
        return {(): table.count((), period)}
    if len(levels) == 1:
        line: dict[Key, int] = {(value,): table.count((value,), period) for value in levels[0]}
        return line | {(TOTAL,): sum(line.values())}
    rows, columns = levels
    grid: dict[Key, int] = {}
    for a in rows:
        row: dict[Key, int] = {(a, b): table.count((a, b), period) for b in columns}
        grid |= row | {(a, TOTAL): sum(row.values())}
    for b in columns:
        grid[(TOTAL, b)] = sum(grid[(a, b)] for a in rows)
    grid[(TOTAL, TOTAL)] = sum(grid[(a, TOTAL)] for a in rows)
    return grid


def _lines(table: CountTable) -> list[Line]:
    """Every additive equation a reader can write from one published grid."""
    levels = [table.levels[dimension] for dimension in table.dimensions]
    if not levels:
        return []
    if len(levels) == 1:
        return [(tuple((value,) for value in levels[0]), (TOTAL,))]
    rows, columns = levels
    return [
        *((tuple((a, b) for b in columns), (a, TOTAL)) for a in rows),
        *((tuple((a, b) for a in rows), (TOTAL, b)) for b in columns),
        # The margins are equations too: without these, a lone hidden row total would be the
        # grand total minus the other row totals.
        (tuple((a, TOTAL) for a in rows), (TOTAL, TOTAL)),
        (tuple((TOTAL, b) for b in columns), (TOTAL, TOTAL)),
    ]


def _exact_keys(table: CountTable, lines: list[Line]) -> frozenset[Key]:
    """Keys published exactly whatever their size: the grand total under `exact_totals`, and cells
    equal to it by construction (a line with one interior cell says `cell = margin`; hiding one side
    of an identity whose other side is published would protect nothing)."""
    if not table.exact_totals:
        return frozenset()
    exact = {(TOTAL,) * len(table.dimensions)}
    grown = True
    while grown:
        grown = False
        for interior, margin in lines:
            if len(interior) == 1 and (interior[0] in exact) != (margin in exact):
                exact |= {interior[0], margin}
                grown = True
    return frozenset(exact)


def _suppress_secondary(
    exact: Mapping[Key, int], hidden: set[Key], lines: list[Line], fixed: frozenset[Key]
) -> None:
    """Grow `hidden` until no line has exactly one hidden member.

    Terminates: a pass that changes nothing ends the loop, and every other pass hides at least one
    more of finitely many cells.
    """
    changed = True
    while changed:
        changed = False
        for interior, margin in lines:
            if sum(key in hidden for key in (*interior, margin)) == 1:
                complements = _complements(exact, hidden, interior, margin, fixed)
                hidden |= complements
                changed = changed or bool(complements)


def _complements(
    exact: Mapping[Key, int], hidden: set[Key], interior: tuple[Key, ...], margin: Key, fixed: frozenset[Key]
) -> set[Key]:
    """The cells to hide next in a line whose only hidden member could otherwise be subtracted out.

    1. The smallest non-zero visible interior cell (first in level order on ties): it loses the least
       information, and unlike a zero it cannot be guessed by someone who knows a category is empty.
    2. Else the margin, when it may be hidden (not an exact total).
    3. Else (the margin is an exact total, or is itself the lone hidden member) every other visible cell
       of the line is 0. Hiding a single zero would only say "in one of these two categories" and
       nothing at all to whoever knows that category is empty, so all the zeros are hidden: the
       line then says only that its people are somewhere in it.
    The result is empty only for a line whose other members are all exact totals (by `_exact_keys`
    that cannot happen, since such a line is an identity and both sides are published).
    """
    visible = [key for key in interior if key not in hidden and key not in fixed]
    non_zero = [key for key in visible if exact[key] > 0]
    if non_zero:
        return {min(non_zero, key=exact.__getitem__)}
    if margin not in hidden and margin not in fixed:
        return {margin}
    return set(visible)


def protect_quantiles(
    samples: Sequence[GroupSample], min_group: int, threshold: int, quantiles: Mapping[str, float]
) -> list[PublishedQuantiles]:
    """Publish each group's size (if it passes the threshold) and, for groups of at least `min_group`
    values, its quantiles and mean.

    `quantiles` maps names to probabilities, e.g. `{"median": 0.5}`; a `"mean"` is always added.
    Quantiles use linear interpolation between order statistics (numpy's default "linear" method,
    the same as `statistics.quantiles(method="inclusive")` and R's type 7), and every statistic is
    rounded half-up to one decimal place. Group sizes are only threshold-suppressed here: a route
    that also publishes the groups' total must protect the sizes with `protect_counts`.
    """
    _check_threshold(threshold)
    if min_group < threshold:
        raise ValueError(f"minimum group size {min_group} is below the suppression threshold {threshold}")
    if "mean" in quantiles or not all(0 <= p <= 1 for p in quantiles.values()):
        raise ValueError(f"quantiles must be probabilities in [0, 1] not named 'mean', got {dict(quantiles)}")
    return [_protect_sample(sample, min_group, threshold, quantiles) for sample in samples]


def _protect_sample(
    sample: GroupSample, min_group: int, threshold: int, quantiles: Mapping[str, float]
) -> PublishedQuantiles:
    n = len(sample.values)
    shown_n = None if 1 <= n < threshold else n
    if n < min_group:
        withheld: dict[str, float | None] = dict.fromkeys([*quantiles, "mean"])
        return PublishedQuantiles(sample.key, shown_n, withheld, f"group smaller than {min_group}")
    values = np.asarray(sample.values, dtype=float)
    points = np.quantile(values, list(quantiles.values()), method="linear")
    statistics: dict[str, float | None] = {
        name: _round(float(point)) for name, point in zip(quantiles, points, strict=True)
    }
    statistics["mean"] = _round(float(values.mean()))
    return PublishedQuantiles(sample.key, shown_n, statistics)


def _round(value: float) -> float:
    """One decimal place, half-up as in spreadsheets (plain `round` gives round(2.25, 1) == 2.2)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
