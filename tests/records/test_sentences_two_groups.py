"""Sentence lengths of two groups at once (issue 17: "median prison sentence under article 342, for
women and men"): a slice of the three-way table filter × split × bin, protected from the records of the
bundled demonstration release.

The attacks: subtracting a line of the cube that crosses slices (every line, in every direction a
reader can add up, hides none or at least two of its members); a visible part of a count another table
hides (it would bound that count from below); the same people shown in one orientation of the pair and
hidden in the other."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import product

import pytest
from sqlalchemy import Engine

from api.cells import Withheld
from api.db import create_db_engine
from api.query import SENTENCE_PAIRS
from api.records.breakdown import protected_breakdown
from api.records.cube import Slice
from api.records.sentences import SENTENCE_BINS, _one_way, protected_cube
from api.records.statistics import RecordStatistics
from api.settings import Settings
from api.stats.dimensions import Dimension
from api.stats.releases import ReleaseInfo
from api.table import TOTAL, Key, PublishedEntry

K = 5
LABELS = SENTENCE_BINS.labels
KINDS = ("prison",)
PAIRS = SENTENCE_PAIRS
"""The pairs offered: article × gender (articles do not sum: slices cut one way) and two whose
dimensions both sum (slices cut both ways)."""


@pytest.fixture(scope="module")
def service(records_url: str) -> RecordStatistics:
    return RecordStatistics(create_db_engine(records_url), Settings(database_url=records_url))


def _dims(service: RecordStatistics, pair: tuple[str, str]) -> tuple[Dimension, Dimension]:
    release = service.release("demo-2026-03")
    first, second = pair
    return service.dimension(first, release), service.dimension(second, release)


def _release(service: RecordStatistics) -> ReleaseInfo:
    """The release without its suppression list: the list hides again all the committed publication
    hid, so with it these tests would pass whatever the cube's own protection did."""
    release = service.release("demo-2026-03")
    return replace(release, withheld=Withheld(kinds=release.withheld.kinds))


def _cube(service: RecordStatistics, pair: tuple[str, str], kind: str) -> dict[Key, PublishedEntry]:
    release = _release(service)
    engine: Engine = service.engine
    with engine.connect() as connection:
        kinds = service.dimension("sentence_kind", release)
        return protected_cube(connection, release, kinds, kind, _dims(service, pair), K)


def _truth(service: RecordStatistics, pair: tuple[str, str], kind: str) -> Counter[Key]:
    """Counts of people by (first, second, bin) straight from the records, margins by pair of levels."""
    from sqlalchemy import text

    first, second = pair
    joins = "join case_article a on a.release_id = c.release_id and a.case_id = c.case_id"
    column = {name: ("a.article" if name == "article" else f"c.{name}") for name in pair}
    sql = (
        f'select {column[first]}, {column[second]}, c.sentence_months from "case" c {joins} '
        if "article" in pair
        else f'select {column[first]}, {column[second]}, c.sentence_months from "case" c '
    )
    sql += "where c.release_id = 'demo-2026-03' and c.sentence_kind = :kind and c.sentence_months is not null"
    truth: Counter[Key] = Counter()
    with service.engine.connect() as connection:
        for a, b, months in connection.execute(text(sql), {"kind": kind}):
            truth[(a, b, SENTENCE_BINS.of(int(months)))] += 1
            truth[(a, b, TOTAL)] += 1
    return truth


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pair", PAIRS)
def test_every_visible_cell_is_the_number_of_people(
    service: RecordStatistics, pair: tuple[str, str], kind: str
) -> None:
    cube, truth = _cube(service, pair, kind), _truth(service, pair, kind)
    shown = hidden = 0
    for key, cell in cube.items():
        if TOTAL in key[:2]:
            continue
        if cell.suppressed:
            assert cell.value is None
            hidden += 1
        else:
            assert cell.value == truth[key], key
            assert cell.value == 0 or cell.value >= K, key
            shown += 1
    assert shown and hidden  # both branches run


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pair", PAIRS)
def test_no_line_of_the_cube_hides_exactly_one_member(
    service: RecordStatistics, pair: tuple[str, str], kind: str
) -> None:
    """Every line a reader can add up: a group's bins to its size, and a bin's groups (of an additive
    dimension) to the other dimension's one-way cell; either way round, across slices."""
    cube = _cube(service, pair, kind)
    first, second = _dims(service, pair)
    lines: list[tuple[list[Key], Key]] = []
    for a, b in product(first.levels, second.levels):
        lines.append(([(a, b, label) for label in LABELS], (a, b, TOTAL)))
    for label in (*LABELS, TOTAL):
        if second.additive:
            lines += [([(a, b, label) for b in second.levels], (a, TOTAL, label)) for a in first.levels]
        if first.additive:
            lines += [([(a, b, label) for a in first.levels], (TOTAL, b, label)) for b in second.levels]
    lonely = [
        hidden[0]
        for interior, margin in lines
        if len(hidden := [key for key in (*interior, margin) if cube[key].suppressed]) == 1
        and not _inside_a_visible_zero(cube, hidden[0])
    ]
    assert not lonely


def _inside_a_visible_zero(cube: dict[Key, PublishedEntry], key: Key) -> bool:
    """A count some visible zero contains is known to be zero (another table shows that zero)."""
    wider = (other for other in product(*((k, TOTAL) for k in key)) if other != key)
    return any(cube[other].value == 0 for other in wider)


@pytest.mark.parametrize("pair", PAIRS)
def test_no_visible_part_of_a_count_another_table_hides(
    service: RecordStatistics, pair: tuple[str, str]
) -> None:
    """A visible part bounds a hidden count from below: inside a count hidden by the one-way tables or by
    the breakdown by both dimensions, every cell is hidden (or zero inside a visible zero)."""
    cube = _cube(service, pair, "prison")
    first, second = _dims(service, pair)
    release = _release(service)
    kinds = service.dimension("sentence_kind", release)
    with service.engine.connect() as connection:
        one = [_one_way(connection, release, kinds, "prison", d, K) for d in (first, second)]
        both = {
            c.key: c.suppressed
            for c in protected_breakdown(connection, release, Slice((first, second), {}), K).cells
        }
    checked = 0
    for (a, b, label), cell in cube.items():
        if TOTAL in (a, b):
            continue
        containers = [one[0][(a, m)] for m in (label, TOTAL)] + [one[1][(b, m)] for m in (label, TOTAL)]
        if any(c.value == 0 for c in containers):
            continue
        if both[(a, b)] or any(c.suppressed for c in containers):
            assert cell.suppressed, (a, b, label)
            checked += 1
    assert checked


@pytest.mark.parametrize("pair", PAIRS)
def test_both_orientations_of_a_pair_publish_the_same_cells(
    service: RecordStatistics, pair: tuple[str, str]
) -> None:
    forward = _cube(service, pair, "prison")
    backward = _cube(service, (pair[1], pair[0]), "prison")
    turned = {(key[1], key[0], key[2]): (cell.value, cell.suppressed) for key, cell in backward.items()}
    assert {key: (cell.value, cell.suppressed) for key, cell in forward.items()} == turned
