"""How long the people released were held (issue 17): "after how long were people pardoned?", asked
through the HTTP API, checked against the demonstration release's records, and protected like the
lengths of sentences: hidden bins, a group size hidden as the breakdown hides it, quantiles read off
the published histogram only."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pandas
import pytest
from fastapi.testclient import TestClient

from api.paths import DEMO_RECORDS_DIR
from api.records.held import HELD_BINS, months_held
from tests.utils.http import get_data

URL = "/v1/stats/held-before-release"
K = 5


def _data(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    return get_data(client, f"{URL}?{query}")


def _records() -> list[dict[str, str]]:
    with (DEMO_RECORDS_DIR / "demo-2026-03" / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["released_on"]]


def test_months_held_count_whole_months_from_detention_to_release() -> None:
    assert months_held("2021-03", "2021-03") == 0
    assert months_held("2021-03", "2022-02") == 11
    assert months_held("2020-12", "2026-01") == 61
    assert [HELD_BINS.of(m) for m in (0, 5, 6, 11, 12, 59, 60, 200)] == [
        "0-5",
        "0-5",
        "6-11",
        "6-11",
        "12-23",
        "36-59",
        "60+",
        "60+",
    ]


@pytest.mark.parametrize("by", ["", "release_kind", "sentence_kind", "gender", "age_band"])
def test_every_visible_bin_is_the_number_of_released_people_held_that_long(
    client: TestClient, by: str
) -> None:
    truth = Counter(
        (r[by] if by else "total", HELD_BINS.of(months_held(r["detained_on"], r["released_on"])))
        for r in _records()
    )
    rows = [r for r in _data(client, f"by={by}" if by else "") if r["measure"] == "histogram"]
    assert {r["bin_months"] for r in rows} == set(HELD_BINS.labels)
    hidden = 0
    for row in rows:
        group = str(row[by]) if by else "total"
        if row["suppressed"]:
            assert row["count"] is None
            hidden += 1
        elif not by or group != "total":
            assert row["count"] == truth[(group, str(row["bin_months"]))], row
            assert row["count"] == 0 or row["count"] >= K
    if by == "sentence_kind":
        assert hidden  # small groups (fines, compulsory treatment …) hide bins: the branch above runs


def test_the_group_size_is_everyone_released(client: TestClient) -> None:
    n = next(r for r in _data(client) if r.get("statistic") == "n")
    summary = client.get("/v1/stats/summary").json()["data"]
    released = next(r for r in summary if r["measure"] == "released" and r["category"] == "total")
    assert n["value"] == released["value"] == len(_records())


@pytest.mark.parametrize("by", ["release_kind", "sentence_kind", "age_band", "article"])
def test_each_group_size_is_hidden_as_the_breakdown_of_the_released_hides_it(
    client: TestClient, by: str
) -> None:
    rows = _data(client, f"by={by}")
    assert "not_released" not in {r.get("release_kind") for r in rows}
    breakdown = {r[by]: r for r in get_data(client, f"/v1/stats/breakdown?population=released&by={by}")}
    sizes = [row for row in rows if row.get("statistic") == "n"]
    assert sizes
    for row in sizes:
        other = breakdown[str(row[by])]
        assert (row["value"], row["suppressed"]) == (other["count"], other["suppressed"]), row
    if by == "sentence_kind":
        assert any(row["suppressed"] for row in sizes)  # the hidden case is checked too


def test_the_median_is_read_off_the_published_histogram(client: TestClient) -> None:
    rows = _data(client)
    bins = [r for r in rows if r["measure"] == "histogram"]
    assert all(not r["suppressed"] for r in bins)  # everyone released: no bin is small
    n = sum(int(str(r["count"])) for r in bins)
    median = next(r for r in rows if r.get("statistic") == "median")
    below = 0
    for (label, low, high), row in zip(HELD_BINS.bins, bins, strict=True):
        count = int(str(row["count"]))
        if below + count >= n / 2:
            expected = low + (n / 2 - below) / count * (high + 1 - low)
            assert median["value"] == pytest.approx(expected, abs=0.051), label
            break
        below += count
    mean = next(r for r in rows if r.get("statistic") == "mean")
    assert mean["value"] is None and mean["withheld_reason"]


def test_a_filter_is_the_row_of_its_split(client: TestClient) -> None:
    women = _data(client, "gender=female")
    split = _data(client, "by=gender")
    assert women == [
        {k: v for k, v in r.items() if not k.startswith("gender")} for r in split if r["gender"] == "female"
    ]


def test_the_csv_is_two_tidy_tables(client: TestClient) -> None:
    histogram = pandas.read_csv(io.StringIO(client.get(f"{URL}?by=release_kind&format=csv").text))
    assert {"bin_months", "release_kind", "count", "suppressed"} <= set(histogram.columns)
    assert "total" not in set(histogram["release_kind"])
    quantiles = pandas.read_csv(io.StringIO(client.get(f"{URL}?part=quantiles&format=csv").text))
    assert set(quantiles["statistic"]) == {"n", "p10", "p25", "median", "p75", "p90", "mean"}


def test_the_chart_draws_the_published_bins_with_their_median(client: TestClient) -> None:
    spec = client.get("/v1/charts/held-before-release.vl.json?by=release_kind").json()
    assert spec["title"]["text"][0] == "How long people were held before release"
    median = next(r for r in _data(client) if r.get("statistic") == "median")
    assert any(f"Median: {median['value']} months" in line for line in spec["title"]["subtitle"])
    drawn = {(v["x"], v["series"]): v.get("count") for v in spec["data"]["values"]}
    for row in _data(client, "by=release_kind"):
        if row["measure"] == "histogram" and row["release_kind"] != "total" and not row["suppressed"]:
            assert drawn.get((row["bin_months"], row["release_kind"]), 0) == row["count"], row
