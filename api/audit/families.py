"""Families of published counts over a few attributes, as linear systems over the people's cells.

A family is a small set of attributes (at most three static ones, or the kind and bin of sentence with
two of who people are; or two plus the phase of one month, for the monthly series and flows). Its
variables count the people in every combination of those
attributes (the finest cross-classification the family needs); every published count whose conditions
involve only those attributes is a sum of variables. Visible counts become equations, suppressed ones
the targets whose least and greatest values the audit solves for.

Facts every reader knows from the documented schema are built in (they only narrow what a target can
be, so they make the audit stricter, never weaker): sentences of some kinds always or never have a
length; people in custody have no release kind; a release is never before the recognition; every month
is at most the as-of month. The article attribute takes the combinations of articles that occur in the
release (a reader does not know them: again stricter).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from api.audit.model import NO_LENGTH, People, Published
from api.cells import NOT_RELEASED, Cell
from api.dataset.files import SENTENCE_KINDS_WITH_LENGTH, SENTENCE_KINDS_WITHOUT_LENGTH
from api.records.held import HELD_BINS
from api.stats.months import month_index

PHASES = ("a", "b", "c", "d", "o")
"""A person's phase in month m: (a) in custody before and after m, (b) released in m, (c) recognized in
m and still in custody at its end, (d) recognized and released in m, (o) none of these."""
_EVENT_PHASES = {
    ("in_custody", 0): frozenset("ac"),
    ("in_custody", -1): frozenset("ab"),
    ("recognized", 0): frozenset("cd"),
    ("released", 0): frozenset("bd"),
}


class AuditModelError(Exception):
    """The audit's model of a published count disagrees with the count: a bug in the audit or service."""


@dataclass(frozen=True)
class Family:
    """Which attributes a family cross-classifies; `month` (an index) adds that month's phase."""

    attributes: tuple[str, ...]
    month: int | None = None

    def label(self, people: People) -> str:
        names = " × ".join(self.attributes) or "everyone"
        return names if self.month is None else f"{people.months[self.month]}: phase × {names}"


@dataclass(frozen=True)
class System:
    """The linear system of one family, reduced: `equations @ x == values`, x >= 0, one column per
    group of people no published count tells apart; `targets @ x` are the suppressed counts."""

    family: Family
    equations: sparse.csr_matrix
    values: np.ndarray
    equation_cells: tuple[Cell, ...]
    """The visible count of each equation (visible zeros are spent on removing variables)."""
    zero_cells: tuple[Cell, ...]
    """The visible zeros, and which equations' people each shares (`zero_overlap`, zeros × equations):
    a zero that shares people with an equation pinning a count can pin it too."""
    zero_overlap: sparse.csr_matrix
    target_cells: tuple[Cell, ...]
    targets: sparse.csr_matrix
    truth: np.ndarray
    caps: np.ndarray
    """Per target: the smallest visible count that contains it (inf when none does)."""


def _event_offset(event: tuple[str, str], month: int, people: People) -> int | None:
    kind, label = event
    index = people.month_index.get(label)
    for name, offset in _EVENT_PHASES:
        if name == kind and index == month + offset:
            return offset
    return None


