"""Statistics computed from record-level releases, through the disclosure policy: what `publish`
puts in a publication. Only a curator's private workspace has the records (`api.records`)."""

from __future__ import annotations

from api.query import StatQuery
from api.stats.breakdown import breakdown
from api.stats.changes import case_changes
from api.stats.cube import Slice
from api.stats.flows import flows
from api.stats.in_custody import in_custody
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult
from api.stats.sentences import sentences
from api.stats.service import StatisticsService
from api.stats.summary import summary


class RecordStatistics(StatisticsService):
    """The statistics service of a workspace of record-level releases: it computes every answer."""

    records = True

    def _compute(self, statistic: str, query: StatQuery, release: ReleaseInfo) -> StatResult:
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
            if statistic == "sentences":
                kind = self.dimension("sentence_kind", release)
                chosen = query.sentence_kind or "prison"
                return sentences(connection, release, kind, chosen, view, k, min_group)
            return breakdown(connection, release, view, k)
