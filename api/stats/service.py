"""The statistics of one release for one checked query — the only way routes reach the data."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from sqlalchemy import Engine

from api.problems import ProblemError
from api.query import StatQuery
from api.responses import RepresentationCache
from api.settings import Settings
from api.stats.breakdown import breakdown
from api.stats.cube import Slice
from api.stats.dimensions import DIMENSION_NAMES, Dimension, Vocabularies, dimension, vocabularies
from api.stats.flows import flows
from api.stats.in_custody import in_custody
from api.stats.releases import ReleaseCatalog, ReleaseInfo
from api.stats.result import StatResult
from api.stats.sentences import sentences
from api.stats.summary import summary

STATISTICS = ("summary", "in-custody", "flows", "sentences", "breakdown")
MAX_CACHED_RESULTS = 4096
"""More than every table the API can publish for a few releases (a release has a few thousand)."""


class StatisticsService:
    """Resolves releases, computes statistics through the disclosure policy, remembers the results."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.vocab: Vocabularies = vocabularies(settings.dataset_dir)
        kinds = self.vocab.enums["release_kind"]
        self.catalog = ReleaseCatalog(engine, ttl=settings.release_check_seconds, kinds=kinds)
        self._results: OrderedDict[tuple[object, ...], StatResult] = OrderedDict()
        self.cache = RepresentationCache()
        self._lock = threading.Lock()

    def release(self, requested: str) -> ReleaseInfo:
        info = self.catalog.get(requested)
        if info is None:
            known = [r.id for r in self.catalog.all()]
            raise ProblemError(
                404,
                f"No release '{requested}'. Known releases: {', '.join(known) or 'none'}.",
                title="Unknown release",
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
        key = (statistic, release.id, tuple(sorted(query.filters.items())), query.by, query.sentence_kind)
        with self._lock:
            result = self._results.get(key)
            if result is not None:
                self._results.move_to_end(key)
        if result is None:
            result = self._compute(statistic, query, release)
            with self._lock:
                self._results[key] = result
                while len(self._results) > MAX_CACHED_RESULTS:
                    self._results.popitem(last=False)
        return self._window(result, query)

    def _compute(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
        k, min_group = self.settings.suppression_threshold, self.settings.min_group_size
        filters = dict(query.filters)
        names = (*filters, *(name for name in query.by if name not in filters))
        view = Slice(tuple(self.dimension(name, release) for name in names), filters)
        with self.engine.connect() as connection:
            if statistic == "summary":
                return summary(connection, release, view, lambda n: self.dimension(n, release), k, min_group)
            if statistic == "in-custody":
                return in_custody(connection, release, view, k)
            if statistic == "flows":
                return flows(connection, release, view, self.dimension("release_kind", release), k)
            if statistic == "sentences":
                kind = self.dimension("sentence_kind", release)
                chosen = query.sentence_kind or "prison"
                return sentences(connection, release, kind, chosen, view, k, min_group)
            return breakdown(connection, release, view, k)

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
