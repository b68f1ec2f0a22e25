"""The finite set of published tables of a release: one canonical statistics query each.

A download is never a new computation: every table here is a query the statistics endpoints answer,
with their default parameters, so a table's CSV is the CSV of `/v1/stats/...` for the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from urllib.parse import urlencode

from api.dataset.files import SENTENCE_KINDS_WITHOUT_LENGTH
from api.query import POPULATION_PAIRS, StatQuery
from api.stats.dimensions import DIMENSION_NAMES

HEADLINE_ROWS = {
    ("recognized", "total"),
    ("in_custody", "total"),
    ("in_custody", "female"),
    ("released", "total"),
}
"""The summary's rows that the release changes and the review compare: (measure, category)."""

SERIES_DIMENSIONS = tuple(name for name in DIMENSION_NAMES if name != "status")
"""What an in-custody series or a sentence distribution may be split by (as `/v1/stats`)."""

_PHRASES = {
    "gender": "gender",
    "age_band": "age band at detention",
    "region": "region of detention",
    "article": "criminal-code article",
    "sentence_kind": "kind of sentence",
    "release_kind": "how they left custody",
    "status": "status (in custody or released)",
    "year_detained": "year of detention",
}


@dataclass(frozen=True)
class TableSpec:
    """A published table: its file name, the statistic and the query that produce it."""

    name: str
    statistic: str
    by: tuple[str, ...] = ()
    sentence_kind: str | None = None
    title: str = ""
    part: str | None = None
    """Sentences: the histogram or the quantiles (one row shape per table)."""
    population: str = "recognized"
    """Breakdowns: whom the counts describe (`api.query.POPULATIONS`)."""

    def query(self, release_id: str) -> StatQuery:
        return StatQuery(
            release=release_id,
            by=self.by,
            sentence_kind=self.sentence_kind,
            part=self.part,
            population=self.population,
        )

    def api_path(self, release_id: str) -> str:
        """The statistics URL that answers with the same CSV."""
        params = [*self.query(release_id).canonical_params(release_id), ("format", "csv")]
        return f"/v1/stats/{self.statistic}?{urlencode(params)}"


def _slug(*parts: str) -> str:
    return "-".join(part.replace("_", "-") for part in parts)


def _split(by: tuple[str, ...]) -> str:
    return (", by " + " and by ".join(_PHRASES[name] for name in by)) if by else ""


def published_tables(sentence_kinds: tuple[str, ...]) -> tuple[TableSpec, ...]:
    """Every table, in a fixed order; `sentence_kinds` are the levels of the sentence_kind dimension."""
    tables = [
        TableSpec("summary", "summary", title="Headline figures: in custody, recognized, released, sentences")
    ]
    # Not by how people were later released: a count in custody is not split by its future.
    for by in ((), *((name,) for name in SERIES_DIMENSIONS if name != "release_kind")):
        tables.append(
            TableSpec(
                _slug("in-custody", *(("by", *by) if by else ())),
                "in-custody",
                by,
                title="People in custody at the end of each month" + _split(by),
            )
        )
    tables.append(TableSpec("flows", "flows", title="Recognitions and releases (by kind) per month"))
    for by in ((), *((name,) for name in SERIES_DIMENSIONS if name not in ("release_kind", "year_detained"))):
        tables.append(
            TableSpec(
                _slug("time-in-custody", *(("by", *by) if by else ())),
                "time-in-custody",
                by,
                title="Person-years in custody per year, and the people in custody by year of detention"
                + _split(by),
            )
        )
    # Kinds whose length must be empty (fine, pending) have no distribution to publish.
    for kind in (k for k in sentence_kinds if k not in SENTENCE_KINDS_WITHOUT_LENGTH):
        for by in ((), *((name,) for name in SERIES_DIMENSIONS if name != "sentence_kind")):
            for part, suffix in (("histogram", ()), ("quantiles", ("quantiles",))):
                tables.append(
                    TableSpec(
                        _slug("sentences", kind, *suffix, *(("by", *by) if by else ())),
                        "sentences",
                        by,
                        kind,
                        f"Lengths of {kind.replace('_', ' ')} sentences in months: {part}" + _split(by),
                        part,
                    )
                )
    for by in ((), *((name,) for name in SERIES_DIMENSIONS if name != "year_detained")):
        for part, suffix in (("histogram", ()), ("quantiles", ("quantiles",))):
            tables.append(
                TableSpec(
                    _slug("held-before-release", *suffix, *(("by", *by) if by else ())),
                    "held-before-release",
                    by,
                    title=f"Months the people released were held, from detention to release: {part}"
                    + _split(by),
                    part=part,
                )
            )
    for size in (1, 2):
        for by in combinations(DIMENSION_NAMES, size):
            tables.append(
                TableSpec(
                    _slug("breakdown-by", *(by[:1] if size == 1 else (by[0], "and", by[1]))),
                    "breakdown",
                    by,
                    title="People" + _split(by),
                )
            )
    # By one dimension a population is a slice of the breakdown by it and status (above).
    for population, slug, who in (
        ("in_custody", "in-custody-now", "People in custody on the as-of date"),
        ("released", "released", "People released by the as-of date"),
    ):
        for by in combinations(POPULATION_PAIRS, 2):
            tables.append(
                TableSpec(
                    _slug("breakdown", slug, "by", by[0], "and", by[1]),
                    "breakdown",
                    by,
                    title=who + _split(by),
                    population=population,
                )
            )
    return tuple(tables)
