"""Time in custody (issue 17): "how many person-years have political prisoners spent behind bars, and
how long have the people in custody now been held?", asked through the HTTP API and checked against the
monthly series it is read off, hidden wherever a count it is read from is hidden."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pandas
import pytest
from fastapi.testclient import TestClient

from tests.utils.http import assert_bad_parameter, get_data

STATS = "/v1/stats"


def _data(client: TestClient, path: str) -> list[dict[str, Any]]:
    return get_data(client, path)


def test_person_years_are_the_monthly_counts_in_custody_over_twelve(client: TestClient) -> None:
    by_year: dict[str, list[int]] = defaultdict(list)
    for point in _data(client, f"{STATS}/in-custody"):
        by_year[str(point["month"])[:4]].append(int(str(point["count"])))
    rows = _data(client, f"{STATS}/time-in-custody")
    assert [row["year"] for row in rows] == sorted(by_year)
    for row in rows:
        counts = by_year[str(row["year"])]
        assert row["months"] == len(counts)
        assert row["person_years"] == pytest.approx(sum(counts) / 12, abs=0.0501)
        assert row["person_years_suppressed"] is False


def test_people_in_custody_by_year_of_detention_add_up_to_everyone_in_custody_now(client: TestClient) -> None:
    series = _data(client, f"{STATS}/in-custody?by=year_detained")
    last = max(str(point["month"]) for point in series)
    now = {p["year_detained"]: p for p in series if p["month"] == last}
    rows = _data(client, f"{STATS}/time-in-custody")
    for row in rows:
        point = now.get(row["year"], {"count": 0, "suppressed": False})
        assert (row["in_custody_detained"], row["in_custody_detained_suppressed"]) == (
            point["count"],
            point["suppressed"],
        )
    if not any(row["in_custody_detained_suppressed"] for row in rows):
        assert sum(int(str(row["in_custody_detained"])) for row in rows) == now["total"]["count"]
    # Held from the end, and from the start, of the year of detention to the as-of month (2026-03).
    held = {row["year"]: (row["held_months_from"], row["held_months_to"]) for row in rows}
    assert last == "2026-03"
    assert held["2025"] == (3, 15) and held["2026"] == (0, 3) and held["2021"] == (51, 63)


@pytest.mark.parametrize("by", ["gender", "region", "article"])
def test_person_years_by_a_dimension_are_hidden_with_any_month_they_sum(client: TestClient, by: str) -> None:
    months: dict[tuple[str, str], list[object]] = defaultdict(list)
    for point in _data(client, f"{STATS}/in-custody?by={by}"):
        months[(str(point["month"])[:4], str(point[by]))].append(point["count"])
    rows = _data(client, f"{STATS}/time-in-custody?by={by}")
    assert rows and all("in_custody_detained" not in row for row in rows)
    assert any(row["person_years_suppressed"] for row in rows), "the demo hides some small months"
    for row in rows:
        counts = months[(str(row["year"]), str(row[by]))]
        hidden = any(count is None for count in counts)
        assert row["person_years_suppressed"] is hidden
        if hidden:
            assert row["person_years"] is None
        else:
            assert row["person_years"] == pytest.approx(sum(int(str(c)) for c in counts) / 12, abs=0.0501)


def test_women_person_years_as_csv(client: TestClient) -> None:
    response = client.get(f"{STATS}/time-in-custody?gender=female&format=csv")
    assert response.status_code == 200, response.text
    frame = pandas.read_csv(io.BytesIO(response.content))
    assert list(frame.columns[:4]) == ["year", "person_years", "person_years_suppressed", "months"]
    assert "in_custody_detained" not in frame.columns
    women = _data(client, f"{STATS}/time-in-custody?gender=female")
    assert frame["year"].astype(str).tolist() == [row["year"] for row in women]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("by=year_detained", "by"), ("by=gender&region=BY-BR", "by"), ("population=in_custody", "population")],
)
def test_questions_it_cannot_answer_are_problems_naming_the_parameter(
    sqlite_client: TestClient, query: str, parameter: str
) -> None:
    assert_bad_parameter(sqlite_client, f"{STATS}/time-in-custody?{query}", parameter)
