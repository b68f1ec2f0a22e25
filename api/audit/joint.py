"""The joint audit of a new release with an earlier publication: what both together say about the people
who changed in between, and about the counts either hides.

An attacker holds every earlier publication, fixed forever. Subtracting the counts both show is the
simple attack (`api.publication.across` hides the small differences); this audit solves what every
count of both publications allows together, family by family (the within-release audit's families,
`api.audit.families`). In a family, each combination c of its attributes (for a month's family: and
the month's phase) has three unknowns:

- x_c, people in both releases who are in c in both;
- a_c, people in c in the new release only: recognized since, or moved into c (released, corrected);
- r_c, people in c in the earlier release only.

A count the earlier publication shows is the sum of x + r over its combinations; one the new release
shows, of x + a. The attacker is assumed to know how many people changed in the family (Σa and Σr):
the headlines tell most of it. Three kinds of target must stay wide:

- a count hidden in the new release (x + a) or in the earlier one (x + r), and not shown by the other:
  at least min(p, smallest visible container) wide, as within a release — or as wide as the earlier
  publication and the headlines alone allow, when that is narrower (nothing the new release hides can
  do better). Two releases protected each on its own hide different siblings of the same small
  count, and together pin it; hiding again what the earlier one hid (`publish`) avoids most of it;
- the changed people of any count either shows or hides (a and r over its combinations): when they
  are certainly between 1 and k−1, their interval must be min(p, Σa or Σr) wide. "Who changed" may
  not be pinned; the headlines (how many changed) are exempt.

A failing target names the visible counts of the new release that pin it (non-zero dual values), the
ones `publish` can hide; the earlier publication can't change.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sqlalchemy import Engine

from api.audit import families_of, with_static_twins
from api.audit.bounds import Solver
from api.audit.families import (
    AuditModelError,
    Family,
    System,
    _caps,
    _column_groups,
    _feasible,
    _grid,
    _membership,
)
from api.audit.model import People, Published, load_pair
from api.audit.publication import answers_of, published_counts
from api.cells import Cell
from api.publication.answers import StoredAnswer
from api.records.statistics import RecordStatistics
from api.settings import Settings

_SLACK = 1e-6


@dataclass(frozen=True)
class JointFinding:
    """A target the two publications together pin too narrowly."""

    cell: Cell
    target: str
    """`hidden now`, `hidden before`, `entered` (a) or `left` (r)."""
    low: float
    high: float
    required: float
    pinning: tuple[Cell, ...]
    """Visible counts of the new release that pin it, smallest first: what hiding can widen it."""
    alternative: tuple[Cell, ...] = ()
    """For changed people (`entered`, `left`): the visible counts of the new release that tell the
    truth from the nearest other story (one person of the count with one attribute otherwise);
    hiding them all widens the target in one step. Empty when no such story can be told."""

    def describe(self) -> str:
        return f"{self.target} {self.cell.describe()}: [{self.low:g}, {self.high:g}] < {self.required:g}"


@dataclass(frozen=True)
class JointReport:
    earlier: str
    release: str
    families: int
    targets: int
    programs: int
    failures: tuple[JointFinding, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        lines = [
            f"jointly with {self.earlier}: families solved: {self.families}, targets: {self.targets}, "
            f"linear programs: {self.programs}",
            f"failures: {len(self.failures)}",
            *(f"  {f.describe()}" for f in self.failures[:20]),
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class Counts:
    """Every count one release publishes (`published_counts` of its answers): computed once per
    publish for an earlier publication, once per round for the new release (a third of a publish
    went into computing them again for every pair)."""

    release: str
    counts: tuple[Published, ...]


Solved = tuple[int, list["JointFinding"], int] | None
"""A family's joint system solved: its number of targets, its findings and programs (None: no target)."""
SolvedBefore = dict[tuple[str, Family], tuple[list[Published], Solved]]
"""Per earlier release and family: the new release's counts the family covered, and its outcome."""


