"""`months_to_hide` on hand-made counts: which months it hides, and when it gives up (then `publish`
refuses). The whole-release check is tests/publication/test_month_sums.py."""

from __future__ import annotations

from api.audit.model import Published
from api.cells import Cell
from api.publication import months

KINDS = ("end_of_term", "pardon")
LEVELS = {"gender": ("female", "male", "unknown")}


def _people(gender: str | None = None) -> dict[str, set[str]]:
    return {"release_kind": {"pardon"}} | ({"gender": {gender}} if gender else {})


def _flow(gender: str, values: list[int | None]) -> list[Published]:
    """The people of `gender` pardoned, month by month from 2025-01."""
    return [
        Published(Cell.of(_people(gender), ("released", f"2025-0{i + 1}")), value, "flows")
        for i, value in enumerate(values)
    ]


def _total(gender: str | None, value: int | None) -> Published:
    """The people (of `gender`) pardoned over all months, as a breakdown shows them."""
    return Published(Cell.of(_people(gender)), value, "breakdown")


def _hide(*counts: Published) -> tuple[list[str], set[Cell]]:
    hide, stuck = months.months_to_hide(counts, KINDS, LEVELS, 5)
    return sorted(c.event[1] for c in hide if c.event is not None), stuck


def test_a_single_hidden_month_gets_a_second_even_a_zero() -> None:
    hidden, stuck = _hide(*_flow("female", [None, 0, 7]), _total("female", 13))
    assert hidden == ["2025-02"] and not stuck  # 6 left over two months: [0, 6] each


def test_a_narrow_remainder_takes_the_smallest_month_with_people() -> None:
    hidden, stuck = _hide(*_flow("female", [None, None, 0, 2, 9]), _total("female", 14))
    assert hidden == ["2025-04"] and not stuck  # 3 left; with the 2, 5


def test_a_count_no_month_can_widen_is_reported() -> None:
    alone = _flow("female", [None])
    hidden, stuck = _hide(*alone, _total("female", 13))
    assert stuck == {alone[0].cell} and not hidden  # the one month is the total


def test_a_remainder_as_small_as_a_shown_total_is_its_whole_range() -> None:
    # The total of 3 is shown, and each hidden month is between 0 and 3: no narrower than the total.
    assert _hide(*_flow("female", [None, None, 0, 0]), _total("female", 3)) == ([], set())


def test_a_flow_whose_total_no_table_tells_is_left_alone() -> None:
    assert _hide(*_flow("female", [None, 0, 7]), _total("female", None)) == ([], set())


def test_a_wide_flow_is_left_alone() -> None:
    assert _hide(*_flow("female", [None, None, 0, 7]), _total("female", 13)) == ([], set())


def test_a_hidden_total_bounded_by_its_visible_months_gets_them_hidden() -> None:
    # The women's and the unknowns' totals are hidden, 8 between them (20 - 12); the women's visible
    # months add up to 6, so their total is 6 to 8 and their hidden months 0 to 2 each. The month-sum
    # guard of before left flows with a hidden total alone.
    counts = [_total(None, 20), _total("male", 12), _total("female", None), _total("unknown", None)]
    hidden, stuck = _hide(*counts, *_flow("female", [None, None, 5, 1]))
    assert hidden == ["2025-03", "2025-04"] and not stuck
