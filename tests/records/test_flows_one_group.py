"""Monthly flows for one group (issue 17: "how many women were recognized, and released, each month?"),
protected from the records of the bundled demonstration release, without its suppression list (the list
hides again all the committed publication hid: with it these tests would pass whatever the tables'
own protection did).

The attacks use the series in custody by the same dimension, which is public too:
- the balance of a month, in custody before + recognized = in custody after + released: a line with
  exactly one hidden member is recovered by subtraction;
- a hidden month next to a shown one, when the group's recognitions and releases of the month between
  (which its flows publish) are fewer than p: the shown neighbour pins it within less than p.
The months of a flow add up to a count the static tables show: `publish` protects that
(tests/publication/test_month_sums.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest
from sqlalchemy import text

from api.cells import Withheld
from api.db import create_db_engine
from api.query import FLOW_FILTERS
from api.records.cube import Slice
from api.records.flows import flows
from api.records.in_custody import in_custody
from api.records.statistics import RecordStatistics
from api.settings import Settings
from api.stats.months import months_between
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult

K = P = 5


@pytest.fixture(scope="module")
def service(records_url: str) -> RecordStatistics:
    return RecordStatistics(create_db_engine(records_url), Settings(database_url=records_url))


def _release(service: RecordStatistics) -> ReleaseInfo:
    release = service.release("demo-2026-03")
    return replace(release, withheld=Withheld(kinds=release.withheld.kinds))


def _series(service: RecordStatistics, name: str) -> dict[tuple[str, str], int | None]:
    """The series in custody by `name`: (month, level) → published count (None: hidden)."""
    release = _release(service)
    with service.engine.connect() as connection:
        result = in_custody(connection, release, Slice((service.dimension(name, release),), {}), K)
    return {(str(r["month"]), str(r[name])): _count(r["count"]) for r in result.rows}


def _flows(service: RecordStatistics, name: str, level: str) -> StatResult:
    release = _release(service)
    view = Slice((service.dimension(name, release),), {name: level})
    with service.engine.connect() as connection:
        return flows(connection, release, view, service.dimension("release_kind", release), K)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _moved(service: RecordStatistics, name: str) -> Counter[tuple[str, str]]:
    """The recognitions plus releases of each (month, level), from the records."""
    moved: Counter[tuple[str, str]] = Counter()
    sql = f"select {name}, recognized_on, released_on from \"case\" where release_id = 'demo-2026-03'"
    with service.engine.connect() as connection:
        for level, recognized, released in connection.execute(text(sql)):
            for month in (recognized, released):
                if month is not None:
                    moved[(str(month)[:7], str(level))] += 1
    return moved


@pytest.mark.parametrize("name", FLOW_FILTERS)
def test_no_month_of_a_group_balances_with_exactly_one_hidden_member(
    service: RecordStatistics, name: str
) -> None:
    series = _series(service, name)
    release = _release(service)
    months = months_between(release.first_recognized, release.as_of_month)
    checked = 0
    for level in service.dimension(name, release).levels:
        rows = {str(r["month"]): r for r in _flows(service, name, level).rows}
        for before, month in pairwise(("", *months)):
            row = rows[month]
            members = [
                series.get((before, level)) if before else 0,  # nobody in custody before the first month
                _count(row["recognized"]),
                series.get((month, level)),
                _count(row["released_total"]),
            ]
            hidden = sum(m is None for m in members)
            assert hidden != 1, (name, level, month, members)
            checked += hidden > 1
    assert checked  # some months hide several members: the check has something to check


@pytest.mark.parametrize("name", FLOW_FILTERS)
def test_a_hidden_month_beside_a_shown_one_moved_by_at_least_p(service: RecordStatistics, name: str) -> None:
    """With the group's flows public, a month's change in custody is at most the group's recognitions
    plus releases of the month: below p, a shown neighbour pins a hidden count."""
    series, moved = _series(service, name), _moved(service, name)
    release = _release(service)
    months = months_between(release.first_recognized, release.as_of_month)
    beside = 0
    for level in service.dimension(name, release).levels:
        for before, month in pairwise(months):
            counts = series.get((before, level)), series.get((month, level))
            if (counts[0] is None) != (counts[1] is None):
                beside += 1
                assert moved[(month, level)] >= P, (name, level, before, month, counts)
    assert beside  # hidden months beside shown ones exist: the check has something to check


@pytest.mark.parametrize("name", FLOW_FILTERS)
def test_a_group_flows_show_the_number_of_people(service: RecordStatistics, name: str) -> None:
    release = _release(service)
    truth: Counter[tuple[str, str, str]] = Counter()
    sql = (
        f'select {name}, recognized_on, released_on, release_kind from "case" '
        "where release_id = 'demo-2026-03'"
    )
    with service.engine.connect() as connection:
        for level, recognized, released, kind in connection.execute(text(sql)):
            truth[(str(recognized)[:7], str(level), "recognized")] += 1
            if released is not None:
                truth[(str(released)[:7], str(level), f"released_{kind}")] += 1
                truth[(str(released)[:7], str(level), "released_total")] += 1
    shown = 0
    for level in service.dimension(name, release).levels:
        for row in _flows(service, name, level).rows:
            for column, value in row.items():
                if column == "month" or column.endswith("_suppressed") or value is None:
                    continue
                assert value == truth[(str(row["month"]), level, column)], (level, row["month"], column)
                assert value == 0 or value >= K, (level, row["month"], column)
                shown += 1
    assert shown
