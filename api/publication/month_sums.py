"""The months of a flow add up to a count of the whole release: everyone recognized, or released by
pardon, is also a count of the breakdowns and the summary (for one group too: the women released by
pardon). What the visible months of a flow leave over for its hidden ones is then known, and each
hidden month lies between 0 and that remainder. The tables protect each month on its own, and the
audit's families are month by month, so neither sees it (a review found it on the flows of one age
band: three hidden months of 1 each left a remainder of 3).

`narrow_month_sums` finds the flows whose total another table shows and whose hidden months are one
alone, or share a remainder from 1 to p−1, and names visible months to hide with them (the smallest
first): `publish` puts them on the release's list and protects again. A flow whose total is hidden
is left alone here: its months bound that total from below, which nothing checks yet (the audit's
families are month by month).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from api.audit.model import Published
from api.audit.publication import Answer, published_counts
from api.cells import Cell


def narrow_month_sums(
    answers: Sequence[Answer], kinds: tuple[str, ...], p: int
) -> tuple[set[Cell], set[Cell]]:
    """Visible months to hide so that every flow whose total another table shows has its hidden months
    none, or at least two sharing a remainder of 0 or at least `p`; and the totals of the flows that
    no hiding can fix (too few months, or too few people, left to hide)."""
    lines: dict[Cell, list[Published]] = defaultdict(list)
    totals: dict[Cell, int] = {}
    for answer in answers:
        for count in published_counts(answer, kinds):
            if count.cell.event is None:
                if count.value is not None:
                    totals[count.cell] = count.value
            elif answer.statistic == "flows":
                # Over all months: everyone recognized, or released (by kind, or of any kind).
                people = dict(count.cell.conditions)
                if count.cell.event[0] == "released":
                    people.setdefault("release_kind", frozenset(kinds))
                lines[Cell.of(people)].append(count)
    to_hide: set[Cell] = set()
    stuck: set[Cell] = set()
    for total, counts in lines.items():
        if total not in totals:
            continue  # hidden there: the months' sum is not known
        months = list({c.cell: c for c in counts}.values())  # one count per month (answers repeat it)
        hidden = sum(c.value is None for c in months)
        left = totals[total] - sum(c.value for c in months if c.value is not None)
        visible = sorted((c for c in months if c.value is not None), key=lambda c: (c.value, c.cell.dumps()))
        while hidden and not (hidden >= 2 and (left == 0 or left >= p)):
            # A second hidden month may be a zero; a remainder from 1 to p-1 needs people.
            wide = left == 0 or left >= p
            chosen = next((c for c in visible if wide or c.value), None)
            if chosen is None:
                stuck.add(total)
                break
            visible.remove(chosen)
            to_hide.add(chosen.cell)
            hidden += 1
            left += chosen.value or 0
    return to_hide, stuck
