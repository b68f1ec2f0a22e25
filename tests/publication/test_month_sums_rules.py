"""`narrow_month_sums` on hand-made counts: which months it hides, and when it gives up (then
`publish` refuses). The whole-release check is tests/publication/test_month_sums.py."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from api.audit.model import Published
from api.cells import Cell
from api.publication import month_sums

PARDONED = {"gender": {"female"}, "release_kind": {"pardon"}}
KINDS = ("pardon",)


def _answers(months: list[int | None], total: int | None) -> list[Any]:
    """The women pardoned, month by month, and (unless None: hidden) over all months."""
    flows = [
        Published(Cell.of(PARDONED, ("released", f"2025-0{i + 1}")), value, "flows")
        for i, value in enumerate(months)
    ]
    static = [Published(Cell.of(PARDONED), total, "breakdown")]
    return [
        SimpleNamespace(statistic="flows", counts=flows),
        SimpleNamespace(statistic="breakdown", counts=static),
    ]


@pytest.fixture(autouse=True)
def _counts_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(month_sums, "published_counts", lambda answer, kinds: answer.counts)


def _months(cells: set[Cell]) -> list[str]:
    return sorted(c.event[1] for c in cells if c.event is not None)


def test_a_single_hidden_month_gets_a_second_even_a_zero() -> None:
    hide, stuck = month_sums.narrow_month_sums(_answers([None, 0, 7], 13), KINDS, 5)
    assert _months(hide) == ["2025-02"] and not stuck  # 6 left over two months: [0, 6] each


def test_a_narrow_remainder_takes_the_smallest_month_with_people() -> None:
    hide, stuck = month_sums.narrow_month_sums(_answers([None, None, 0, 2, 9], 14), KINDS, 5)
    assert _months(hide) == ["2025-04"] and not stuck  # 3 left; with the 2, 5


def test_a_flow_nothing_can_widen_is_reported() -> None:
    hide, stuck = month_sums.narrow_month_sums(_answers([None, None, 0, 0], 3), KINDS, 5)
    assert stuck == {Cell.of(PARDONED)} and not hide  # 3 left and no month with people to add


def test_a_flow_whose_total_is_hidden_is_left_alone() -> None:
    assert month_sums.narrow_month_sums(_answers([None, 0, 7], None), KINDS, 5) == (set(), set())


def test_a_wide_flow_is_left_alone() -> None:
    assert month_sums.narrow_month_sums(_answers([None, None, 0, 7], 13), KINDS, 5) == (set(), set())
