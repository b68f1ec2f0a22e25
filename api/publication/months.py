"""What `publish` hides so that the months of the flows pin no suppressed count (`api.audit.months`).

The months of a flow add up to a count of the whole release (everyone recognized, the women released
by pardon): what the visible months leave over for the hidden ones is known, and each hidden month lies
between 0 and that remainder. With the kinds adding up to a month's releases, the groups to everyone
and the series in custody balancing month by month, a total the breakdowns hide can be known too. A
review found this on the flows of one age band (three hidden months of 1 each left a remainder of 3);
the tables protect each month on its own, and the audit's families are month by month.

`months_to_hide` asks `api.audit.months` for every narrow count and hides, for each, the smallest
visible month of the nearest flow through the equations, its own first: a month with people when the
count's whole range is smaller than required, a zero when just its place is pinned. It asks again
until nothing is narrow. `publish` puts those months on the release's list and protects again (the
tables may then hide more, which only widens), and checks everything again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from api.audit.model import Published
from api.audit.months import MonthAudit, MonthFinding
from api.cells import Cell

MAX_PASSES = 40
"""Rounds of hiding one month per narrow count; each widens what it hides, so few are needed."""


def months_to_hide(
    counts: Iterable[Published], kinds: tuple[str, ...], levels: Mapping[str, tuple[str, ...]], p: int
) -> tuple[set[Cell], set[Cell]]:
    """The visible months of the flows to hide (as the tables name them) so that no count is narrow
    over all months, given every published count (the audit's, `AuditReport.counts`), and the narrow
    counts that hiding months did not widen (then `publish` refuses)."""
    audit = MonthAudit(counts, kinds, levels)
    hidden: set[Cell] = set()
    findings = audit.narrow(p)
    for _ in range(MAX_PASSES):
        if not findings:
            break
        chosen = {finding.cell: _month_to_hide(audit, finding, hidden) for finding in findings}
        new = {month for month in chosen.values() if month is not None} - hidden
        if not new:
            break
        hidden |= new
        # The months hidden here are the tables' to protect (a lone hidden month in a line gets a
        # complement there); `publish` checks everything again after that.
        findings = [finding for finding in audit.narrow(p, hidden) if finding.cell not in hidden]
    return {audit.published.get(cell, cell) for cell in hidden}, {finding.cell for finding in findings}


def _month_to_hide(audit: MonthAudit, finding: MonthFinding, hidden: set[Cell]) -> Cell | None:
    """The smallest visible month of the nearest flow, its own first (`MonthAudit.nearest_months`). A
    zero widens nothing by itself: only when the count's range is wide enough and just its place is
    pinned. (Hiding zeros as a last resort, or months of the equations that bind the count first, made
    `publish` hide more and refuse on the flows by age band.)"""
    zero_will_do = finding.high >= finding.required
    months = audit.nearest_months(finding.cell, hidden, lambda value: value > 0 or zero_will_do)
    return min(months, key=lambda month: (audit.values[month] or 0, month.dumps()), default=None)
