"""Everything one release publishes: every statistics query the routes accept, answered by the service.

Queries are built from the routes' own specifications (`api.query.SPECS`) and checked by the
routes' own parser, so the audit sees exactly what a client can ask: no filter or one filter value,
times no split or every allowed split (both orders of two), times every kind of sentence. Two filters
at once, or a filter and a split on an endpoint that allows only one of them, are not enumerated: they
are slices of the same protected tables. Month windows (`from`, `to`) only hide rows; languages and
CSV only represent the same cells. Downloads and charts are built from these same queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import permutations
from urllib.parse import parse_qsl, urlencode

from api.audit.model import Published
from api.cells import Cell, condition
from api.problems import ProblemError
from api.publication.answers import StoredAnswer
from api.query import POPULATIONS, SPECS, Params, QuerySpec, StatQuery, parse_query
from api.records.held import HELD_BINS
from api.records.sentences import SENTENCE_BINS
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult
from api.stats.service import StatisticsService
from api.table import TOTAL

Conditions = dict[str, set[str]]


@dataclass(frozen=True)
class Answer:
    """One statistics query and the service's answer to it."""

    statistic: str
    params: tuple[tuple[str, str], ...]
    query: StatQuery
    result: StatResult

    @property
    def url(self) -> str:
        return f"/v1/stats/{self.statistic}?{urlencode(self.params)}"


def answers_of(
    stored: Iterable[StoredAnswer], release_id: str, levels: dict[str, tuple[str, ...]]
) -> Iterator[Answer]:
    """A publication's answers with their queries again (read from their keys). `changes`, which counts
    people between releases, is left out: `api.publication.across` compares it."""
    for answer in stored:
        if answer.statistic in SPECS:
            params = (("release", release_id), *parse_qsl(answer.key))
            query = parse_query(Params(params), SPECS[answer.statistic], levels)
            yield Answer(answer.statistic, params, query, answer.result)


def every_query(
    service: StatisticsService, release: ReleaseInfo, statistics: tuple[str, ...] | None = None
) -> Iterator[Answer]:
    """Every query the statistics routes accept for `release` (see the module docstring), answered."""
    levels = service.levels()
    for statistic, spec in SPECS.items():
        if statistics is not None and statistic not in statistics:
            continue
        for params in _candidates(spec, levels):
            query = _parse([("release", release.id), *params], spec, levels)
            if query is not None:
                yield Answer(
                    statistic,
                    (("release", release.id), *params),
                    query,
                    _compute(service, statistic, query, release),
                )


def _compute(
    service: StatisticsService, statistic: str, query: StatQuery, release: ReleaseInfo
) -> StatResult:
    return service.compute(statistic, query, release)


def _candidates(spec: QuerySpec, levels: dict[str, tuple[str, ...]]) -> Iterator[list[tuple[str, str]]]:
    filters = [[], *([(name, value)] for name in spec.filters for value in levels[name])]
    populations = [[], *([("population", p)] for p in POPULATIONS[1:])] if spec.populations else [[]]
    splits: list[list[tuple[str, str]]] = [[]]
    for size in range(1, spec.max_by + 1):
        splits += [[("by", ",".join(names))] for names in permutations(spec.by_allowed, size)]
    kinds = [[("sentence_kind", kind)] for kind in levels["sentence_kind"]] if spec.sentence_kind else [[]]
    for population in populations:
        for chosen in filters:
            for split in splits:
                for kind in kinds:
                    yield [*population, *chosen, *split, *kind]


def _parse(
    params: list[tuple[str, str]], spec: QuerySpec, levels: dict[str, tuple[str, ...]]
) -> StatQuery | None:
    try:
        return parse_query(Params(params), spec, levels)
    except ProblemError:
        return None  # a combination the route refuses (too many dimensions, a filter split by itself)