def build_system(family: Family, people: People, covered: Sequence[Published]) -> System | None:
    """The reduced system of `family` over `covered` (`api.audit.families_of`: the counts over its
    attributes, and in a month's family those of that month and the one before), or None when none of
    them is suppressed."""
    hidden = list(dict.fromkeys(p.cell for p in covered if p.value is None))
    if not hidden:
        return None
    visible = list({p.cell: p for p in covered if p.value is not None}.values())
    shape, codes = _grid(family, people)
    feasible = _feasible(family, people, shape).ravel()
    truth = np.bincount(np.ravel_multi_index(codes, shape), minlength=int(np.prod(shape))).astype(float)
    rows = _membership([p.cell for p in visible], family, people, shape, feasible)
    values = np.array([p.value for p in visible], dtype=float)
    _check_model(rows, values, truth, visible)
    targets = _membership(hidden, family, people, shape, feasible)
    # Variables inside a visible zero are zero; variables no count tells apart are one variable.
    zero = np.asarray(rows[values == 0].sum(axis=0)).ravel() > 0
    keep = np.flatnonzero(feasible & ~zero)
    groups = _column_groups(sparse.vstack([rows, targets]).tocsc()[:, keep])
    merge = sparse.csr_matrix(
        (np.ones(len(keep)), (keep, groups)), shape=(len(feasible), int(groups.max(initial=-1)) + 1)
    )
    non_zero, zeros = np.flatnonzero(values > 0), np.flatnonzero(values == 0)
    zero_overlap = (rows[zeros] @ rows[non_zero].T).tocsr()
    rows = rows[non_zero]  # the zeros are spent: their variables are gone
    values = values[non_zero]
    equations = (rows @ merge).sign().tocsr()
    reduced_targets = (targets @ merge).sign().tocsr()
    return System(
        family=family,
        equations=equations,
        values=values,
        equation_cells=tuple(visible[i].cell for i in non_zero),
        zero_cells=tuple(visible[i].cell for i in zeros),
        zero_overlap=zero_overlap,
        target_cells=tuple(hidden),
        targets=reduced_targets,
        truth=truth @ merge,
        caps=_caps(equations, values, reduced_targets),
    )


def _grid(family: Family, people: People) -> tuple[tuple[int, ...], list[np.ndarray]]:
    shape = [len(people.domains[name]) for name in family.attributes]
    codes = [people.codes[name] for name in family.attributes]
    if family.month is not None:
        shape.append(len(PHASES))
        codes.append(_phases(people, family.month))
    return tuple(shape), codes


def _phases(people: People, month: int) -> np.ndarray:
    before, during = people.recognized < month, people.recognized == month
    stays, leaves = people.released > month, people.released == month
    phase = np.full(people.size, PHASES.index("o"))
    for name, mask in (("a", before & stays), ("b", before & leaves), ("c", during & stays)):
        phase[mask] = PHASES.index(name)
    phase[during & leaves] = PHASES.index("d")
    return phase


def _axis_mask(values: Iterable[str], domain: Sequence[str]) -> np.ndarray:
    allowed = set(values)
    return np.array([value in allowed for value in domain], dtype=bool)


def _feasible(family: Family, people: People, shape: tuple[int, ...]) -> np.ndarray:
    """Combinations the documented schema allows."""
    names = list(family.attributes)
    feasible = np.ones(shape, dtype=bool)

    def forbid(rules: dict[str, np.ndarray]) -> None:
        if set(rules) <= set(names) | ({"phase"} if family.month is not None else set()):
            vectors = [
                rules.get(name, np.ones(size, dtype=bool)) for name, size in zip(axes, shape, strict=True)
            ]
            feasible[reduce(np.multiply.outer, vectors).astype(bool)] = False

    axes = [*names, *(["phase"] if family.month is not None else [])]
    kinds, bins = people.domains.get("sentence_kind", ()), people.domains["sentence_bin"]
    no_length = _axis_mask([NO_LENGTH], bins)
    forbid({"sentence_kind": _axis_mask(SENTENCE_KINDS_WITH_LENGTH, kinds), "sentence_bin": no_length})
    forbid({"sentence_kind": _axis_mask(SENTENCE_KINDS_WITHOUT_LENGTH, kinds), "sentence_bin": ~no_length})
    # Released people have a time held; people in custody none yet.
    custody = _axis_mask([NOT_RELEASED], people.domains.get("release_kind", ()))
    not_held = _axis_mask([NO_LENGTH], people.domains.get("held_bin", ()))
    forbid({"release_kind": custody, "held_bin": ~not_held})
    forbid({"release_kind": ~custody, "held_bin": not_held})
    # Nobody was held longer than from the start of their year of detention to the as-of month.
    held_bins = people.domains.get("held_bin", ())
    if held_bins and people.months:
        last = month_index(people.months[-1])
        for year in people.domains.get("year_detained", ()):
            most = last - month_index(f"{year}-01")
            too_long = [label for label, low, _ in HELD_BINS.bins if low > most]
            forbid(
                {
                    "year_detained": _axis_mask([year], people.domains["year_detained"]),
                    "held_bin": _axis_mask(too_long, held_bins),
                }
            )
    if family.month is not None:
        released_kinds = people.domains["release_kind"]
        in_custody = _axis_mask([NOT_RELEASED], released_kinds)
        forbid({"release_kind": in_custody, "phase": _axis_mask("bd", PHASES)})
        if family.month == len(people.months) - 1:  # nobody is in custody beyond the as-of month
            forbid({"release_kind": ~in_custody, "phase": _axis_mask("ac", PHASES)})
            forbid({"release_kind": in_custody, "phase": _axis_mask("o", PHASES)})
        year = people.months[family.month][:4]
        later = np.array([y > year for y in people.domains["year_detained"]])
        forbid({"year_detained": later, "phase": _axis_mask("abcd", PHASES)})
    return feasible


