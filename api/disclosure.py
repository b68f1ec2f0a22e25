"""The disclosure-control policy as code: the only path from exact counts to publishable numbers.

Policy (docs: docs/PRIVACY.md, "The policy"; k is `Settings.suppression_threshold`):

* Threshold: a count n with 1 <= n < k is suppressed; 0 is published as 0. When a table has
  `exact_totals`, its grand total is published exactly (the sources publish it anyway), and so is any
  cell that *is* the grand total by construction (a dimension with a single level).
* Secondary suppression: every line of a grid is an equation `sum(interior) = margin` (rows with their
  row totals, columns with their column totals, the row totals and the column totals with the grand
  total, a 1-D grid with its total). No line may have exactly one suppressed member, or that member
  could be recovered by subtraction. See `_complements` for which cell is hidden next.
* Derived statistics: quantiles come from a group's published histogram (never from its values) and
  only for groups of at least `min_group` whose size is visible, where the visible counts determine
  them; means are not published (see `protect_quantiles`).

Cell order of a `PublishedTable`: periods in order, and within each period's grid
  0 dimensions: the single cell `()` (not flagged as a margin: there is nothing it sums);
  1 dimension:  each level in order, then `(TOTAL,)`;
  2 dimensions: row by row, each row's cells in column order followed by its row total `(a, TOTAL)`,
                then the column totals `(TOTAL, b)` in column order, then the grand total `(TOTAL, TOTAL)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from api.intervals import Arc, grid_arcs, line_arcs, widths
from api.lru import BoundedLRU
from api.settings import MIN_THRESHOLD as MIN_THRESHOLD  # the floor lives with the setting it bounds
from api.table import (
    TOTAL,
    CountTable,
    GroupHistogram,
    Key,
    PublishedEntry,
    PublishedQuantiles,
    PublishedTable,
)

Line = tuple[tuple[Key, ...], Key]
"""One equation of a grid: its interior members (in level order) sum to its margin."""


def protect_counts(table: CountTable, threshold: int) -> PublishedTable:
    """Apply threshold and secondary suppression to every grid of `table`, margins included.

    Every hidden count keeps an interval at least p = threshold wide given the grid's equations, or the
    whole of the smallest visible count containing it (the audit checks releases against any p ≤ k).
    """
    _check_threshold(threshold)
    _check_table(table)
    p = threshold
    order = sorted(range(len(table.dimensions)), key=lambda i: table.dimensions[i])
    canonical = _reordered(table, order)
    periods: tuple[str | None, ...] = table.periods if table.periods is not None else (None,)
    grids = [_exact_grid(canonical, period) for period in periods]
    hidden = _hidden_cached(canonical, threshold, p, grids)
    cells: list[PublishedEntry] = []
    for period, grid, secret in zip(periods, grids, hidden, strict=True):
        for key in _exact_grid(table, period):
            value = grid[_permute(key, order)]
            suppressed = _permute(key, order) in secret
            cells.append(PublishedEntry(key, None if suppressed else value, suppressed, period, TOTAL in key))
    return PublishedTable(table.name, table.dimensions, tuple(cells), threshold, table.periods)


_cache: BoundedLRU[tuple[object, ...], list[frozenset[Key]]] = BoundedLRU(512)


def _hidden_cached(
    table: CountTable, threshold: int, p: int, grids: list[dict[Key, int]]
) -> list[frozenset[Key]]:
    """The hidden keys of every grid, remembered: every filter value of a query protects the same
    whole table (see `api.records.cube`), and a protected series costs tens of milliseconds."""
    fingerprint = (
        table.dimensions,
        tuple(table.levels[d] for d in table.dimensions),
        frozenset(table.counts.items()),
        table.periods,
        table.exact_totals,
        None if table.movement is None else frozenset(table.movement.items()),
        None if table.decided_by_tables is None else frozenset(table.decided_by_tables.items()),
        None if table.decided_by_list is None else frozenset(table.decided_by_list.items()),
        threshold,
        p,
    )
    hidden = _cache.get(fingerprint)
    if hidden is None:
        hidden = [frozenset(h) for h in _Protection(table, threshold, p).hidden(grids)]
        _cache.put(fingerprint, hidden)
    return hidden


def _permute(key: Key, order: list[int]) -> Key:
    return tuple(key[i] for i in order)


def _reordered(table: CountTable, order: list[int]) -> CountTable:
    """The same table with its dimensions in `order`: a table and its transpose are protected alike."""
    offset = 0 if table.periods is None else 1

    def permuted(key: Key) -> Key:
        return (*key[:offset], *(key[offset + i] for i in order))

    movement, by_tables, by_list = table.movement, table.decided_by_tables, table.decided_by_list
    return replace(
        table,
        dimensions=tuple(table.dimensions[i] for i in order),
        counts={permuted(key): n for key, n in table.counts.items()},
        movement=None if movement is None else {permuted(key): n for key, n in movement.items()},
        decided_by_tables=None if by_tables is None else {permuted(key): h for key, h in by_tables.items()},
        decided_by_list=None if by_list is None else {permuted(key): h for key, h in by_list.items()},
    )


class _Protection:
    """The suppression of every grid of one (canonically ordered) table, in stages that make each
    table agree with the tables of fewer dimensions it contains:

    1. the grand total, as the 0-D table of the same people would show it;
    2. in a 2-D table, its row totals and its column totals, each as the 1-D table of that dimension
       would show them (they are the same counts, so they must be hidden alike);
    3. the interior cells, with every margin decided.

    Each stage hides the counts below the threshold, then applies the line rule (`_suppress_secondary`),
    then checks the interval every hidden count keeps given the equations of the grid (`api.intervals`)
    and hides more until each is at least p wide (`_widen`). In a series (`CountTable.movement`), a
    count hidden in one month is hidden in the neighbouring month too when the published flows bound
    its change between them to less than p: the visible neighbour would otherwise pin it.
    """

    def __init__(self, table: CountTable, threshold: int, p: int) -> None:
        self.table = table
        self.threshold = threshold
        self.p = p
        self.movement = table.movement
        self.periods = table.periods or ()
        self.levels = [table.levels[dimension] for dimension in table.dimensions]
        self.lines = _lines(table)
        self.decided_exact = _exact_keys(table, self.lines)
        # The release's suppression list decides its keys as other tables do; another table's decision
        # and the exact totals take precedence (they publish the same people, or are headlines).
        offset = 1 if table.periods is not None else 0
        self.decided_by_list = {
            key: h
            for key, h in (table.decided_by_list or {}).items()
            if key[offset:] not in self.decided_exact
        }
        self.decided_by_tables = table.decided_by_tables or {}

    def hidden(self, grids: list[dict[Key, int]]) -> list[set[Key]]:
        n = len(self.levels)
        total = (TOTAL,) * n
        hidden = self._series(grids, {total}, [set() for _ in grids], [], {})
        if n == 2:
            for margins in ([(a, TOTAL) for a in self.levels[0]], [(TOTAL, b) for b in self.levels[1]]):
                # The margins alone, as the 1-D table of their dimension: a line and its own network.
                arcs = line_arcs(margins, total)
                hidden = self._series(grids, set(margins), hidden, [(tuple(margins), total)], arcs)
        if n >= 1:
            interior = set(product(*self.levels))
            hidden = self._series(grids, interior, hidden, self.lines, grid_arcs(self.levels))
        return hidden

    def _decided(self, index: int, exact: dict[Key, int]) -> dict[Key, bool]:
        """What other tables and the list decided in one grid, the tables' decisions over the list's (a
        series keys both by period first). The list's "show" never shows a count from 1 to k-1 (a list
        made for a smaller k)."""
        by_tables, by_list = self.decided_by_tables, self.decided_by_list
        if self.periods:
            period = self.periods[index]
            by_tables = {key[1:]: hide for key, hide in by_tables.items() if key[0] == period}
            by_list = {key[1:]: hide for key, hide in by_list.items() if key[0] == period}
        by_list = {key: hide for key, hide in by_list.items() if hide or not 1 <= exact[key] < self.threshold}
        return by_list | by_tables

    def _series(
        self,
        grids: list[dict[Key, int]],
        keys: set[Key],
        hidden_before: list[set[Key]],
        lines: list[Line],
        arcs: dict[Key, Arc],
    ) -> list[set[Key]]:
        """Decide `keys` in every period, the keys of earlier stages being decided."""
        stages = [
            _Stage(self, grid, keys, hidden_before[i], lines, arcs, self._decided(i, grid))
            for i, grid in enumerate(grids)
        ]
        movement = self.movement
        while movement is not None:
            changed = False
            for i, stage in enumerate(stages):
                for j in (i - 1, i + 1):
                    if 0 <= j < len(stages):
                        later = self.periods[max(i, j)]
                        spread = {
                            key
                            for key in stages[j].hidden & keys
                            if key not in stage.hidden
                            and key not in stage.decided_shown
                            and movement[(later, *key)] < self.p
                        }
                        if spread:
                            stage.hide(spread)
                            changed = True
            if not changed:
                break
        return [stage.hidden for stage in stages]


class _Stage:
    """One stage of one grid: decides its free keys, and can be told to hide more (a neighbouring
    month's spread) without starting again — hiding only ever widens intervals."""

    def __init__(
        self,
        protection: _Protection,
        exact: dict[Key, int],
        free: set[Key],
        hidden_before: set[Key],
        lines: list[Line],
        arcs: dict[Key, Arc],
        decided: dict[Key, bool],
    ) -> None:
        self.p = protection.p
        self.exact = exact
        self.lines = lines
        threshold, decided_exact = protection.threshold, protection.decided_exact
        self.hidden = set(hidden_before) | {
            key for key in free if 1 <= exact[key] < threshold and key not in decided_exact
        }
        self.hidden |= {key for key in free if decided.get(key)}
        # Keys decided by construction, by an earlier stage or elsewhere stay shown: never a complement.
        self.decided_shown = (
            decided_exact
            | ((set(exact) - free) - self.hidden)
            | {key for key, hide in decided.items() if not hide}
        )
        self.hidden -= {key for key, hide in decided.items() if not hide and key not in hidden_before}
        self.arcs = arcs
        self.known: dict[Key, int] = {}
        self.hide(set())

    def hide(self, keys: set[Key]) -> None:
        """Hide `keys` too, then apply the line rule and widen narrow intervals until nothing changes."""
        self.hidden |= keys
        if not self.lines:
            return
        while True:
            _suppress_secondary(self.exact, self.hidden, self.lines, self.decided_shown)
            # Widen every narrow count found in one pass, then check again.
            extra = {self._widen(key) for key in list(self._narrow())} - {None}
            if not extra:
                return
            self.hidden.update(key for key in extra if key is not None)

    def _narrow(self) -> Iterator[Key]:
        """Hidden keys whose interval is narrower than required (in key order, found lazily).

        Hiding more only widens intervals, so a width once computed stays a lower bound (`known`)."""
        required = {key: self._required(key) for key in sorted(self.hidden) if key in self.arcs}
        unsure = [key for key, need in required.items() if self.known.get(key, -1) < need]
        for key, width in widths(self.arcs, self.exact, self.hidden, self.p, unsure):
            self.known[key] = width
            if width < required[key]:
                yield key

    def _required(self, key: Key) -> int:
        """p, or less inside a smaller visible count: nothing can hide a cell better than its total."""
        containers = (other for other in product(*((k, TOTAL) for k in key)) if other != key)
        return min([self.p, *(self.exact[other] for other in containers if other not in self.hidden)])

    def _widen(self, key: Key) -> Key | None:
        """A visible count to hide next to widen `key`'s interval: the smallest non-zero (else a zero)
        in a line through `key`, else in a line through a hidden count of those lines."""
        reach = {key}
        for _ in range(2):
            near = [
                m
                for interior, margin in self.lines
                if reach & {*interior, margin}
                for m in (*interior, margin)
            ]
            candidates = [
                m for m in dict.fromkeys(near) if m not in self.hidden and m not in self.decided_shown
            ]
            if candidates:
                return min(candidates, key=lambda m: (self.exact[m] == 0, self.exact[m], m))
            reach |= {m for m in near if m in self.hidden}
        return None


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
    exact: Mapping[Key, int], hidden: set[Key], lines: list[Line], decided_shown: frozenset[Key] | set[Key]
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
                complements = _complements(exact, hidden, interior, margin, decided_shown)
                hidden |= complements
                changed = changed or bool(complements)


def _complements(
    exact: Mapping[Key, int],
    hidden: set[Key],
    interior: tuple[Key, ...],
    margin: Key,
    decided_shown: frozenset[Key] | set[Key],
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
    visible = [key for key in interior if key not in hidden and key not in decided_shown]
    non_zero = [key for key in visible if exact[key] > 0]
    if non_zero:
        return {min(non_zero, key=exact.__getitem__)}
    if margin not in hidden and margin not in decided_shown:
        return {margin}
    return set(visible)


Edges = Sequence[tuple[float, float | None]]
"""Each bin of a histogram as the interval [low, high) of the values it holds (whole months m in a bin
1-11 fill [1, 12)); the last bin may be open (high None)."""

MEAN_WITHHELD = "not published: an exact mean together with the bins can pin individual values"
SIZE_WITHHELD = "withheld because the group size is suppressed"
BIN_WITHHELD = "withheld because it depends on a suppressed bin of the group's histogram"
OPEN_BIN_WITHHELD = "withheld because it falls in the open top bin (no upper edge to interpolate to)"


def protect_quantiles(
    histograms: Sequence[GroupHistogram], edges: Edges, min_group: int, quantiles: Mapping[str, float]
) -> list[PublishedQuantiles]:
    """Quantiles of each group derived from its *published* histogram, never from its values.

    A quantile q is the point where the cumulative count reaches q·n, interpolated linearly inside the
    bin holding it (grouped-data interpolation): low + (q·n − count below) / count · (high − low),
    rounded half-up to one decimal. It is published only when the group's size n is visible, n is at
    least `min_group`, and the published counts determine the bin holding it and the count below that
    bin (see `_grouped_quantile`) — it is then a function of published counts and tells nothing beyond
    them; a quantile in the open top bin is withheld. The mean is
    never published (`MEAN_WITHHELD`); the key `"mean"` is kept so that every answer has one shape.

    Order statistics (the linear rule over sorted values used before issue 15) are not: with n, the
    visible bins and the rounding, an integer program recovers individual values of small groups
    (tests/privacy/test_quantile_attack.py; docs/PRIVACY.md, "Quantiles and means").
    """
    if min_group < MIN_THRESHOLD:
        raise ValueError(f"minimum group size {min_group} is below the minimum threshold {MIN_THRESHOLD}")
    if "mean" in quantiles or not all(0 <= p <= 1 for p in quantiles.values()):
        raise ValueError(f"quantiles must be probabilities in [0, 1] not named 'mean', got {dict(quantiles)}")
    return [_protect_histogram(histogram, edges, min_group, quantiles) for histogram in histograms]


def _protect_histogram(
    histogram: GroupHistogram, edges: Edges, min_group: int, quantiles: Mapping[str, float]
) -> PublishedQuantiles:
    if len(histogram.counts) != len(edges):
        raise ValueError(f"group {histogram.key!r}: {len(histogram.counts)} counts for {len(edges)} bins")
    n = histogram.n
    statistics: dict[str, float | None] = dict.fromkeys([*quantiles, "mean"])
    reasons = {"mean": MEAN_WITHHELD}
    if n is None or n < min_group:
        withheld = SIZE_WITHHELD if n is None else f"group smaller than {min_group}"
        return PublishedQuantiles(
            histogram.key, n, statistics, {name: withheld for name in quantiles} | reasons
        )
    visible = sum(count or 0 for count in histogram.counts)
    if visible > n or (visible != n and None not in histogram.counts):
        raise ValueError(f"group {histogram.key!r}: bins {histogram.counts} do not sum to its size {n}")
    for name, q in quantiles.items():
        point, reason = _grouped_quantile(histogram.counts, n, edges, q * n)
        if point is None:
            reasons[name] = reason
        else:
            statistics[name] = _round(point)
    return PublishedQuantiles(histogram.key, n, statistics, reasons)


def _grouped_quantile(
    counts: Sequence[int | None], n: int, edges: Edges, target: float
) -> tuple[float | None, str]:
    """The point where the cumulative count reaches `target`, inside the first bin that reaches it —
    when the published counts alone determine it (else None and why).

    The count below a bin is known when every bin below it is visible, or (n being visible) when every
    bin from it upwards is: so the quantile is found walking up from the lowest bin, then down from the
    highest, each walk stopping at its first hidden bin. Whether it is found depends only on published
    counts too, so a withheld quantile tells nothing either."""
    bins = list(zip(counts, edges, strict=True))
    below = 0
    for count, (low, high) in bins:
        if count is None:
            break
        if count and below + count >= target:
            return _interpolate(low, high, (target - below) / count)
        below += count
    above = 0
    for count, (low, high) in reversed(bins):
        if count is None:
            break
        below = n - above - count
        if count and below < target <= below + count:
            return _interpolate(low, high, (target - below) / count)
        above += count
    return None, BIN_WITHHELD


def _interpolate(low: float, high: float | None, share: float) -> tuple[float | None, str]:
    if high is None:
        return None, OPEN_BIN_WITHHELD
    return low + share * (high - low), ""


def _round(value: float) -> float:
    """One decimal place, half-up as in spreadsheets (plain `round` gives round(2.25, 1) == 2.2)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
