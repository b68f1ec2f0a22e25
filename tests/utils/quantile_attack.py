"""An attacker on the magnitudes the sentences statistics publish (quantiles, means, bins).

It knows what docs/PRIVACY.md says an attacker knows: every published number of every query, the
bins (`api.records.sentences.SENTENCE_BINS`), the rounding (half-up to one decimal) and the quantile rules —
linear interpolation between order statistics (numpy "linear", the rule before issue 15), or linear
interpolation inside the bins of the published histogram. It gathers everything published about one
group of people (a kind of sentence, optionally one level of one dimension) from every answer, and:

(a) sets up an integer program over the group's sorted sentence lengths x_0 <= ... <= x_{n-1} (whole
    months, each in a bin whose visible count is respected, every published quantile that is not a
    function of the visible bins equal to the interpolation of two order statistics within the
    rounding, the sum within the rounding of the published mean) and asks whether any x_i is
    determined exactly (its least and greatest feasible values coincide);
(b) bounds every hidden bin count of the group with and without the quantiles and mean, and reports
    one they narrow below min(p, its width from the bins alone);
(c) reports a group whose size is hidden but which publishes a quantile or a mean.

The integer programs (scipy.optimize.milp, HiGHS) run for groups of at most `EXACT_LIMIT` people. A
larger group gets cheaper sound checks: a quantile whose position (n-1)p is a whole number is one
order statistic, pinned by its rounded value alone; and for (b) the linear relaxation of the same
program, whose bounds are outer bounds of the integer ones (a narrow relaxation is a narrow truth).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import lil_matrix  # type: ignore[import-untyped]

from api.audit.publication import Answer
from api.records.sentences import SENTENCE_BINS

BINS = SENTENCE_BINS.bins

EXACT_LIMIT = 60
"""Largest group given the exact integer programs (the bundled release solves in seconds)."""

PROBABILITIES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
"""The published quantiles by name (the API documents them)."""

HALF = 0.05  # half a unit of the last published decimal
SLACK = 1e-7  # solver tolerance, on the attacker's (weaker) side

Identity = tuple[str, str | None, str | None]
"""(kind of sentence, dimension, level): (kind, None, None) is everyone with that kind of sentence."""


@dataclass
class Group:
    """Everything every answer publishes about one group of people."""

    identity: Identity
    n: int | None = None
    n_hidden: bool = False
    bins: dict[str, int | None] = field(default_factory=dict)  # label -> visible count, None if hidden
    quantiles: dict[str, float] = field(default_factory=dict)  # name -> published value
    mean: float | None = None
    sources: set[str] = field(default_factory=set)

    def describe(self) -> str:
        kind, dimension, level = self.identity
        where = f"{dimension}={level}" if dimension else "everyone"
        return f"{kind}, {where} (n={self.n if self.n is not None else 'hidden'})"


@dataclass(frozen=True)
class Finding:
    group: str
    kind: str  # "value", "bin" or "hidden n"
    detail: str


def gather(answers: Iterable[Answer]) -> dict[Identity, Group]:
    """Every group of every sentences answer, and the summary's prison quantiles, merged by identity."""
    groups: dict[Identity, Group] = {}

    def group(identity: Identity, url: str) -> Group:
        found = groups.setdefault(identity, Group(identity))
        found.sources.add(url)
        return found

    for answer in answers:
        filters = dict(answer.query.filters)
        if answer.statistic == "summary":
            dimension, level = next(iter(filters.items()), (None, None))
            target = group(("prison", dimension, level), answer.url)
            for row in answer.result.rows:
                if row["measure"] == "prison_sentence_months" and row["value"] is not None:
                    _publish(target, str(row["category"]), row["value"])
            continue
        if answer.statistic != "sentences":
            continue
        kind = answer.query.sentence_kind or "prison"
        by = answer.result.dimensions[0] if answer.result.dimensions else None
        for row in answer.result.rows:
            if by is not None and filters:  # a group within the filter's people (`article=342&by=gender`)
                ((dimension, value),) = filters.items()
                level = str(row[by])
                within = f"{dimension}={value}"
                identity: Identity = (
                    (kind, dimension, value) if level == "total" else (kind, f"{within}&{by}", level)
                )
            elif by is not None:
                level = str(row[by])
                identity = (kind, None, None) if level == "total" else (kind, by, level)
            elif filters:
                ((dimension, value),) = filters.items()
                identity = (kind, dimension, value)
            else:
                identity = (kind, None, None)
            target = group(identity, answer.url)
            if row["measure"] == "histogram":
                count = row["count"]
                label = str(row["bin_months"])
                if count is not None or label not in target.bins:
                    target.bins[label] = count if isinstance(count, int) else None
            elif row["statistic"] == "n":
                if row["value"] is None:
                    target.n_hidden = True
                else:
                    target.n = int(row["value"])
            elif row["value"] is not None:
                _publish(target, str(row["statistic"]), row["value"])
    for found in groups.values():  # a size one answer hides and another shows is known
        found.n_hidden = found.n_hidden and found.n is None
    return groups


