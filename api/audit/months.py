"""The audit over all months: what the monthly flows and series, taken together with the all-time
counts of the breakdowns, tell of a suppressed count.

The audit's families (`api.audit.families`) see one month and the one before. Across months the
published counts obey more equations, all of them public:

- a month's releases of every kind add up to its releases of any kind;
- the groups of a dimension (the genders) add up to everyone, count by count;
- in custody at the end of a month = at the end of the month before + recognized − released;
- a flow's months add up to a count of the whole release (everyone recognized, the women released by
  pardon), and the last month in custody to the people in custody.

So the visible months of a flow leave a known remainder to its hidden ones, and a total hidden in the
breakdowns is bounded by its visible months. Here the variables are the counts themselves (the hidden
ones, and those no table shows), one per set of people (`Cell`), and the least and greatest value of
every suppressed count solve linear programs over those equations with non-negative counts
(`api.audit.bounds.Solver`). A count is narrow under the audit's rule: its interval is narrower than
min(p, the smallest visible count that contains it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from scipy.optimize import linprog  # type: ignore[import-untyped]

from api.audit.bounds import Solver
from api.audit.families import AuditModelError, Family, System
from api.audit.model import Published
from api.audit.publication import Answer, published_counts
from api.cells import NOT_RELEASED, Cell
from api.records.held import HELD_BINS

People = dict[str, frozenset[str]]
"""The conditions of a group whose flows are published: none (everyone), or one dimension's level."""


@dataclass(frozen=True)
class MonthFinding:
    """A suppressed count that the published counts of every month pin within less than `required`."""

    cell: Cell
    low: float
    high: float
    required: float


@dataclass
class MonthEquations:
    """The public equations among the counts of the groups whose flows are published: each row is
    Σ coefficient × count = 0; `parents` says which counts a sum equation's total contains."""

    rows: list[dict[Cell, int]] = field(default_factory=list)
    parents: dict[Cell, set[Cell]] = field(default_factory=lambda: defaultdict(set))

    def add_sum(self, total: Cell, parts: Iterable[Cell]) -> None:
        parts = [part for part in parts if part != total]  # one kind: its releases are all releases
        if not parts:
            return
        self.rows.append({total: 1} | {part: -1 for part in parts})
        for part in parts:
            self.parents[part].add(total)

    def containers(self, cell: Cell) -> set[Cell]:
        """Every count whose people include all of `cell`'s, by the sum equations."""
        found: set[Cell] = set()
        todo = list(self.parents.get(cell, ()))
        while todo:
            parent = todo.pop()
            if parent not in found:
                found.add(parent)
                todo.extend(self.parents.get(parent, ()))
        return found

    @property
    def cells(self) -> set[Cell]:
        return {cell for row in self.rows for cell in row}


def as_in_equations(cell: Cell, kinds: tuple[str, ...]) -> Cell:
    """`cell` as the equations spell it: a month's releases of any kind name every kind, as a status
    of `released` does; a group's `n` of the time held before release (held in any bin) is its
    released people, which the release kind already says."""
    conditions = dict(cell.conditions)
    if cell.event is not None and cell.event[0] == "released" and "release_kind" not in conditions:
        conditions["release_kind"] = frozenset(kinds)
    if conditions.get("held_bin") == frozenset(HELD_BINS.labels) and "release_kind" in conditions:
        del conditions["held_bin"]
    return Cell.of(conditions, cell.event) if conditions != dict(cell.conditions) else cell


def month_equations(
    groups: Iterable[People],
    months: Iterable[str],
    kinds: tuple[str, ...],
    levels: Mapping[str, tuple[str, ...]],
) -> MonthEquations:
    """The equations of everyone's flows and series and of each of `groups` (levels of dimensions
    whose `levels` are given), over `months`."""
    groups, months = list(groups), list(months)
    equations = MonthEquations()
    for people in [{}, *groups]:
        _add_group(equations, people, months, kinds)
    everyone = [cell for cell in equations.cells if cell.attributes <= {"release_kind"}]
    for dimension in sorted({name for people in groups for name in people}):
        for total in sorted(everyone, key=Cell.dumps):
            conditions = dict(total.conditions)
            equations.add_sum(
                total,
                (Cell.of({**conditions, dimension: {level}}, total.event) for level in levels[dimension]),
            )
    return equations


def _add_group(equations: MonthEquations, people: People, months: list[str], kinds: tuple[str, ...]) -> None:
    """One group's equations: kinds add up, the series balances, months add up to all-time counts."""
    any_kind, custody = frozenset(kinds), frozenset({NOT_RELEASED})
    each_kind = [frozenset({kind}) for kind in kinds]

    def cell(released: frozenset[str] | None = None, event: tuple[str, str] | None = None) -> Cell:
        return Cell.of({**people, **({"release_kind": released} if released else {})}, event)

    held: Cell | None = None
    for month in months:
        released = cell(any_kind, ("released", month))
        equations.add_sum(released, (cell(kind, ("released", month)) for kind in each_kind))
        in_custody = cell(None, ("in_custody", month))
        balance = {in_custody: 1, cell(None, ("recognized", month)): -1, released: 1}
        equations.rows.append(balance | ({held: -1} if held is not None else {}))
        held = in_custody
    equations.add_sum(cell(), (cell(None, ("recognized", month)) for month in months))
    for kind in (any_kind, *each_kind):
        equations.add_sum(cell(kind), (cell(kind, ("released", month)) for month in months))
    equations.add_sum(cell(any_kind), (cell(kind) for kind in each_kind))
    equations.add_sum(cell(), (cell(any_kind), cell(custody)))
    if held is not None:
        equations.add_sum(cell(custody), (held,))


