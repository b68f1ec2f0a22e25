"""`python -m bench.across [SCENARIO ...]`: publish the bundled release one month later with one change
(a pardon, a late recognition, ...) against its committed publication, and print how many rounds the
protection across releases took, the wall time, and what the new publication hides. The figures are the
ones docs/PRIVACY.md quotes under "Known gaps" (a late recognition)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from api.paths import DEMO_RECORDS_DIR
from api.publication.publish import PublishRefused, publish
from api.settings import Settings
from tests.utils.releases import BUNDLED_RELEASE, later_release, pardon, recognize_late

SCENARIOS = {
    "pardon": pardon(1, gender="female"),
    "late-recognition": recognize_late(),
}


def run(scenario: str) -> None:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        records = later_release(Path(scratch) / "private", SCENARIOS[scenario])
        started = time.perf_counter()
        try:
            published = publish(
                Settings(),
                records,
                Path(scratch) / "published" / records.name,
                [DEMO_RECORDS_DIR / BUNDLED_RELEASE],
                progress=lines.append,
            )
            outcome = (
                f"published: {published.answers} answers, {published.suppressed_cells} suppressed cells, "
                f"{published.listed} sets of people on the list"
            )
        except PublishRefused as refused:
            outcome = f"refused: {refused}"[:300]
    joint = sum(line.startswith("jointly") for line in lines)
    within = sum(line.startswith("round ") for line in lines)
    print(
        f"{scenario}: {time.perf_counter() - started:.0f} s, {joint} joint rounds that hid, "
        f"{within} protection rounds; {outcome}"
    )


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(SCENARIOS):
        run(name)
