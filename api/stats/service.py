"""The statistics of one release for one checked query — the only way routes reach the data.

The service answers from the releases' publications (`api.publication`): every answer was computed,
protected and audited by `prisoners-api publish` before it was loaded, so serving is a lookup and a
slice. `api.records.statistics.RecordStatistics` computes the same answers from record-level data; only
`publish` and the curators' tools use it, in a private workspace.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from api.lru import BoundedLRU
from api.problems import ProblemError
from api.publication.answers import answer_key
from api.publication.store import stored_answer
from api.query import StatQuery
from api.responses import RepresentationCache
from api.settings import Settings
from api.stats.dimensions import (
    DIMENSION_NAMES,
    WHOM_COUNTED,
    Dimension,
    Vocabularies,
    dimension,
    vocabularies,
    whom_counted,
)
from api.stats.releases import RecordLevel, ReleaseCatalog, ReleaseInfo
from api.stats.result import StatResult, Value
from api.stats.shapes import shaped, table_shape
from api.table import TOTAL
from api.translations import Sentence

STATISTICS = (
    "summary",
    "in-custody",
    "flows",
    "sentences",
    "breakdown",
    "time-in-custody",
    "held-before-release",
)
MAX_CACHED_RESULTS = 4096
"""More than every table the API can publish for a few releases (a release has a few thousand)."""


class StatisticsService:
    """Resolves releases, answers statistics from their publications, remembers the results."""

    records: RecordLevel | None = None
    """How to read record-level releases, when the database is a curator's workspace, not publications."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.vocab: Vocabularies = vocabularies(settings.dataset_dir)
        kinds = self.vocab.enums["release_kind"]
        self.catalog = ReleaseCatalog(
            engine,
            ttl=settings.release_check_seconds,
            kinds=kinds,
            records=self.records,
            wait=settings.database_pool_timeout,
        )
        self._results: BoundedLRU[tuple[object, ...], StatResult] = BoundedLRU(MAX_CACHED_RESULTS)
        self.cache = RepresentationCache()

    def release(self, requested: str) -> ReleaseInfo:
        info = self.catalog.get(requested)
        if info is None:
            known = [r.id for r in self.catalog.all()]
            raise ProblemError(
                404,
                Sentence("problem.unknown_release", {"release": requested, "known": ", ".join(known) or "—"}),
                problem_type="/problems/unknown-release",
                parameter="release",
            )
        return info

    def dimension(self, name: str, release: ReleaseInfo | None = None) -> Dimension:
        years = release.years if release else ()
        return dimension(name, self.settings.dataset_dir, years)

    def levels(self) -> dict[str, tuple[str, ...]]:
        """Allowed values of every dimension (for parameter checks and the docs)."""
        return {name: self.dimension(name).levels for name in DIMENSION_NAMES if name != "year_detained"}

    def compute(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
        """The protected result, computed once per release and canonical query (releases never change)."""
        # Only what changes the numbers is in the key: months windows, labels and the BOM are applied
        # later, so `from=1001-01 … from=1200-01` cannot fill memory with copies of one series.
        filters = tuple(sorted(query.filters.items()))
        key = (statistic, release.id, query.population, filters, query.by, query.sentence_kind)
        result = self._results.get(key)
        if result is None:
            result = self._compute(statistic, query, release)
            self._results.put(key, result)
        return self._window(result, query)

    def table(self, statistic: str, query: StatQuery, release: ReleaseInfo, format: str) -> StatResult:
        """The protected result laid out for `format` (`api.stats.shapes`): tidy for CSV and XLSX."""
        result = self.compute(statistic, query, release)
        population: Value = None
        if statistic == "breakdown" and query.by and not _has_total_row(result):
            # No row of everyone (articles): the share's total is the published count without the split.
            everyone = self.compute(statistic, replace(query, by=()), release).rows
            population = everyone[0].get("count") if len(everyone) == 1 else None
        month_totals: dict[str, tuple[Value, Value]] = {}
        if statistic == "in-custody" and query.by and not _has_total_row(result):
            # Articles again: each month's share is of the series without the split, as published.
            series = self.compute(statistic, replace(query, by=()), release).rows
            month_totals = {str(row["month"]): (row.get("count"), row.get("suppressed")) for row in series}
        return shaped(statistic, result, table_shape(query, format), population, month_totals)

    def _compute(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
        """The answer of the release's publication: a lookup, or a slice of one for two filters."""
        with self.engine.connect() as connection:
            found = stored_answer(connection, release.id, statistic, answer_key(query))
            if found is not None:
                return found
            if not query.filters:
                raise _unpublished(statistic, query)
            # Two filters: the rows of the table by both dimensions, as `by` would split it, or (sentences:
            # no table by two) of the answer to one filter split by the other.
            bases = [replace(query, filters={}, by=query.dimension_names)] + [
                replace(query, filters={name: value}, by=tuple(n for n in query.filters if n != name))
                for name, value in query.filters.items()
            ]
            for base in bases:
                table = stored_answer(connection, release.id, statistic, answer_key(base))
                if table is not None:
                    rest = {name: value for name, value in query.filters.items() if name in base.by}
                    return _slice(table, rest, query.population)
        raise _unpublished(statistic, query)

    @staticmethod
    def _window(result: StatResult, query: StatQuery) -> StatResult:
        """Rows of the months from..to of a series (windows only hide rows; they compute nothing new)."""
        if not (query.month_from or query.month_to) or "month" not in result.columns:
            return result
        low, high = query.month_from or "0000-00", query.month_to or "9999-99"
        rows = tuple(row for row in result.rows if low <= str(row["month"]) <= high)
        suppressed = sum(
            1
            for row in rows
            for column, value in row.items()
            if column.endswith("suppressed") and value is True
        )
        return replace(result, rows=rows, suppressed_cells=suppressed)


def _has_total_row(result: StatResult) -> bool:
    """Whether the table has a row of everyone (a `total` in each dimension) to divide by."""
    return any(all(row.get(name) == TOTAL for name in result.dimensions) for row in result.rows)


def _unpublished(statistic: str, query: StatQuery) -> ProblemError:
    """A query the parser accepts but the publication lacks: a publication made by older code."""
    asked = answer_key(query) or Sentence("problem.no_parameters")
    return ProblemError(
        404,
        Sentence("problem.not_published", {"statistic": statistic, "query": asked}),
        problem_type="/problems/not-published",
    )


def _slice(table: StatResult, filters: dict[str, str], population: str) -> StatResult:
    """The rows of `table` where each filter's column has its value, without the filters' columns."""
    # What a slice counts depends on its filters (a status filter changes whom it counts).
    whom = filters if population == "recognized" else {**filters, "status": population}
    rows = tuple(
        {k: v for k, v in row.items() if k not in filters}
        for row in table.rows
        if all(row.get(name) == value for name, value in filters.items())
    )
    suppressed = sum(1 for row in rows for k, v in row.items() if k.endswith("suppressed") and v is True)
    return StatResult(
        columns=tuple(c for c in table.columns if c not in filters),
        dimensions=tuple(d for d in table.dimensions if d not in filters),
        rows=rows,
        suppressed_cells=suppressed,
        notes=tuple(
            whom_counted(whom, [d for d in table.dimensions if d not in filters])
            if note in WHOM_COUNTED.values()
            else note
            for note in table.notes
        ),
    )
