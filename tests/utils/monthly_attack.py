"""An attacker's linear program over every month at once: the flows and the series in custody of
everyone and of each group of one dimension (gender), tied to the all-time totals the breakdowns show.

The anonymity audit (`api.audit`) reasons month by month. Across months the published counts obey more
equations, all of them public:

- a month's releases of every kind add up to its `released_total`;
- the groups (the genders) add up to everyone, cell by cell;
- in custody at the end of a month = at the end of the month before + recognized − released;
- a flow's months add up to the all-time count a breakdown shows (everyone recognized, the women
  released by pardon), and the last month in custody to the count in custody.

For each suppressed count this finds the least and greatest value those equations and non-negative
counts allow (`scipy.optimize.linprog`, HiGHS), reading only published answers. A count is narrow
when its interval is narrower than min(p, the smallest visible count containing it): the audit's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import lil_matrix  # type: ignore[import-untyped]

EVERYONE = "everyone"
UNBOUNDED = 3
"""`linprog`'s status when the objective has no least value."""
Count = tuple[str, ...]
"""A count's name: ("recognized", group, month), ("released", group, kind, month),
("released_total", group, month), ("in_custody", group, month) or an all-time total such as
("all", group, "recognized") and ("all", group, "released", kind)."""


@dataclass
class MonthlyCounts:
    """What a release publishes about the months: every count, its value or None when suppressed."""

    groups: tuple[str, ...]
    """The levels of the dimension whose flows are published (everyone's are too)."""
    months: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    values: dict[Count, int | None] = field(default_factory=dict)

    def put(self, name: Count, value: int | None) -> None:
        """Record a published count; the same count published twice must agree where both show it."""
        known = self.values.get(name)
        if known is not None and value is not None:
            assert known == value, f"{name} published as {known} and as {value}"
        if known is None:
            self.values[name] = value

    def equations(self) -> Iterable[tuple[dict[Count, int], int]]:
        """Every public equation as (coefficients, constant): Σ coefficient × count = constant."""
        for group in (EVERYONE, *self.groups):
            held: Count | None = None
            for month in self.months:
                total: Count = ("released_total", group, month)
                kinds: dict[Count, int] = {("released", group, kind, month): -1 for kind in self.kinds}
                yield {total: 1, **kinds}, 0
                custody = ("in_custody", group, month)
                balance = {custody: 1, ("recognized", group, month): -1, total: 1}
                if held is not None:
                    balance[held] = -1
                yield balance, 0
                held = custody
            yield {("all", group, "recognized"): 1, **{("recognized", group, m): -1 for m in self.months}}, 0
            for kind in self.kinds:
                months: dict[Count, int] = {("released", group, kind, m): -1 for m in self.months}
                yield {("all", group, "released", kind): 1, **months}, 0
            yield (
                {("all", group, "released"): 1, **{("released_total", group, m): -1 for m in self.months}},
                0,
            )
            if held is not None:
                yield {("all", group, "in_custody"): 1, held: -1}, 0
        for name in [name for name in self.values if name[1] == EVERYONE]:
            parts = {(name[0], group, *name[2:]): -1 for group in self.groups}
            yield {name: 1, **parts}, 0

    def containers(self, name: Count) -> list[Count]:
        """The counts that hold every person `name` counts (for the smaller-total exception)."""
        kind, group, *rest = name
        found: list[Count] = [] if group == EVERYONE else [(kind, EVERYONE, *rest)]
        if kind == "released":
            found += [("released_total", group, rest[1]), ("all", group, "released", rest[0])]
        elif kind == "recognized":
            found.append(("all", group, "recognized"))
        elif kind == "released_total":
            found.append(("all", group, "released"))
        return found


@dataclass(frozen=True)
class Narrow:
    name: Count
    low: float
    high: float
    required: float


def narrow_counts(counts: MonthlyCounts, p: int) -> list[Narrow]:
    """Every suppressed count the public equations pin within less than its required width."""
    equations = list(counts.equations())
    published = set(counts.values)
    for coefficients, _ in equations:
        for name in coefficients:
            counts.values.setdefault(name, None)  # a count no answer shows is unknown, like a hidden one
    unknown = sorted(name for name, value in counts.values.items() if value is None)
    column = {name: i for i, name in enumerate(unknown)}
    matrix = lil_matrix((len(equations), len(unknown)))
    constants = np.zeros(len(equations))
    for row, (coefficients, constant) in enumerate(equations):
        rest = constant
        for name, coefficient in coefficients.items():
            value = counts.values[name]
            if value is None:
                matrix[row, column[name]] += coefficient
            else:
                rest -= coefficient * value
        constants[row] = rest
    equality = matrix.tocsr()
    found = []
    for name in unknown:
        if name not in published:
            continue  # published nowhere: nothing to protect
        objective = np.zeros(len(unknown))
        objective[column[name]] = 1.0
        low, high = (_solve(sign * objective, equality, constants) for sign in (1.0, -1.0))
        shown = [counts.values.get(c) for c in counts.containers(name)]
        required = min([float(p), *(float(v) for v in shown if v is not None)])
        if -high - low < required - 1e-6:
            found.append(Narrow(name, low, -high, required))
    return found


def _solve(objective: np.ndarray, equality: Any, constants: np.ndarray) -> float:
    """The least value of `objective` (−inf when nothing bounds it)."""
    result = linprog(objective, A_eq=equality, b_eq=constants, bounds=(0, None), method="highs")
    if result.status == UNBOUNDED:
        return -np.inf
    assert result.status == 0, result.message
    return float(result.fun)


Answer = Callable[[str, dict[str, str], tuple[str, ...]], list[dict[str, Any]]]
"""(statistic, filters, split) → the rows of that published answer, totals included."""


def published_monthly_counts(answer: Answer, dimension: str, groups: tuple[str, ...]) -> MonthlyCounts:
    """The counts of the model as a release publishes them: the flows and the series in custody of
    everyone and of each of `groups` (levels of `dimension`), and the breakdowns' all-time counts."""
    counts = MonthlyCounts(groups)
    for group in (EVERYONE, *groups):
        filters = {} if group == EVERYONE else {dimension: group}
        for row in answer("flows", filters, ()):
            month = str(row["month"])
            if month not in counts.months:
                counts.months.append(month)
            counts.put(("recognized", group, month), row["recognized"])
            for column, value in row.items():
                kind = column.removeprefix("released_")
                if kind == column or kind.endswith("_suppressed"):
                    continue
                if kind == "total":
                    counts.put(("released_total", group, month), value)
                    continue
                if kind not in counts.kinds:
                    counts.kinds.append(kind)
                counts.put(("released", group, kind, month), value)
        for row in answer("in-custody", filters, ()):
            counts.put(("in_custody", group, str(row["month"])), row["count"])
    for row in answer("breakdown", {}, (dimension, "release_kind")):
        group = EVERYONE if row[dimension] == "total" else str(row[dimension])
        kind = str(row["release_kind"])
        if kind == "total":
            counts.put(("all", group, "recognized"), row["count"])
        elif kind == "not_released":
            counts.put(("all", group, "in_custody"), row["count"])
        else:
            counts.put(("all", group, "released", kind), row["count"])
    for row in answer("breakdown", {}, (dimension, "status")):
        group = EVERYONE if row[dimension] == "total" else str(row[dimension])
        status = str(row["status"])
        counts.put(("all", group, "recognized" if status == "total" else status), row["count"])
    return counts
