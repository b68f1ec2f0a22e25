"""The anonymity audit: can anything a release publishes, taken together, narrow a suppressed count?

1. Enumerate every table the statistics routes can publish for the release (`publication`), through
   the same service the routes use, and model every count in it as a set of people (`model`).
2. Group the counts into families over a few attributes (`families`): all counts over any three
   static attributes (breakdowns, summaries, sentence histograms and group sizes), over the kind and
   bin of sentence and two of who people are (the lengths of two groups at once), and per month the
   series in custody of that month and the one before, with the month's recognitions and releases.
3. Solve each family's linear programs for the least and greatest value of each suppressed count
   given every visible count of the family (`bounds`).
4. A suppressed count whose interval is narrower than the protection interval fails — unless a
   visible count containing it is smaller still (a published total of 3 cannot hide anything inside
   it better than 0 to 3): the requirement is min(protection interval, smallest visible container).

Each family sees only some of the published counts, so its interval can only be wider than the one
all counts together allow: the audit is exact within a family and a relaxation across families.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from sqlalchemy import Engine

from api.audit.bounds import Solver
from api.audit.families import AuditModelError, Family, System, build_system
from api.audit.model import People, Published, load_people
from api.audit.publication import Answer, every_query, published_counts
from api.cells import NOT_RELEASED, STATIC_ATTRIBUTES, Cell
from api.query import SENTENCE_PAIRS
from api.records.statistics import RecordStatistics
from api.settings import Settings

FAMILY_SIZE = 3
WIDE_FAMILIES = tuple(frozenset({"sentence_kind", "sentence_bin", *pair}) for pair in SENTENCE_PAIRS)
"""Families of four attributes: the sentence lengths of two groups at once (`article=342&by=gender`)."""


@dataclass(frozen=True)
class Finding:
    """A suppressed count and what the published counts allow it to be."""

    cell: Cell
    sources: tuple[str, ...]
    low: float
    high: float
    required: float
    exact: bool

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class AuditReport:
    release: str
    threshold: int
    protection_interval: int
    queries: int
    published_cells: int
    suppressed_cells: int
    distinct_counts: int
    distinct_suppressed: int
    families: int
    programs: int
    failures: tuple[Finding, ...]
    narrowest: Finding | None
    seconds: float
    shown: frozenset[Cell] = field(default=frozenset(), repr=False)
    """Every set of people some published count shows."""
    answers: tuple[Answer, ...] = field(default=(), repr=False, compare=False)
    """Every answer audited: what the release publishes with the suppression list it was audited with."""
    counts: tuple[Published, ...] = field(default=(), repr=False, compare=False)
    """Every count of those answers (`published_counts`), for the joint audit."""

    @property
    def passed(self) -> bool:
        return not self.failures


Places = dict[Cell, list[tuple[Solver, int]]]
"""Per suppressed count: the solvers of the families it is in, and its target number in each."""


def audit_release(
    engine: Engine, settings: Settings, release_id: str = "latest", statistics: tuple[str, ...] | None = None
) -> AuditReport:
    """Audit every count `release_id` publishes under `settings` (see the module docstring), or only
    the counts of some `statistics` (e.g. `("breakdown", "summary")`)."""
    return audit_with_places(engine, settings, release_id, statistics)[0]


def audit_with_places(
    engine: Engine, settings: Settings, release_id: str = "latest", statistics: tuple[str, ...] | None = None
) -> tuple[AuditReport, Places]:
    """`audit_release`, with the solvers that found each count's interval (`api.audit.protect` asks
    them which visible counts pin a failing one)."""
    started = time.perf_counter()
    service = RecordStatistics(engine, settings)
    release = service.release(release_id)
    people = load_people(engine, release, service.vocab)
    kinds = service.vocab.enums["release_kind"]
    answers = [a for a in every_query(service, release, statistics)]
    published = [count for answer in answers for count in published_counts(answer, kinds)]
    counts = with_static_twins(published, people)
    systems = [
        s for family, covered in families_of(counts, people) if (s := build_system(family, people, covered))
    ]
    findings, programs, places = _solve(systems, settings.effective_protection_interval, _sources(counts))
    failures = tuple(f for f in findings if f.width < f.required - 1e-6)
    report = AuditReport(
        release=release.id,
        threshold=settings.suppression_threshold,
        protection_interval=settings.effective_protection_interval,
        queries=len(answers),
        published_cells=len(published),
        suppressed_cells=sum(p.value is None for p in published),
        distinct_counts=len({p.cell for p in published}),
        distinct_suppressed=len({p.cell for p in published if p.value is None}),
        families=len(systems),
        programs=programs,
        failures=failures,
        narrowest=min(
            (f for f in findings if f.required > 0), key=lambda f: (f.width, f.cell.describe()), default=None
        ),
        seconds=time.perf_counter() - started,
        shown=frozenset(p.cell for p in counts if p.value is not None),
        answers=tuple(answers),
        counts=tuple(published),
    )
    return report, places


def _sources(published: Iterable[Published]) -> dict[Cell, tuple[str, ...]]:
    sources: dict[Cell, list[str]] = defaultdict(list)
    for count in published:
        if count.value is None:
            sources[count.cell].append(count.source)
    return {cell: tuple(where) for cell, where in sources.items()}


def with_static_twins(published: list[Published], people: People) -> list[Published]:
    """Counts in custody at the end of the as-of month are also the static counts of people without a
    release (nobody is released after the as-of month), and join the static families as such."""
    last = ("in_custody", people.months[-1])
    twins = [
        Published(Cell.of(dict(p.cell.conditions) | {"release_kind": {NOT_RELEASED}}), p.value, p.source)
        for p in published
        if p.cell.event == last and "release_kind" not in p.cell.attributes
    ]
    return published + twins


def families_of(published: list[Published], people: People) -> Iterable[tuple[Family, list[Published]]]:
    """Every family with the counts it covers: all triples of static attributes, and per month the
    largest sets of attributes its series and flows are split by."""
    static: dict[frozenset[str], list[Published]] = defaultdict(list)
    monthly: dict[int, dict[frozenset[str], list[Published]]] = defaultdict(lambda: defaultdict(list))
    index = people.month_index
    for count in published:
        if count.cell.event is None:
            attributes = count.cell.attributes
            if len(attributes) > FAMILY_SIZE and not any(attributes <= wide for wide in WIDE_FAMILIES):
                # No family would hold it: it would be published without being audited at all.
                raise AuditModelError(
                    f"{count.source}: {count.cell.describe()} conditions on more than {FAMILY_SIZE} "
                    "attributes, which no family of the audit covers"
                )
            static[count.cell.attributes].append(count)
            continue
        month = index[count.cell.event[1]]
        monthly[month][count.cell.attributes].append(count)
        if count.cell.event[0] == "in_custody" and month + 1 < len(people.months):
            monthly[month + 1][count.cell.attributes].append(count)
    wide = [tuple(name for name in STATIC_ATTRIBUTES if name in family) for family in WIDE_FAMILIES]
    for family in [*combinations(STATIC_ATTRIBUTES, FAMILY_SIZE), *wide]:
        chosen = set(family)
        yield Family(family), [p for names, group in static.items() if names <= chosen for p in group]
    for month, groups in sorted(monthly.items()):
        for names in _maximal(groups):
            covered = [p for other, group in groups.items() if other <= names for p in group]
            yield Family(tuple(sorted(names)), month), covered


def _maximal(groups: Iterable[frozenset[str]]) -> list[frozenset[str]]:
    sets = set(groups)
    return sorted((s for s in sets if not any(s < other for other in sets)), key=sorted)


def _solve(
    systems: list[System], interval: int, sources: dict[Cell, tuple[str, ...]]
) -> tuple[list[Finding], int, Places]:
    """Certify every target in every family, then solve exactly the counts that still look narrow."""
    caps: dict[Cell, float] = defaultdict(lambda: math.inf)
    for system in systems:
        for cell, cap in zip(system.target_cells, system.caps, strict=True):
            caps[cell] = min(caps[cell], float(cap))
    required = {cell: min(float(interval), cap) for cell, cap in caps.items()}
    solvers = [Solver(system) for system in systems]
    where: Places = defaultdict(list)
    for solver in solvers:
        solver.certify(np.array([required[cell] for cell in solver.system.target_cells]))
        for target, cell in enumerate(solver.system.target_cells):
            where[cell].append((solver, target))
    findings = []
    for cell, places in where.items():
        low, high = _known(places)
        exact = False
        if high - low < required[cell] - 1e-6:
            intervals = [solver.solve_exactly(target) for solver, target in places]
            low, high = max(i[0] for i in intervals), min(i[1] for i in intervals)
            exact = True
        findings.append(Finding(cell, sources.get(cell, ()), low, high, required[cell], exact))
    return findings, sum(solver.bounds.programs for solver in solvers), where


def _known(places: list[tuple[Solver, int]]) -> tuple[float, float]:
    """An interval the cell's interval certainly includes: the intersection of what each family showed."""
    known = [solver.bounds.known(target) for solver, target in places]
    return max(low for low, _ in known), min(high for _, high in known)