def published_counts(answer: Answer, kinds: tuple[str, ...]) -> Iterator[Published]:
    """Every count of people in one answer, with the people it counts. `kinds` are the release kinds."""
    base: Conditions = {}
    if answer.query.population != "recognized":
        _add(base, "status", answer.query.population, kinds)
    for name, value in answer.query.filters.items():
        _add(base, name, value, kinds)
    cells = {
        "breakdown": _table_cells,
        "in-custody": _table_cells,
        "summary": _summary_cells,
        "sentences": _sentence_cells,
        "flows": _flow_cells,
        "time-in-custody": _time_cells,
        "held-before-release": _held_cells,
    }[answer.statistic]
    url = answer.url  # once per answer: URL-encoding it for every count cost a tenth of a publish
    for index, (conditions, event, count) in enumerate(cells(answer, base, kinds)):
        yield Published(Cell.of(conditions, event), count, f"{url} row {index + 1}")


Counted = tuple[Conditions, tuple[str, str] | None, int | None]


def _add(conditions: Conditions, dimension: str, value: str, kinds: tuple[str, ...]) -> None:
    """Add the condition `dimension = value` (a margin `total` adds none)."""
    named = condition(dimension, value, kinds)
    if named is not None:
        attribute, allowed = named
        conditions[attribute] = conditions[attribute] & allowed if attribute in conditions else set(allowed)


def _count(row: Mapping[str, object], column: str = "count") -> int | None:
    value = row[column]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _with(
    base: Conditions, row: Mapping[str, object], dimensions: tuple[str, ...], kinds: tuple[str, ...]
) -> Conditions:
    conditions = {name: set(values) for name, values in base.items()}
    for dimension in dimensions:
        _add(conditions, dimension, str(row[dimension]), kinds)
    return conditions


def _table_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    for row in answer.result.rows:
        event = ("in_custody", str(row["month"])) if "month" in row else None
        yield _with(base, row, answer.result.dimensions, kinds), event, _count(row)


def _summary_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    split = {
        "in_custody": "gender",
        "in_custody_by_sentence_kind": "sentence_kind",
        "released": "release_kind",
    }
    for row in answer.result.rows:
        measure, category = str(row["measure"]), str(row["category"])
        if measure == "prison_sentence_months":
            continue  # derived statistics, not counts of people
        conditions = {name: set(values) for name, values in base.items()}
        if measure == "recognized":
            _add(conditions, "status", category, kinds)
        else:
            _add(conditions, "status", "released" if measure == "released" else "in_custody", kinds)
            _add(conditions, split[measure], category, kinds)
        yield conditions, None, _count(row, "value")


def _sentence_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    kind = answer.query.sentence_kind or "prison"
    lengths = set(SENTENCE_BINS.labels)
    for row in answer.result.rows:
        conditions = _with(base, row, answer.result.dimensions, kinds)
        _add(conditions, "sentence_kind", kind, kinds)
        if row["measure"] == "histogram":
            conditions["sentence_bin"] = {str(row["bin_months"])}
            yield conditions, None, _count(row)
        elif row["statistic"] == "n":
            conditions["sentence_bin"] = set(lengths)
            yield conditions, None, _count(row, "value")


def _held_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    """The released people by bin of months held (a group's `n`: in any bin, i.e. released)."""
    for row in answer.result.rows:
        conditions = _with(base, row, answer.result.dimensions, kinds)
        _add(conditions, "status", "released", kinds)
        if row["measure"] == "histogram":
            conditions["held_bin"] = {str(row["bin_months"])}
            yield conditions, None, _count(row)
        elif row["statistic"] == "n":
            conditions["held_bin"] = set(HELD_BINS.labels)
            yield conditions, None, _count(row, "value")


def _time_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    """The people in custody now by year of detention (person-years are read off the series: no count)."""
    for row in answer.result.rows:
        if "in_custody_detained" not in row:
            continue
        conditions = _with(base, row, answer.result.dimensions, kinds)
        _add(conditions, "status", "in_custody", kinds)
        _add(conditions, "year_detained", str(row["year"]), kinds)
        yield conditions, None, _count(row, "in_custody_detained")


def _flow_cells(answer: Answer, base: Conditions, kinds: tuple[str, ...]) -> Iterator[Counted]:
    for row in answer.result.rows:
        month = str(row["month"])
        yield dict(base), ("recognized", month), _count(row, "recognized")
        for kind in (*kinds, TOTAL):
            column = "released_total" if kind == TOTAL else f"released_{kind}"
            conditions = {name: set(values) for name, values in base.items()}
            _add(conditions, "release_kind", kind, kinds)
            yield conditions, ("released", month), _count(row, column)
