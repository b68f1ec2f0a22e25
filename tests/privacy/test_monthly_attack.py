"""An attacker adds up the months: the flows and the series in custody of everyone and of each gender,
with the all-time counts of the breakdowns, in one linear program over every month
(`tests/utils/monthly_attack.py`, written apart from the audit it checks, `api.audit.months`)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.utils.monthly_attack import EVERYONE, MonthlyCounts, narrow_counts, published_monthly_counts

RELEASE = "demo-2026-03"
GENDERS = ("female", "male", "unknown")
P = 5


def test_the_bundled_publication_pins_no_hidden_count_over_all_months(sqlite_client: TestClient) -> None:
    def answer(statistic: str, filters: dict[str, str], by: tuple[str, ...]) -> list[dict[str, Any]]:
        params = {"release": RELEASE, **filters, **({"by": ",".join(by)} if by else {})}
        response = sqlite_client.get(f"/v1/stats/{statistic}", params=params)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["data"]
        return rows

    counts = published_monthly_counts(answer, "gender", GENDERS)
    hidden = [name for name, value in counts.values.items() if value is None]
    assert len(counts.months) == 71 and len(hidden) > 400  # the model reads what the API hides
    assert narrow_counts(counts, P) == []


def _one_flow(months: list[int | None], total: int | None) -> MonthlyCounts:
    """Everyone's and the women's recognitions month by month (the men's and unknowns' unpublished),
    and the women's all-time count."""
    counts = MonthlyCounts(GENDERS, [f"2025-0{i + 1}" for i in range(len(months))], [])
    for month, value in zip(counts.months, months, strict=True):
        counts.put(("recognized", "female", month), value)
    counts.put(("all", "female", "recognized"), total)
    return counts


def test_the_attack_pins_a_lone_hidden_month_and_a_small_remainder() -> None:
    (pinned,) = narrow_counts(_one_flow([None, 3, 7], 13), P)
    assert pinned.name == ("recognized", "female", "2025-01") and pinned.low == pinned.high == 3
    small = narrow_counts(_one_flow([None, None, 9], 12), P)
    assert {n.name[2] for n in small} == {"2025-01", "2025-02"} and all(n.high == 3 for n in small)


def test_the_attack_leaves_a_wide_remainder_and_an_unknown_total_alone() -> None:
    assert narrow_counts(_one_flow([None, None, 7], 13), P) == []
    assert narrow_counts(_one_flow([None, 3, 7], None), P) == []


def test_the_attack_bounds_a_hidden_total_by_its_visible_months() -> None:
    # Everyone's total is 20, the men's 12: the women and the unknowns 8 together. The women's visible
    # months add up to 6, so their hidden total is 6 to 8.
    counts = _one_flow([None, 5, 1], None)
    counts.put(("all", EVERYONE, "recognized"), 20)
    counts.put(("all", "male", "recognized"), 12)
    found = {n.name: (n.low, n.high) for n in narrow_counts(counts, P)}
    assert found == {("all", "female", "recognized"): (6, 8), ("recognized", "female", "2025-01"): (0, 2)}