def _membership(
    cells: Sequence[Cell], family: Family, people: People, shape: tuple[int, ...], feasible: np.ndarray
) -> sparse.csr_matrix:
    """One row per cell: which variables (combinations) it counts."""
    indices: list[np.ndarray] = []
    for cell in cells:
        conditions = dict(cell.conditions)
        vectors = [
            people.allowed(name, conditions[name]) if name in conditions else np.ones(size, dtype=bool)
            for name, size in zip(family.attributes, shape, strict=False)
        ]
        if family.month is not None:
            assert cell.event is not None
            offset = _event_offset(cell.event, family.month, people)
            assert offset is not None, "the family does not cover this cell"
            vectors.append(_axis_mask(_EVENT_PHASES[(cell.event[0], offset)], PHASES))
        mask = reduce(np.multiply.outer, vectors).astype(bool).ravel() if vectors else np.ones(1, bool)
        indices.append(np.flatnonzero(mask & feasible))
    data = np.ones(sum(len(i) for i in indices))
    pointers = np.concatenate([[0], np.cumsum([len(i) for i in indices])])
    columns = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    return sparse.csr_matrix((data, columns, pointers), shape=(len(cells), len(feasible)))


def _check_model(
    rows: sparse.csr_matrix, values: np.ndarray, truth: np.ndarray, cells: Sequence[Published]
) -> None:
    computed = rows @ truth
    wrong = np.flatnonzero(np.abs(computed - values) > 0.5)
    if len(wrong):
        first = cells[int(wrong[0])]
        raise AuditModelError(
            f"{first.source}: published {first.value}, but the people of {first.cell.describe()} "
            f"number {int(computed[wrong[0]])}"
        )


def _column_groups(matrix: sparse.csc_matrix) -> np.ndarray:
    """A group number per column; columns with the same non-zero rows share one."""
    seen: dict[bytes, int] = {}
    groups = np.empty(matrix.shape[1], dtype=np.int64)
    for j in range(matrix.shape[1]):
        signature = matrix.indices[matrix.indptr[j] : matrix.indptr[j + 1]].tobytes()
        groups[j] = seen.setdefault(signature, len(seen))
    return groups


def _caps(equations: sparse.csr_matrix, values: np.ndarray, targets: sparse.csr_matrix) -> np.ndarray:
    """For each target, the smallest visible count whose people include all of the target's."""
    sizes = np.asarray(targets.sum(axis=1)).ravel()
    overlap = (equations @ targets.T).toarray()
    contains = overlap >= sizes[np.newaxis, :] - 0.5
    with_values = np.where(contains, values[:, np.newaxis], np.inf)
    caps: np.ndarray = with_values.min(axis=0, initial=np.inf)
    caps[sizes == 0] = 0  # a target whose every variable is inside a visible zero is zero
    return caps