def audit_pair(
    engine: Engine,
    settings: Settings,
    earlier: Counts,
    release: Counts,
    is_headline: Callable[[Cell], bool],
    solved_before: SolvedBefore | None = None,
) -> JointReport:
    """Audit the counts of a release (`release`, computed in the workspace `engine`) jointly with an
    earlier release's published counts (`earlier`). Both releases' records are in the workspace.

    `solved_before` keeps each family's outcome with the new release's counts it covers, for the
    rounds of one `publish` (same records, same rules, the same earlier publication): a round hides a
    few sets of people, and the families whose counts did not change are not solved again. Their
    outcome, programs included, is what solving them again would give, so the report is the same."""
    started = time.perf_counter()
    service = RecordStatistics(engine, settings)
    old, new = service.release(earlier.release), service.release(release.release)
    old_people, new_people = load_pair(engine, old, new, service.vocab)
    old_counts = with_static_twins(list(earlier.counts), old_people)
    new_counts = with_static_twins(list(release.counts), new_people)
    old_families = dict(families_of(old_counts, old_people))
    new_families = dict(families_of(new_counts, new_people))
    pairs = _pairs(old_people, new_people)
    k, p = settings.suppression_threshold, settings.effective_protection_interval
    failures: dict[tuple[Cell, str], JointFinding] = {}
    solved = targets = programs = 0
    for family in sorted(new_families.keys() & old_families.keys(), key=_order):
        if family.month is not None and family.month >= len(old_people.months):
            continue
        covered = (old_families[family], new_families[family])
        before = solved_before.get((earlier.release, family)) if solved_before is not None else None
        if before is not None and before[0] == covered[1]:
            outcome = before[1]
        else:
            outcome = _solve(
                _Joint.build(family, (old_people, new_people), pairs, covered, is_headline, p), k, p
            )
            if solved_before is not None:
                solved_before[(earlier.release, family)] = covered[1], outcome
        if outcome is None:
            continue
        solved += 1
        targets += outcome[0]
        for finding in outcome[1]:
            failures.setdefault((finding.cell, finding.target), finding)
        programs += outcome[2]
    return JointReport(
        old.id,
        new.id,
        solved,
        targets,
        programs,
        tuple(sorted(failures.values(), key=lambda f: (f.target, f.cell.dumps()))),
        time.perf_counter() - started,
    )


def _solve(joint: _Joint | None, k: int, p: int) -> Solved:
    if joint is None:
        return None
    found = joint.failures(k, p)
    return len(joint.targets), found, joint.programs


def counts_of(
    stored: Sequence[StoredAnswer],
    release_id: str,
    levels: dict[str, tuple[str, ...]],
    kinds: tuple[str, ...],
) -> Counts:
    """A publication's counts, from its answers with their queries again (read from their keys)."""
    counts = [
        count
        for answer in answers_of(stored, release_id, levels)
        for count in published_counts(answer, kinds)
    ]
    return Counts(release_id, tuple(counts))


def _order(family: Family) -> tuple[int, tuple[str, ...]]:
    return (-1 if family.month is None else family.month, family.attributes)


def _pairs(old: People, new: People) -> np.ndarray:
    """For each person of the earlier release, their index in the new one (−1: not in it)."""
    index = {case_id: i for i, case_id in enumerate(new.ids)}
    return np.array([index.get(case_id, -1) for case_id in old.ids], dtype=np.int64)


@dataclass
class _Target:
    cell: Cell
    target: str
    required: float
    """For hidden counts: the width required; for changed people: min(p, how many changed)."""


