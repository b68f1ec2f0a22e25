"""`population=`: whom a breakdown counts (everyone recognized, in custody now, released), so that
"women in custody by region" is a two-dimensional question, answered from the publication and
protected like every other table."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.utils.http import get_data

URL = "/v1/stats/breakdown"


def _rows(client: TestClient, query: str) -> list[dict[str, Any]]:
    return get_data(client, f"{URL}?{query}")


def _summary(client: TestClient, measure: str, category: str) -> int:
    rows = client.get("/v1/stats/summary").json()["data"]
    return next(int(r["value"]) for r in rows if r["measure"] == measure and r["category"] == category)


def test_women_in_custody_by_region_is_a_two_dimensional_question(client: TestClient) -> None:
    rows = _rows(client, "population=in_custody&gender=female&by=region")
    total = next(r for r in rows if r["region"] == "total")
    assert total["count"] == _summary(client, "in_custody", "female")  # the headline, exact
    parts = [r for r in rows if r["region"] != "total"]
    assert len(parts) == 8  # seven regions and "unknown"
    visible = sum(int(str(r["count"])) for r in parts if not r["suppressed"])
    hidden = [r for r in parts if r["suppressed"]]
    assert visible <= int(str(total["count"]))
    assert visible == total["count"] or len(hidden) >= 2  # one hidden part would be the difference


def test_a_population_is_not_the_breakdown_of_everyone_ever_recognized(client: TestClient) -> None:
    everyone = _rows(client, "gender=female&by=region")
    in_custody = _rows(client, "population=in_custody&gender=female&by=region")
    released = _rows(client, "population=released&gender=female&by=region")

    def total(rows: list[dict[str, object]]) -> int:
        return int(str(next(r for r in rows if r["region"] == "total")["count"]))

    assert total(in_custody) + total(released) == total(everyone)
    assert total(in_custody) < total(everyone)


@pytest.mark.parametrize("by", ["region", "gender", "article", "year_detained"])
def test_one_dimension_of_a_population_is_the_status_filter_s_slice(client: TestClient, by: str) -> None:
    assert _rows(client, f"population=in_custody&by={by}") == _rows(client, f"status=in_custody&by={by}")


def test_released_people_by_kind_have_no_not_released_row(client: TestClient) -> None:
    rows = _rows(client, "population=released&by=release_kind")
    assert rows and all(r["release_kind"] != "not_released" for r in rows)
    total = next(r for r in rows if r["release_kind"] == "total")
    assert total["count"] == _summary(client, "released", "total")


@pytest.mark.parametrize("population", ["in_custody", "released"])
@pytest.mark.parametrize("pair", ["age_band,region", "gender,article", "article,region"])
def test_margins_of_a_population_table_agree_with_the_one_dimensional_tables(
    client: TestClient, population: str, pair: str
) -> None:
    """A margin is the same people as a cell of the population by one dimension: shown or hidden alike,
    with the same value (by article there is no margin over articles: a person counts under each)."""
    first, second = pair.split(",")
    two = _rows(client, f"population={population}&by={pair}")

    def one(name: str) -> dict[object, tuple[object, object]]:
        return {
            r[name]: (r["count"], r["suppressed"])
            for r in _rows(client, f"population={population}&by={name}")
        }

    by_first, by_second = one(first), one(second)
    margins = 0
    for row in two:
        if row[first] == "total":
            assert (row["count"], row["suppressed"]) == by_second[row[second]], row
            margins += 1
        if row[second] == "total":
            assert (row["count"], row["suppressed"]) == by_first[row[first]], row
            margins += 1
    assert margins >= min(len(by_first), len(by_second))


def test_the_population_is_in_the_permalink_and_the_csv(client: TestClient) -> None:
    body = client.get(f"{URL}?population=in_custody&gender=female&by=region").json()
    assert "population=in_custody" in body["links"]["permalink"]
    csv = client.get(f"{URL}?population=in_custody&gender=female&by=region&format=csv")
    frame = pd.read_csv(io.StringIO(csv.text))
    assert "BY-HM" in set(frame["region"]) and "total" not in set(frame["region"])
    # Shares are of the population asked for: the women in custody.
    women = _summary(client, "in_custody", "female")
    minsk = frame[frame["region"] == "BY-HM"].iloc[0]
    assert minsk["share"] == round(minsk["count"] / women, 3)
    assert any("in custody" in note for note in body["meta"]["notes"])


def test_population_is_documented_with_its_values(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][URL]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "population")
    assert parameter["schema"]["enum"] == ["recognized", "in_custody", "released"]


def test_two_filters_and_a_population_are_a_row_of_the_stored_table(client: TestClient) -> None:
    row = _rows(client, "population=in_custody&gender=female&region=BY-HM")
    table = _rows(client, "population=in_custody&by=gender,region")
    cell = next(r for r in table if r["gender"] == "female" and r["region"] == "BY-HM")
    assert [(r["count"], r["suppressed"]) for r in row] == [(cell["count"], cell["suppressed"])]


@pytest.mark.parametrize("by", ["gender,region", "age_band,region", "article,region", "gender,article"])
def test_everyone_is_never_the_difference_of_a_hidden_and_a_shown_population(
    client: TestClient, by: str
) -> None:
    """Everyone = in custody + released, cell by cell: a count hidden in one of the three tables and
    shown in the other two would be their sum or difference."""
    first, second = by.split(",")

    def cells(query: str) -> dict[tuple[object, object], bool]:
        return {(r[first], r[second]): bool(r["suppressed"]) for r in _rows(client, query)}

    everyone = cells(f"by={by}")
    in_custody, released = cells(f"population=in_custody&by={by}"), cells(f"population=released&by={by}")
    for key, hidden in everyone.items():
        if "total" in key:
            continue
        assert hidden + in_custody[key] + released[key] != 1, key


@pytest.mark.parametrize(
    ("population", "title"),
    [
        ("in_custody", "Political prisoners in custody by region"),
        ("released", "Released political prisoners"),
    ],
)
def test_a_chart_of_a_population_says_whom_it_counts(client: TestClient, population: str, title: str) -> None:
    """The bars of the women in custody are not "everyone recognized since 2020": the title and the
    description (the chart's alternative text) say whom they count, in every language."""
    spec = client.get(f"/v1/charts/breakdown.vl.json?population={population}&gender=female&by=region").json()
    assert spec["title"]["text"][0].startswith(title)
    assert "in custody or released" not in spec["description"]
    for lang in ("be", "ru"):
        other = client.get(
            f"/v1/charts/breakdown.vl.json?population={population}&by=region&lang={lang}"
        ).json()
        everyone = client.get(f"/v1/charts/breakdown.vl.json?by=region&lang={lang}").json()
        assert other["title"]["text"] != everyone["title"]["text"]