def _publish(group: Group, statistic: str, value: object) -> None:
    assert isinstance(value, int | float), (statistic, value)
    if statistic == "mean":
        group.mean = float(value)
    else:
        group.quantiles[statistic] = float(value)


def histogram_quantile(
    bins: Mapping[str, int | None], probability: float, n: int | None = None
) -> float | None:
    """The attacker's own reading of the binned rule: the point where the cumulative count reaches
    p·n, interpolated linearly inside its bin [low, high + 1) — when the visible bins and n determine
    it, else None (and None in the open top bin: nothing to interpolate to).

    With hidden bins, it completes the histogram twice: all the hidden rest in the lowest hidden bin,
    then all of it in the highest. Every other completion lies between the two (moving people up only
    moves every quantile up), so where both agree, every completion gives that value."""
    counts = [bins.get(label) for label, _, _ in BINS]
    hidden = [i for i, count in enumerate(counts) if count is None]
    if not hidden:
        return _binned([int(count or 0) for count in counts], probability)
    if n is None:
        return None
    rest = n - sum(count or 0 for count in counts)
    points = []
    for chosen in (hidden[0], hidden[-1]):
        points.append(
            _binned([rest if i == chosen else int(c or 0) for i, c in enumerate(counts)], probability)
        )
    return points[0] if points[0] is not None and points[0] == points[1] else None


def _binned(counts: list[int], probability: float) -> float | None:
    target = probability * sum(counts)
    below = 0
    for (label, low, high), count in zip(BINS, counts, strict=True):
        if count and below + count >= target:
            if label.endswith("+"):
                return None
            return low + (target - below) / count * (high + 1 - low)
        below += count
    return None


def _explained(group: Group, name: str, value: float) -> bool:
    """A published quantile that the binned rule gives from the visible bins adds nothing to them."""
    point = histogram_quantile(group.bins, PROBABILITIES[name], group.n)
    return point is not None and abs(point - value) <= HALF + 1e-9


def attack(group: Group, p: int) -> list[Finding]:
    """What the published numbers reveal about one group (see the module docstring)."""
    label = group.describe()
    published = {name: v for name, v in group.quantiles.items() if not _explained(group, name, v)}
    if group.n_hidden:
        if group.quantiles or group.mean is not None:
            return [Finding(label, "hidden n", "publishes quantiles or a mean though its size is hidden")]
        return []
    n = group.n
    if not n or (not published and group.mean is None):
        return []  # nothing beyond the histogram, whose bins are wider than a month
    findings = _cheap(label, n, published)
    if findings:
        return findings
    return _Program(group, n, published).findings(label, p, exact=n <= EXACT_LIMIT)


def _cheap(label: str, n: int, published: Mapping[str, float]) -> list[Finding]:
    for name, value in published.items():
        position = (n - 1) * PROBABILITIES[name]
        if abs(position - round(position)) < 1e-9:
            return [
                Finding(label, "value", f"{name} is the order statistic x_{round(position)} = {round(value)}")
            ]
    return []


