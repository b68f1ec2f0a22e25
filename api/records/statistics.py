"""Statistics computed from record-level releases, through the disclosure policy: what `publish`
puts in a publication. Only a curator's private workspace has the records (`api.records.tables`)."""

from __future__ import annotations

import json
from dataclasses import replace
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, func, select

from api.cells import Cell, Consulted, consulted
from api.query import StatQuery
from api.records.breakdown import breakdown
from api.records.changes import case_changes
from api.records.cube import Slice
from api.records.flows import flows
from api.records.held import held_before_release
from api.records.in_custody import in_custody
from api.records.sentences import sentences
from api.records.summary import summary
from api.records.tables import CASE, RELEASE_SUPPRESSION
from api.records.time_in_custody import time_in_custody
from api.stats.releases import First, ReleaseInfo
from api.stats.result import StatResult
from api.stats.service import StatisticsService

REMEMBERED = ("summary", "in-custody", "flows", "held-before-release", "sentences", "breakdown")
"""The statistics computed from the records and the release's suppression list alone (`changes` also
reads the release before; `time-in-custody` reads other answers, each remembered on its own)."""
_ANSWERS: WeakKeyDictionary[Engine, dict[tuple[object, ...], tuple[StatResult, tuple[Consulted, ...]]]] = (
    WeakKeyDictionary()
)
"""Each workspace's answers, with the questions each asked of the suppression list. `publish` protects
and audits round after round, each round adding a few sets of people to the list and computing every
answer again: an answer whose questions the list now answers alike is the same answer (the records of
a workspace never change, `api.records.cube._COUNTED`), and most are."""


class Workspace:
    """What the release catalogue reads from a workspace's record-level tables (`RecordLevel`)."""

    def suppression_lists(self, connection: Connection) -> dict[tuple[str, bool], set[Cell]]:
        listed: dict[tuple[str, bool], set[Cell]] = {}
        columns = RELEASE_SUPPRESSION.c.release_id, RELEASE_SUPPRESSION.c.hidden, RELEASE_SUPPRESSION.c.cell
        for release_id, hidden, cell in connection.execute(select(*columns)):
            listed.setdefault((release_id, bool(hidden)), set()).add(Cell.from_json(json.loads(cell)))
        return listed

    def first_months(self, connection: Connection, ids: list[str]) -> dict[str, First]:
        query = (
            select(CASE.c.release_id, func.min(CASE.c.detained_on), func.min(CASE.c.recognized_on))
            .where(CASE.c.release_id.in_(ids))
            .group_by(CASE.c.release_id)
        )
        return {row[0]: (row[1], row[2]) for row in connection.execute(query).all()}


class RecordStatistics(StatisticsService):
    """The statistics service of a workspace of record-level releases: it computes every answer."""

    records = Workspace()

    def _compute(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
        if statistic not in REMEMBERED:
            return self._compute_now(statistic, query, release)
        k, min_group = self.settings.suppression_threshold, self.settings.min_group_size
        filters = tuple(sorted(query.filters.items()))
        key = (statistic, release.id, k, min_group, filters, query.by, query.population, query.sentence_kind)
        remembered = _ANSWERS.setdefault(self.engine, {})
        earlier = remembered.get(key)
        if earlier is not None and all(asked.same_under(release.withheld) for asked in earlier[1]):
            return earlier[0]
        with consulted() as asked:
            result = self._compute_now(statistic, query, release)
        remembered[key] = (result, tuple(asked))
        return result

    def _compute_now(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
        if statistic == "time-in-custody":
            return self._time_in_custody(query, release)
        k, min_group = self.settings.suppression_threshold, self.settings.min_group_size
        filters = dict(query.filters)
        names = (*filters, *(name for name in query.by if name not in filters))
        view = Slice(tuple(self.dimension(name, release) for name in names), filters)
        with self.engine.connect() as connection:
            if statistic == "changes":
                previous = self.catalog.previous(release)
                if previous is None:
                    raise ValueError(f"{release.id} is the first release: it has no changes")
                return case_changes(connection, release.id, previous.id, k)
            if statistic == "summary":
                return summary(connection, release, view, lambda n: self.dimension(n, release), k, min_group)
            if statistic == "in-custody":
                return in_custody(connection, release, view, k)
            if statistic == "flows":
                return flows(connection, release, view, self.dimension("release_kind", release), k)
            if statistic == "held-before-release":
                return held_before_release(connection, release, view, k, min_group)
            if statistic == "sentences":
                kind = self.dimension("sentence_kind", release)
                chosen = query.sentence_kind or "prison"
                return sentences(connection, release, kind, chosen, view, k, min_group)
            return breakdown(connection, release, view, k, query.population)

    def _time_in_custody(self, query: StatQuery, release: ReleaseInfo) -> StatResult:
        """Read off protected answers of the same release (`api.records.time_in_custody`): the series
        as asked, and without a dimension, its split by year of detention for who is in custody now."""
        series = self.compute("in-custody", query, release)
        by_year = None
        if not query.dimension_names:
            by_year = self.compute("in-custody", replace(query, by=("year_detained",)), release)
        return time_in_custody(series, by_year, release.valid_as_of)
