"""The least and greatest value of every suppressed count of a family, by linear programming.

Counts are non-negative integers; the programs relax them to non-negative reals, which can only widen an
interval, so the bounds are rounded inwards to integers (a count is an integer). For one table with its
margins the relaxation is exact (its equations form a network, whose programs have integer optima);
across tables it may be wider than the integer interval.

The solver is HiGHS (`highspy`, the solver behind scipy's `linprog(method="highs")`), used directly for
one reason, measured on the bundled release: a family's programs differ only in their objective, and
re-solving from the previous optimal basis (primal simplex, no presolve) takes ~9 ms where a fresh
`linprog` call takes ~175 ms on the larger families.

Not every target needs its own two programs: every solution is a feasible table, and so is the truth.
A target already seen to take values `required` apart across those solutions is wide enough (its
interval holds both), so programs are solved only for the targets not yet shown to be wide enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import highspy
import numpy as np

from api.audit.families import System

_SLACK = 1e-6


@dataclass
class Bounds:
    """What is known of each target of one system: values seen in feasible tables, and the exact least
    and greatest value once solved for (None until then; `math.inf` when unbounded)."""

    seen_low: np.ndarray
    seen_high: np.ndarray
    low: list[float | None] = field(default_factory=list)
    high: list[float | None] = field(default_factory=list)
    programs: int = 0

    def known(self, target: int) -> tuple[float, float]:
        """An interval the target's interval certainly includes."""
        low, high = self.low[target], self.high[target]
        return (
            float(self.seen_low[target] if low is None else low),
            float(self.seen_high[target] if high is None else high),
        )


class Solver:
    """Solves one system's programs, keeping every solution's values of every target."""

    def __init__(self, system: System) -> None:
        self.system = system
        start = system.targets @ system.truth
        count = len(system.target_cells)
        self.bounds = Bounds(start.copy(), start.copy(), [None] * count, [None] * count)
        self._highs: highspy.Highs | None = None

    def certify(self, required: np.ndarray) -> None:
        """Solve, target by target, until each is seen to be `required` wide or is solved exactly.

        Two programs first push all targets up together and then down together: their solutions
        alone show most targets wide enough."""
        all_targets = np.asarray(self.system.targets.sum(axis=0)).ravel()
        for sign in (-1.0, 1.0):
            self._run(sign * all_targets)
        for target in range(len(self.system.target_cells)):
            for maximize in (True, False):
                low, high = self.bounds.known(target)
                if high - low < required[target] - _SLACK:
                    self.solve(target, maximize=maximize)

    def push_down(self, first: int) -> None:
        """One program that makes the targets from `first` on as small as it can together: a target it
        brings to 0 needs no program of its own to show that 0 is its least value."""
        if first < len(self.system.target_cells):
            self._run(np.asarray(self.system.targets[first:].sum(axis=0)).ravel())

    def solve_exactly(self, target: int) -> tuple[float, float]:
        self.solve(target, maximize=True)
        self.solve(target, maximize=False)
        low, high = self.bounds.low[target], self.bounds.high[target]
        assert low is not None and high is not None
        return low, high

    def solve(self, target: int, *, maximize: bool) -> None:
        """The exact greatest (or least) value of one target."""
        bounds = self.bounds
        if (bounds.high if maximize else bounds.low)[target] is not None:
            return
        if not maximize and bounds.seen_low[target] <= 0:
            bounds.low[target] = 0.0  # counts are never negative, and 0 was reached
            return
        objective = self.system.targets[target].toarray().ravel()
        optimum = self._run(-objective if maximize else objective)
        if optimum is None:  # unbounded: only a maximum can be
            bounds.high[target] = bounds.seen_high[target] = math.inf
        elif maximize:
            bounds.high[target] = math.floor(-optimum + _SLACK)
        else:
            bounds.low[target] = math.ceil(optimum - _SLACK)

    def binding(self, target: int) -> np.ndarray:
        """The equations (visible counts) that pin one target: those with a non-zero dual value at its
        least or its greatest value. Hiding one of them is what can widen the target's interval."""
        objective = self.system.targets[target].toarray().ravel()
        pinning = np.zeros(len(self.system.values), dtype=bool)
        for sign in (1.0, -1.0):
            if self._run(sign * objective) is not None:
                duals = np.asarray(self._model().getSolution().row_dual)
                pinning |= np.abs(duals) > _SLACK
        return np.flatnonzero(pinning)

    def _run(self, objective: np.ndarray) -> float | None:
        """Minimize `objective`; keep the targets' values in the solution. None when unbounded."""
        highs = self._model()
        columns = len(objective)
        highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), objective)
        highs.run()
        self.bounds.programs += 1
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"{self.system.family}: HiGHS ended with {highs.modelStatusToString(status)}")
        values = self.system.targets @ np.asarray(highs.getSolution().col_value)
        np.minimum(self.bounds.seen_low, values, out=self.bounds.seen_low)
        np.maximum(self.bounds.seen_high, values, out=self.bounds.seen_high)
        return float(highs.getInfo().objective_function_value)

    def _model(self) -> highspy.Highs:
        """The family's equations, passed to HiGHS once; each program only changes the objective."""
        if self._highs is None:
            matrix = self.system.equations.tocsc()
            rows, columns = matrix.shape
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = columns, rows
            lp.col_cost_ = np.zeros(columns)
            lp.col_lower_ = np.zeros(columns)
            lp.col_upper_ = np.full(columns, highspy.kHighsInf)
            lp.row_lower_ = lp.row_upper_ = self.system.values
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_ = matrix.indptr
            lp.a_matrix_.index_ = matrix.indices
            lp.a_matrix_.value_ = matrix.data
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
            for option, value in (("output_flag", False), ("presolve", "off"), ("simplex_strategy", 4)):
                highs.setOptionValue(option, value)
            highs.passModel(lp)
            self._highs = highs
        return self._highs

    def close(self) -> None:
        self._highs = None