class _Program:
    """Variables: x_0..x_{n-1} (months), then y[i, b] (x_i in bin b), in that order."""

    def __init__(self, group: Group, n: int, published: Mapping[str, float]) -> None:
        self.group, self.n = group, n
        nb = len(BINS)
        self.size = n + n * nb
        rows: list[tuple[dict[int, float], float, float]] = []

        def y(i: int, b: int) -> int:
            return n + i * nb + b

        for i in range(n):
            rows.append(({y(i, b): 1.0 for b in range(nb)}, 1, 1))
            rows.append(({i: 1.0, **{y(i, b): -float(low) for b, (_, low, _) in enumerate(BINS)}}, 0, np.inf))
            rows.append(
                ({i: 1.0, **{y(i, b): -float(high) for b, (_, _, high) in enumerate(BINS)}}, -np.inf, 0)
            )
            if i + 1 < n:
                rows.append(({i: 1.0, i + 1: -1.0}, -np.inf, 0))
        for b, (label, _, _) in enumerate(BINS):
            count = group.bins.get(label)
            if count is not None:
                rows.append(({y(i, b): 1.0 for i in range(n)}, count, count))
        for name, value in published.items():
            position = (n - 1) * PROBABILITIES[name]
            j = min(math.floor(position), n - 1)
            fraction = position - j
            terms = {j: 1.0 - fraction}
            if fraction > 0:
                terms[j + 1] = fraction
            rows.append((terms, value - HALF - SLACK, value + HALF + SLACK))
        if group.mean is not None:
            rows.append(
                ({i: 1.0 for i in range(n)}, n * (group.mean - HALF) - SLACK, n * (group.mean + HALF) + SLACK)
            )
        self.rows = rows
        self.y = y

    def _constraint(self, rows: list[tuple[dict[int, float], float, float]]) -> LinearConstraint:
        matrix = lil_matrix((len(rows), self.size))
        for r, (terms, _, _) in enumerate(rows):
            for column, coefficient in terms.items():
                matrix[r, column] = coefficient
        return LinearConstraint(matrix.tocsr(), [lo for _, lo, _ in rows], [hi for _, _, hi in rows])

    def _bounds(
        self, objective: dict[int, float], rows: list[tuple[dict[int, float], float, float]], integral: bool
    ) -> tuple[float, float] | None:
        c = np.zeros(self.size)
        for column, coefficient in objective.items():
            c[column] = coefficient
        lower = np.concatenate([np.ones(self.n), np.zeros(self.size - self.n)])
        upper = np.concatenate([np.full(self.n, float(BINS[-1][2])), np.ones(self.size - self.n)])
        integrality = np.ones(self.size) if integral else np.zeros(self.size)
        constraint = self._constraint(rows)
        low = milp(c, constraints=constraint, integrality=integrality, bounds=Bounds(lower, upper))
        high = milp(-c, constraints=constraint, integrality=integrality, bounds=Bounds(lower, upper))
        if low.x is None or high.x is None:
            return None
        return float(low.fun), float(-high.fun)

    def findings(self, label: str, p: int, exact: bool) -> list[Finding]:
        out: list[Finding] = []
        if exact:
            for i in reversed(range(self.n)):  # the longest sentence first
                bounds = self._bounds({i: 1.0}, self.rows, integral=True)
                if bounds is None:
                    return [
                        Finding(label, "value", "published numbers inconsistent with the attacker's rules")
                    ]
                if round(bounds[1]) - round(bounds[0]) == 0:
                    out.append(Finding(label, "value", f"x_{i} (of {self.n}, sorted) = {round(bounds[0])}"))
                    break
        for b, (bin_label, _, _) in enumerate(BINS):
            if self.group.bins.get(bin_label, 0) is not None:
                continue
            objective = {self.y(i, b): 1.0 for i in range(self.n)}
            narrowed = self._bounds(objective, self.rows, integral=exact)
            if narrowed is None:
                continue
            # The bins alone: the hidden bins share the rest of n, each anywhere from 0 to all of it
            # (a group never has exactly one hidden bin: the line rule).
            hidden = [label for label, count in self.group.bins.items() if count is None]
            rest = self.n - sum(count or 0 for count in self.group.bins.values())
            before = rest if len(hidden) > 1 else 0
            after = math.floor(narrowed[1] + 1e-6) - math.ceil(narrowed[0] - 1e-6)
            if after < min(p, before):
                out.append(Finding(label, "bin", f"hidden bin {bin_label}: width {before} -> {after}"))
        return out
