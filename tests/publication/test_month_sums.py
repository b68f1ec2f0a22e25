"""The months of a flow add up to a count of the whole release (`api.publication.months`): a review
pinned hidden months of the flows of one age band so, within [0, 3], and the audit over all months
(`api.audit.months`) found 20 more narrow counts there once that was guarded (age bands adding up to
everyone, kinds to the month's releases). The flows are offered for one gender only; with age bands
offered too, `publish` must hide more months until no count is narrow over all months."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from api.audit.months import narrow_over_months
from api.audit.publication import answers_of
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.folder import read_publication
from api.publication.publish import publish
from api.query import SPECS
from api.records import in_custody
from api.settings import Settings
from api.stats.dimensions import DIMENSION_NAMES, dimension, vocabularies

RELEASE = "demo-2026-03"
P = 5


def _shown_totals(
    answers: Mapping[tuple[str, str], Sequence[Mapping[str, object]]], band: str
) -> dict[str, object]:
    """Per flow column: the age band's people over all months, as the breakdowns show them (None:
    hidden there)."""
    rows = answers[("breakdown", f"age_band={band}&by=release_kind")]
    totals = {f"released_{r['release_kind']}": r["count"] for r in rows if r["release_kind"] != "total"}
    status = answers[("breakdown", f"age_band={band}&by=status")]
    totals["released_total"] = next(r["count"] for r in status if r["status"] == "released")
    totals["recognized"] = answers[("breakdown", f"age_band={band}")][0]["count"]
    return totals


@pytest.mark.slow
def test_publish_leaves_no_flow_a_narrow_remainder_over_its_months(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = ("gender", "age_band")
    monkeypatch.setitem(SPECS, "flows", replace(SPECS["flows"], filters=both))
    monkeypatch.setattr(in_custody, "FLOW_FILTERS", both)
    records = tmp_path / "records" / RELEASE
    shutil.copytree(DEMO_RECORDS_DIR / RELEASE, records)
    said: list[str] = []
    publish(Settings(), records, tmp_path / RELEASE, publications=tmp_path / "none", progress=said.append)
    assert any(line.startswith("months of the flows: hiding") for line in said), said
    published = read_publication(tmp_path / RELEASE, DATASET_DIR)[1]
    answers = {(a.statistic, a.key): [dict(r) for r in a.result.rows] for a in published}
    checked = 0
    for (statistic, key), rows in answers.items():
        if statistic != "flows" or not key.startswith("age_band="):
            continue
        totals = _shown_totals(answers, key.split("=")[1])
        for column in (c for c in rows[0] if c != "month" and not c.endswith("_suppressed")):
            hidden = [r["month"] for r in rows if r[column] is None]
            total = totals[column]
            if not hidden or not isinstance(total, int):
                continue  # nothing hidden, or the total is hidden too
            left = total - sum(v for r in rows if isinstance(v := r[column], int))
            assert len(hidden) >= 2 and (left == 0 or left >= P), (key, column, left)
            checked += 1
    assert checked
    kinds = vocabularies(DATASET_DIR).enums["release_kind"]
    levels = {
        name: dimension(name, DATASET_DIR, ()).levels for name in DIMENSION_NAMES if name != "year_detained"
    }
    again = answers_of(published, RELEASE, levels)
    assert narrow_over_months(again, kinds, levels, P) == []