@dataclass
class _Joint:
    """One family's joint system: variables [x | a | r] over the family's combinations."""

    family: Family
    system: System
    rows: np.ndarray
    """The original equation of each of `system`'s (visible zeros are spent)."""
    floor: System
    """The same targets given only the earlier publication, the budgets and the headlines."""
    targets: list[_Target]
    hideable: list[Cell | None]
    """Per equation of `system`: the new release's count to hide to remove it (None: can't)."""
    values: np.ndarray
    changes: _Changes
    programs: int = 0

    @staticmethod
    def build(
        family: Family,
        people: tuple[People, People],
        pairs: np.ndarray,
        covered: tuple[list[Published], list[Published]],
        is_headline: Callable[[Cell], bool],
        p: int,
    ) -> _Joint | None:
        """The joint system of `family` over the earlier and the new release's `people` and the counts
        of each it covers; None when it has no target."""
        old, new = people
        old_covered, new_covered = covered
        shape, old_codes = _grid(family, old)
        _, new_codes = _grid(family, new)
        size = int(np.prod(shape))
        old_column = np.ravel_multi_index(old_codes, shape) if old.size else np.zeros(0, np.int64)
        new_column = np.ravel_multi_index(new_codes, shape) if new.size else np.zeros(0, np.int64)
        paired = pairs >= 0
        same = np.zeros(old.size, dtype=bool)
        same[paired] = old_column[paired] == new_column[pairs[paired]]
        entered = np.ones(new.size, dtype=bool)
        entered[pairs[same]] = False
        x = np.bincount(old_column[same], minlength=size)
        a = np.bincount(new_column[entered], minlength=size)
        r = np.bincount(old_column[~same], minlength=size)
        changed_in, changed_out = int(a.sum()), int(r.sum())

        old_visible, old_hidden = _split(old_covered)
        new_visible, new_hidden = _split(new_covered)
        # Both releases are coded alike (`load_pair`): a cell counts the same combinations in both, and
        # most cells are counted by both. One membership row per distinct cell, then slices of it.
        cells = list(dict.fromkeys([*(c.cell for c in new_covered), *(c.cell for c in old_covered)]))
        row_of = {cell: row for row, cell in enumerate(cells)}
        every = _membership(cells, family, new, shape, np.ones(size, dtype=bool))
        members = {
            name: every[[row_of[c.cell] for c in counts]]
            for name, counts in (
                ("old visible", old_visible),
                ("old hidden", old_hidden),
                ("new visible", new_visible),
                ("new hidden", new_hidden),
            )
        }
        budget = sparse.csr_matrix(
            np.vstack(
                [
                    np.r_[np.zeros(size), np.ones(size), np.zeros(size)],
                    np.r_[np.zeros(2 * size), np.ones(size)],
                ]
            )
        )
        old_values = np.array([c.value for c in old_visible], dtype=float)
        new_values = np.array([c.value for c in new_visible], dtype=float)
        equations = sparse.vstack(
            [_before(members["old visible"]), _after(members["new visible"]), budget]
        ).tocsr()
        values = np.r_[old_values, new_values, changed_in, changed_out]
        hideable: list[Cell | None] = [None] * len(old_visible)
        hideable += [None if is_headline(c.cell) else c.cell for c in new_visible]
        hideable += [None, None]
        floor_rows = np.r_[
            np.arange(len(old_visible)),
            [len(old_visible) + i for i, c in enumerate(new_visible) if is_headline(c.cell)],
            [len(values) - 2, len(values) - 1],
        ].astype(np.int64)

        changes = [c for c in cells if not is_headline(c)]
        change_members = every[[row_of[c] for c in changes]]
        caps_new = _caps(members["new visible"], new_values, members["new hidden"])
        caps_old = _caps(members["old visible"], old_values, members["old hidden"])
        # A count one release hides and the other shows differs from it by who changed: the targets
        # of the changed people below cover it (so it needs no width of its own).
        old_shown, new_shown = {c.cell for c in old_visible}, {c.cell for c in new_visible}
        targets = [
            _Target(c.cell, "hidden now", 0.0 if c.cell in old_shown else min(float(p), cap))
            for c, cap in zip(new_hidden, caps_new, strict=True)
        ] + [
            _Target(c.cell, "hidden before", 0.0 if c.cell in new_shown else min(float(p), cap))
            for c, cap in zip(old_hidden, caps_old, strict=True)
        ]
        target_rows = [_after(members["new hidden"]), _before(members["old hidden"])]
        if changed_in:
            targets += [_Target(c, "entered", changed_in) for c in changes]
            target_rows.append(_entered(change_members))
        if changed_out:
            targets += [_Target(c, "left", changed_out) for c in changes]
            target_rows.append(_left(change_members))
        if not targets:
            return None
        target_matrix = sparse.vstack(target_rows).tocsr()
        truth = np.r_[x, a, r].astype(float)
        feasible_old, feasible_new = (_feasible(family, people, shape).ravel() for people in (old, new))
        feasible = np.r_[feasible_old & feasible_new, feasible_new, feasible_old]
        computed = equations @ truth
        wrong = np.flatnonzero(np.abs(computed - values) > 0.5)
        if len(wrong):
            raise AuditModelError(
                f"{family}: a published count is {values[wrong[0]]}, its people number {computed[wrong[0]]}"
            )
        named = tuple(t.cell for t in targets)
        system, rows = _reduce(family, equations, values, target_matrix, truth, feasible, named)
        floor, _ = _reduce(
            family, equations[floor_rows], values[floor_rows], target_matrix, truth, feasible, named
        )
        moved = np.r_[
            np.flatnonzero(~same), old.size + np.flatnonzero(entered & ~_paired_new(pairs, new.size))
        ]
        story = _Changes(
            shape=shape,
            before=np.r_[old_column, np.full(new.size, -1)][moved],
            after=np.r_[np.where(pairs >= 0, new_column[np.maximum(pairs, 0)], -1), new_column][moved],
            stayed=x,
            feasible=(feasible_old, feasible_new),
            shown=members["new visible"].tocsr(),
            values=new_values,
            cells=hideable[len(old_visible) : len(old_visible) + len(new_visible)],
            members=change_members.tocsr(),
            first=len(targets) - (bool(changed_in) + bool(changed_out)) * len(changes),
            entered_first=bool(changed_in),
        )
        return _Joint(family, system, rows, floor, targets, hideable, values, story)

    def failures(self, k: int, p: int) -> list[JointFinding]:
        solver, floor = Solver(self.system), Solver(self.floor)
        hidden = np.array([t.required if t.target.startswith("hidden") else 0.0 for t in self.targets])
        solver.certify(hidden)
        # Most changed-people targets can be empty: one program that empties as many as it can shows it
        # for them all (each would otherwise take its own two).
        solver.push_down(self.changes.first)
        found = []
        for index, target in enumerate(self.targets):
            if target.target.startswith("hidden"):
                low, high = solver.bounds.known(index)
                if high - low >= target.required - _SLACK:
                    continue
                low, high = solver.solve_exactly(index)
                floor_low, floor_high = floor.solve_exactly(index)
                required = min(target.required, floor_high - floor_low)
            else:
                if solver.bounds.seen_low[index] <= 0:
                    continue  # none of the changed people need be in it
                solver.solve(index, maximize=False)
                low = solver.bounds.known(index)[0]
                if low < 1 - _SLACK or low > k - 1 + _SLACK:
                    continue  # none need be in it, or at least k are
                required = min(float(p), target.required)
                if solver.bounds.known(index)[1] - low >= required - _SLACK:
                    continue  # seen wide enough: its greatest value need not be solved for
                low, high = solver.solve_exactly(index)
                if high - low >= required - _SLACK:
                    continue
                floor_low, floor_high = floor.solve_exactly(index)
                if floor_low >= 1 - _SLACK and floor_high - floor_low < required - _SLACK:
                    continue  # pinned by the earlier publication and the headlines alone
            if high - low >= required - _SLACK:
                continue
            alternative: tuple[Cell, ...] = ()
            if not target.target.startswith("hidden"):
                need = math.ceil(required - (high - low) - _SLACK)
                alternative = self.changes.alternative(index, target.target == "entered", need)
            found.append(
                JointFinding(
                    target.cell,
                    target.target,
                    low,
                    high,
                    required,
                    self._pinning(solver, index),
                    alternative,
                )
            )
        self.programs = solver.bounds.programs + floor.bounds.programs
        return found

    def _pinning(self, solver: Solver, index: int) -> tuple[Cell, ...]:
        rows = solver.binding(index)
        cells: dict[Cell, float] = {}
        for row in rows:
            original = int(self.rows[row])
            cell = self.hideable[original]
            if cell is not None:
                cells[cell] = min(cells.get(cell, math.inf), float(self.values[original]))
        return tuple(sorted(cells, key=lambda c: (cells[c], c.dumps())))