class MonthAudit:
    """The counts of one publication that the equations over all months relate, ready to solve."""

    def __init__(
        self, counts: Iterable[Published], kinds: tuple[str, ...], levels: Mapping[str, tuple[str, ...]]
    ):
        self.values: dict[Cell, int | None] = {}
        self.published: dict[Cell, Cell] = {}
        """Each count as the equations name it → as the tables (and the suppression list) name it."""
        groups: dict[Cell, People] = {}
        months: set[str] = set()
        for count in counts:
            cell = as_in_equations(count.cell, kinds)
            self.published.setdefault(cell, count.cell)
            if count.value is not None or cell not in self.values:
                self.values[cell] = count.value
            if cell.event is not None and cell.event[0] != "in_custody":  # a month of a flow
                months.add(cell.event[1])
                people = {name: allowed for name, allowed in cell.conditions if name != "release_kind"}
                if people:
                    groups[Cell.of(people)] = people
        self.equations = month_equations(groups.values(), sorted(months), kinds, levels)
        self._rows_of: dict[Cell, list[int]] = defaultdict(list)
        for index, row in enumerate(self.equations.rows):
            for cell in row:
                self._rows_of[cell].append(index)

    def narrow(self, p: int, hidden: Iterable[Cell] = ()) -> list[MonthFinding]:
        """The narrow counts, with the visible counts `hidden` (as the equations name them) hidden too."""
        if not self.equations.rows:
            return []
        values = self.values | dict.fromkeys(hidden, None)
        return _solve(self.equations, values, p)

    def nearest_months(self, cell: Cell, hidden: set[Cell], usable: Callable[[int], bool]) -> list[Cell]:
        """The visible months of the flows whose value is `usable`, nearest to `cell` through the
        equations, passing through unknown counts only (a visible count is a constant: it carries nothing
        further); of the nearest, those of its own flow (its other months, or a total's months) alone if
        there are any."""
        seen, layer = {cell}, [cell]
        while layer:
            own: list[Cell] = []
            near: list[Cell] = []
            following: list[Cell] = []
            for current in layer:
                for index in self._rows_of.get(current, ()):
                    for member in self.equations.rows[index]:
                        if member in seen:
                            continue
                        seen.add(member)
                        if self.values.get(member) is None or member in hidden:
                            following.append(member)
                        elif (
                            member.event is not None
                            and member.event[0] != "in_custody"
                            and usable(self.values[member] or 0)
                        ):
                            same_kind = cell.event is None or cell.event[0] == member.event[0]
                            (own if member.conditions == cell.conditions and same_kind else near).append(
                                member
                            )
            if own or near:
                return own or near
            layer = following
        return []


def narrow_over_months(
    answers: Iterable[Answer], kinds: tuple[str, ...], levels: Mapping[str, tuple[str, ...]], p: int
) -> list[MonthFinding]:
    """Every suppressed count of the flows, the series in custody and their all-time totals that the
    published counts of every month pin within less than min(p, its smallest visible container).
    A count shown by any answer is known (the held-before-release `n` may show a total the breakdowns
    hide)."""
    counts = (count for answer in answers for count in published_counts(answer, kinds))
    return MonthAudit(counts, kinds, levels).narrow(p)


def _solve(equations: MonthEquations, values: Mapping[Cell, int | None], p: int) -> list[MonthFinding]:
    unknown = sorted((c for c in equations.cells if values.get(c) is None), key=Cell.dumps)
    column = {cell: i for i, cell in enumerate(unknown)}
    matrix = sparse.lil_matrix((len(equations.rows), len(unknown)))
    constants = np.zeros(len(equations.rows))
    for row, coefficients in enumerate(equations.rows):
        for cell, coefficient in coefficients.items():
            value = values.get(cell)
            if value is None:
                matrix[row, column[cell]] += coefficient
            else:
                constants[row] -= coefficient * value
    targets = [cell for cell in unknown if cell in values]  # published, and hidden
    if not targets:
        return []
    equality = matrix.tocsr()
    start = linprog(np.zeros(len(unknown)), A_eq=equality, b_eq=constants, bounds=(0, None), method="highs")
    if start.status != 0:
        raise AuditModelError(f"the published counts of the months contradict each other: {start.message}")
    pick = sparse.csr_matrix(
        (np.ones(len(targets)), ([*range(len(targets))], [column[c] for c in targets])),
        shape=(len(targets), len(unknown)),
    )
    system = System(
        family=Family(("over all months",)),
        equations=equality,
        values=constants,
        equation_cells=(),
        zero_cells=(),
        zero_overlap=sparse.csr_matrix((0, len(constants))),
        target_cells=tuple(targets),
        targets=pick,
        truth=np.asarray(start.x),
        caps=np.zeros(len(targets)),
    )
    required = np.array([_required(cell, equations, values, p) for cell in targets])
    solver = Solver(system)
    solver.certify(required)
    found = []
    for index, cell in enumerate(targets):
        low, high = solver.bounds.known(index)
        if high - low < required[index] - 1e-6:
            found.append(MonthFinding(cell, low, high, float(required[index])))
    return found


def _required(cell: Cell, equations: MonthEquations, values: Mapping[Cell, int | None], p: int) -> float:
    shown = [values.get(container) for container in equations.containers(cell)]
    return float(min([p, *(value for value in shown if value is not None)]))
