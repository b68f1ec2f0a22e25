"""The other stories `publish` hides for when the joint audit pins the people who changed between two
releases (`api.audit.joint._Changes`): one person, one attribute otherwise, every count of the earlier
publication kept."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse  # type: ignore[import-untyped]

from api.audit.joint import _Changes
from api.cells import Cell

# A family of two attributes: age band (A, B) × release kind (not released, pardon); combination
# numbers 0 (A, in), 1 (A, pardon), 2 (B, in), 3 (B, pardon).
SHAPE = (2, 2)
COUNTS = {
    "age A": [0, 1],
    "age B": [2, 3],
    "in custody": [0, 2],
    "pardoned": [1, 3],
    "A in custody": [0],
    "A pardoned": [1],
    "B in custody": [2],
    "B pardoned": [3],
}
HEADLINES = {"in custody", "pardoned"}


def _changes(before: int, after: int, stayed: list[int], headlines: set[str] = HEADLINES) -> _Changes:
    shown = sparse.csr_matrix(
        [[1.0 if c in combinations else 0.0 for c in range(4)] for combinations in COUNTS.values()]
    )
    cells = [None if name in headlines else Cell.of({"region": {name}}) for name in COUNTS]
    return _Changes(
        shape=SHAPE,
        before=np.array([before]),
        after=np.array([after]),
        stayed=np.array(stayed),
        feasible=(np.ones(4, dtype=bool), np.ones(4, dtype=bool)),
        shown=shown,
        values=np.ones(len(COUNTS)),
        cells=cells,
        members=sparse.csr_matrix([[1.0, 1.0, 0.0, 0.0]]),  # the target: age band A
        first=0,
        entered_first=True,
    )


def _names(cells: tuple[Cell, ...]) -> set[str]:
    return {next(iter(dict(cell.conditions)["region"])) for cell in cells}


@pytest.mark.parametrize(
    ("before", "after", "telling"),
    [
        # She moved from (A, in custody) to (A, pardoned). Told of someone of age band B instead, every
        # age band's total and both headlines stay the same; only the four counts of one age band and
        # one kind differ, and hiding those four is enough.
        pytest.param(0, 1, {"A in custody", "A pardoned", "B in custody", "B pardoned"}, id="pardon"),
        # Someone recognized since (not in the earlier release), in (A, in custody): the other story puts
        # them in (B, in custody), and the counts of both age bands tell them apart.
        pytest.param(-1, 0, {"age A", "age B", "A in custody", "B in custody"}, id="newcomer"),
    ],
)
def test_the_other_story_is_the_same_change_in_the_other_age_band(
    before: int, after: int, telling: set[str]
) -> None:
    changes = _changes(before=before, after=after, stayed=[5, 2, 6, 3])
    assert _names(changes.alternative(0, entered=True, need=1)) == telling


def test_no_story_without_someone_to_have_stayed_in_their_place() -> None:
    """Nobody of age band B stayed in custody: the earlier publication's count of B in custody would be
    too small for the other story, so there is none."""
    assert _changes(before=0, after=1, stayed=[5, 2, 0, 3]).alternative(0, entered=True, need=1) == ()


def test_no_story_that_needs_a_headline_hidden() -> None:
    headlines = HEADLINES | {"B pardoned"}
    changes = _changes(before=0, after=1, stayed=[5, 2, 6, 3], headlines=headlines)
    assert changes.alternative(0, entered=True, need=1) == ()


def test_two_people_need_two_stories() -> None:
    """One person changed: a target that must widen by two can't be widened by stories of one."""
    assert _changes(before=0, after=1, stayed=[5, 2, 6, 3]).alternative(0, entered=True, need=2) == ()