def _paired_new(pairs: np.ndarray, size: int) -> np.ndarray:
    """Which people of the new release were in the earlier one."""
    paired = np.zeros(size, dtype=bool)
    paired[pairs[pairs >= 0]] = True
    return paired


@dataclass(frozen=True)
class _Changes:
    """The people who changed in a family, as combinations of its grid: where each was in the earlier
    release (`before`, −1: not in it) and is in the new one (`after`, −1: not in it); to tell another
    story of who changed that every fixed count of the earlier publication allows."""

    shape: tuple[int, ...]
    before: np.ndarray
    after: np.ndarray
    stayed: np.ndarray
    """People in each combination in both releases (x)."""
    feasible: tuple[np.ndarray, np.ndarray]
    shown: sparse.csr_matrix
    """The new release's visible counts over the combinations."""
    values: np.ndarray
    cells: list[Cell | None]
    """Per visible count: the set of people to hide to remove it (None: a headline, can't)."""
    members: sparse.csr_matrix
    """The targets' counts over the combinations (the `entered` ones, then the `left` ones)."""
    first: int
    """The index of the first changed-people target."""
    entered_first: bool

    def alternative(self, index: int, entered: bool, need: int) -> tuple[Cell, ...]:
        """The fewest visible counts to hide so that `need` people could each be told otherwise (one
        attribute changed) into or out of target `index`; () when nothing would do.

        The other story keeps every count of the earlier publication: a person moved from combination
        b to b' swaps with someone who stayed in b' (so b' must hold one), and the new release's
        counts then differ from the truth by 1_b − 1_b' + 1_a' − 1_a, which every count covering
        either side unequally shows. The headlines (how many changed) stay as they are."""
        row = index - self.first
        if not entered and self.entered_first:
            row -= self.members.shape[0]
        member = np.zeros(int(np.prod(self.shape)), dtype=bool)
        member[self.members[row].indices] = True
        stories: list[tuple[int, float, int, tuple[Cell, ...]]] = []
        for person, (before, after) in enumerate(zip(self.before, self.after, strict=True)):
            for moved_before, moved_after in self._neighbours(int(before), int(after), entered):
                side = moved_after if entered else moved_before
                if member[side] == member[after if entered else before]:
                    continue  # the other story does not move them across the target
                telling = self._telling(int(before), int(after), moved_before, moved_after)
                if telling is not None:
                    stories.append((len(telling[0]), telling[1], person, telling[0]))
        chosen: dict[Cell, None] = {}
        people: set[int] = set()
        for _, _, person, cells in sorted(stories, key=lambda s: (s[0], s[1], s[2])):
            if len(people) >= need:
                break
            if person not in people:
                people.add(person)
                chosen |= dict.fromkeys(cells)
        return tuple(chosen) if len(people) >= need else ()

    def _neighbours(self, before: int, after: int, entered: bool) -> list[tuple[int, int]]:
        """The person's other stories: one attribute otherwise, on both sides when it is the same on
        both (an age band), else on the side the target looks at (the kind of release they entered)."""
        old = np.unravel_index(before, self.shape) if before >= 0 else None
        new = np.unravel_index(after, self.shape) if after >= 0 else None
        found = []
        for axis, size in enumerate(self.shape):
            both = old is not None and new is not None and old[axis] == new[axis]
            for value in range(size):
                b, a = before, after
                if (both or not entered or new is None) and old is not None and old[axis] != value:
                    b = int(np.ravel_multi_index(_with(old, axis, value), self.shape))
                if (both or entered or old is None) and new is not None and new[axis] != value:
                    a = int(np.ravel_multi_index(_with(new, axis, value), self.shape))
                if (b, a) == (before, after) or (b >= 0 and b == a):
                    continue  # the same story, or one in which they did not change
                if (b >= 0 and not self.feasible[0][b]) or (a >= 0 and not self.feasible[1][a]):
                    continue
                if b != before and self.stayed[b] < 1:
                    continue  # nobody there to have stayed in their place
                found.append((b, a))
        return found

    def _telling(
        self, before: int, after: int, moved_before: int, moved_after: int
    ) -> tuple[tuple[Cell, ...], float] | None:
        """The visible counts that tell the two stories apart, and their sum (hiding small counts loses
        less); None when one of them can't be hidden."""
        difference = np.zeros(self.shown.shape[1])
        for combination, sign in ((before, 1), (moved_before, -1), (moved_after, 1), (after, -1)):
            if combination >= 0:
                difference[combination] += sign
        rows = np.flatnonzero(np.abs(self.shown @ difference) > 0.5)
        cells = [self.cells[r] for r in rows]
        if any(cell is None for cell in cells):
            return None
        return tuple(c for c in cells if c is not None), float(self.values[rows].sum())


