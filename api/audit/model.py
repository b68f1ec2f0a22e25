"""What a published count counts: the set of people it describes, and those people coded for the audit.

Every count the API publishes is the number of people of one release who satisfy a conjunction of
conditions on their attributes (`Cell`), sometimes tied to a month (`event`): in custody at the end of
the month, recognized in it, released in it. The audit rebuilds each published count from the coded
people (`People`) to check that it models the service correctly before it reasons about what is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sqlalchemy import Engine, select

from api.cells import NOT_RELEASED, STATIC_ATTRIBUTES, Cell
from api.records.held import HELD_BINS, months_held
from api.records.sentences import SENTENCE_BINS
from api.records.tables import CASE, CASE_ARTICLE
from api.stats.dimensions import Vocabularies
from api.stats.months import month_index, months_between
from api.stats.releases import ReleaseInfo

NO_LENGTH = "none"


@dataclass(frozen=True)
class Published:
    """One published count: its cell, its value (None when suppressed) and where it was published."""

    cell: Cell
    value: int | None
    source: str


@dataclass(frozen=True)
class People:
    """The people of one release with their attributes as integer codes into `domains`.

    `recognized` and `released` are month indexes into `months` (released: `len(months)` while in custody).
    """

    domains: dict[str, tuple[str, ...]]
    article_sets: tuple[frozenset[str], ...]
    codes: dict[str, np.ndarray]
    recognized: np.ndarray
    released: np.ndarray
    months: tuple[str, ...]
    ids: tuple[str, ...] = ()
    """Each person's case id (to match the people of two releases)."""

    @cached_property
    def month_index(self) -> dict[str, int]:
        return {month: i for i, month in enumerate(self.months)}

    @property
    def size(self) -> int:
        return len(self.recognized)

    def allowed(self, attribute: str, values: frozenset[str]) -> np.ndarray:
        """Which codes of `attribute` a condition allows (for `article`: the sets meeting `values`)."""
        if attribute == "article":
            return np.array([bool(s & values) for s in self.article_sets])
        return np.array([v in values for v in self.domains[attribute]])


def load_people(engine: Engine, release: ReleaseInfo, vocab: Vocabularies) -> People:
    """Read and code every person of `release` (the record-level rows never leave this process)."""
    rows, articles = _read(engine, release)
    sets = sorted({frozenset(articles.get(row[0], ())) for row in rows}, key=sorted)
    months = months_between(release.first_recognized, release.as_of_month)
    return _code(rows, articles, _domains(vocab, release.years), sets, months)


def load_pair(
    engine: Engine, earlier: ReleaseInfo, release: ReleaseInfo, vocab: Vocabularies
) -> tuple[People, People]:
    """The people of two releases coded alike (one set of domains, one month numbering), so that a
    person's codes in both can be compared; the earlier release's months end at its as-of month."""
    read = [_read(engine, r) for r in (earlier, release)]
    sets = sorted(
        {frozenset(articles.get(row[0], ())) for rows, articles in read for row in rows}, key=sorted
    )
    years = tuple(sorted(set(earlier.years) | set(release.years)))
    first = min(earlier.first_recognized, release.first_recognized)
    return (
        _code(*read[0], _domains(vocab, years), sets, months_between(first, earlier.as_of_month)),
        _code(*read[1], _domains(vocab, years), sets, months_between(first, release.as_of_month)),
    )


_Row = tuple[str, str, str, str, str, str | None, str, int | None, str, str | None]


def _read(engine: Engine, release: ReleaseInfo) -> tuple[list[_Row], dict[str, set[str]]]:
    columns = (
        CASE.c.case_id,
        CASE.c.gender,
        CASE.c.age_band,
        CASE.c.region,
        CASE.c.sentence_kind,
        CASE.c.release_kind,
        CASE.c.detained_on,
        CASE.c.sentence_months,
        CASE.c.recognized_on,
        CASE.c.released_on,
    )
    articles: dict[str, set[str]] = {}
    with engine.connect() as connection:
        rows = connection.execute(
            select(*columns).where(CASE.c.release_id == release.id).order_by(CASE.c.case_id)
        ).all()
        links = select(CASE_ARTICLE.c.case_id, CASE_ARTICLE.c.article)
        for case_id, article in connection.execute(links.where(CASE_ARTICLE.c.release_id == release.id)):
            articles.setdefault(str(case_id), set()).add(str(article))
    coded: list[_Row] = [
        (
            str(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            str(r[6]),
            r[7],
            str(r[8]),
            None if r[9] is None else str(r[9]),
        )
        for r in rows
    ]
    return coded, articles


def _domains(vocab: Vocabularies, years: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {
        "gender": vocab.enums["gender"],
        "age_band": vocab.enums["age_band"],
        "region": vocab.enums["region"],
        "sentence_kind": vocab.enums["sentence_kind"],
        "release_kind": (*vocab.enums["release_kind"], NOT_RELEASED),
        "year_detained": years,
        "sentence_bin": (*SENTENCE_BINS.labels, NO_LENGTH),
        "held_bin": (*HELD_BINS.labels, NO_LENGTH),
    }


def _code(
    rows: list[_Row],
    articles: dict[str, set[str]],
    domains: dict[str, tuple[str, ...]],
    sets: list[frozenset[str]],
    months: tuple[str, ...],
) -> People:
    set_index = {s: i for i, s in enumerate(sets)}
    index = {name: {value: i for i, value in enumerate(values)} for name, values in domains.items()}
    first = month_index(months[0])
    values: dict[str, list[int]] = {name: [] for name in STATIC_ATTRIBUTES}
    recognized, released = [], []
    for case_id, gender, age, region, kind, how, detained, length, rec, rel in rows:
        values["gender"].append(index["gender"][gender])
        values["age_band"].append(index["age_band"][age])
        values["region"].append(index["region"][region])
        values["sentence_kind"].append(index["sentence_kind"][kind])
        values["release_kind"].append(index["release_kind"][how or NOT_RELEASED])
        values["year_detained"].append(index["year_detained"][detained[:4]])
        values["sentence_bin"].append(
            index["sentence_bin"][NO_LENGTH if length is None else SENTENCE_BINS.of(length)]
        )
        held = NO_LENGTH if rel is None else HELD_BINS.of(months_held(detained, rel))
        values["held_bin"].append(index["held_bin"][held])
        values["article"].append(set_index[frozenset(articles.get(case_id, ()))])
        recognized.append(month_index(rec) - first)
        released.append(len(months) if rel is None else month_index(rel) - first)
    return People(
        domains=domains | {"article": tuple(";".join(sorted(s)) for s in sets)},
        article_sets=tuple(sets),
        codes={name: np.asarray(v, dtype=np.int64) for name, v in values.items()},
        recognized=np.asarray(recognized, dtype=np.int64),
        released=np.asarray(released, dtype=np.int64),
        months=months,
        ids=tuple(row[0] for row in rows),
    )