def _with(coordinates: tuple[np.intp, ...], axis: int, value: int) -> tuple[int, ...]:
    return tuple(value if i == axis else int(c) for i, c in enumerate(coordinates))


def _before(members: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows over [x | a | r] of counts of the earlier release: x + r."""
    return sparse.hstack([members, sparse.csr_matrix(members.shape), members])


def _after(members: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows of counts of the new release: x + a."""
    return sparse.hstack([members, members, sparse.csr_matrix(members.shape)])


def _entered(members: sparse.csr_matrix) -> sparse.csr_matrix:
    empty = sparse.csr_matrix(members.shape)
    return sparse.hstack([empty, members, empty])


def _left(members: sparse.csr_matrix) -> sparse.csr_matrix:
    empty = sparse.csr_matrix(members.shape)
    return sparse.hstack([empty, empty, members])


def _split(covered: list[Published]) -> tuple[list[Published], list[Published]]:
    """The distinct visible counts and the distinct hidden ones (not also shown) of a family."""
    visible = list({c.cell: c for c in covered if c.value is not None}.values())
    shown = {c.cell for c in visible}
    hidden = list({c.cell: c for c in covered if c.value is None and c.cell not in shown}.values())
    return visible, hidden


def _reduce(
    family: Family,
    equations: sparse.csr_matrix,
    values: np.ndarray,
    targets: sparse.csr_matrix,
    truth: np.ndarray,
    feasible: np.ndarray,
    target_cells: tuple[Cell, ...],
) -> tuple[System, np.ndarray]:
    """Spend the visible zeros, drop what the schema forbids, merge columns no row tells apart."""
    zero = np.asarray(equations[values == 0].sum(axis=0)).ravel() > 0
    keep = np.flatnonzero(feasible & ~zero)
    groups = _column_groups(sparse.vstack([equations, targets]).tocsc()[:, keep])
    merge = sparse.csr_matrix(
        (np.ones(len(keep)), (keep, groups)), shape=(len(feasible), int(groups.max(initial=-1)) + 1)
    )
    rows = np.flatnonzero(values > 0)
    reduced = (equations[rows] @ merge).sign().tocsr()
    system = System(
        family=family,
        equations=reduced,
        values=values[rows],
        equation_cells=(),
        zero_cells=(),
        zero_overlap=sparse.csr_matrix((0, len(rows))),
        target_cells=target_cells,
        targets=(targets @ merge).sign().tocsr(),
        truth=truth @ merge,
        caps=np.zeros(targets.shape[0]),
    )
    return system, rows
