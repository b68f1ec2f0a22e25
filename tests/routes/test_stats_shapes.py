"""Tidy tables of the statistics endpoints: long flows, margins apart, one row shape per CSV, shares, `;`.

Each question is asked as a journalist would: a CSV read with pandas, a workbook opened with openpyxl.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pandas
import pytest
from fastapi.testclient import TestClient

from tests.utils.shapes import FLOWS_LONG_COLUMNS

PROVENANCE = ["release", "as_of", "synthetic", "data_note"]
STATS = "/v1/stats"


def _frame(client: TestClient, path: str, **options: Any) -> pandas.DataFrame:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    frame: pandas.DataFrame = pandas.read_csv(io.BytesIO(response.content), keep_default_na=False, **options)
    return frame


def _kinds(client: TestClient) -> list[str]:
    wide = client.get(f"{STATS}/flows").json()["data"][0]
    return [
        name.removeprefix("released_")
        for name in wide
        if name.startswith("released_") and not name.endswith("_suppressed") and name != "released_total"
    ]


def test_flows_csv_is_long_by_default(client: TestClient) -> None:
    frame = _frame(client, f"{STATS}/flows?format=csv")
    assert list(frame.columns) == [*FLOWS_LONG_COLUMNS, *PROVENANCE]
    months = client.get(f"{STATS}/flows").json()["data"]
    kinds = _kinds(client)
    assert len(frame) == len(months) * (1 + len(kinds))
    assert set(frame["event"]) == {"recognized", "released"}
    assert set(frame.loc[frame["event"] == "released", "kind"]) == set(kinds)  # no `total` among them
    assert (frame.loc[frame["event"] == "recognized", "kind"] == "").all()
    assert (frame["synthetic"] == True).all() and (frame["data_note"] != "").all()  # noqa: E712


def test_long_flows_hold_the_wide_cells(client: TestClient) -> None:
    wide = client.get(f"{STATS}/flows").json()["data"]
    long = _frame(client, f"{STATS}/flows?format=csv&totals=true", dtype=str)
    cells = {
        (row["month"], row["event"], row["kind"]): (row["count"], row["suppressed"])
        for row in long.to_dict("records")
    }
    for row in wide:
        for name in row:
            if name == "recognized" or (name.startswith("released_") and not name.endswith("_suppressed")):
                event, kind = ("recognized", "") if name == "recognized" else ("released", name[9:])
                value = "" if row[name] is None else str(row[name])
                assert cells[(row["month"], event, kind)] == (value, str(row[f"{name}_suppressed"]).lower())


def test_monthly_releases_summed_in_pandas_equal_the_published_total(client: TestClient) -> None:
    long = _frame(client, f"{STATS}/flows?format=csv")
    released = long[long["event"] == "released"]
    clear = released.groupby("month")["suppressed"].sum() == 0  # months where no kind is hidden
    sums = released.groupby("month")["count"].apply(lambda c: pandas.to_numeric(c).sum())
    totals = {row["month"]: row["released_total"] for row in client.get(f"{STATS}/flows").json()["data"]}
    checked = [month for month in sums.index if clear[month] and totals[month] is not None]
    assert checked and all(sums[month] == totals[month] for month in checked)


def test_wide_flows_stay_reachable_and_json_keeps_its_shape(client: TestClient) -> None:
    json_rows = client.get(f"{STATS}/flows").json()["data"]
    assert "released_total" in json_rows[0] and "event" not in json_rows[0]
    wide = _frame(client, f"{STATS}/flows?format=csv&shape=wide&totals=true", dtype=str)
    assert list(wide.columns) == [*json_rows[0], *PROVENANCE] and len(wide) == len(json_rows)
    no_totals = _frame(client, f"{STATS}/flows?format=csv&shape=wide")
    assert "released_total" not in no_totals.columns and "released_pardon" in no_totals.columns
    long_json = client.get(f"{STATS}/flows?shape=long&from=2025-01&to=2025-01").json()["data"]
    assert {row["kind"] for row in long_json} == {None, *_kinds(client), "total"}


def test_flows_xlsx_is_long_too(client: TestClient) -> None:
    response = client.get(f"{STATS}/flows?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["data"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:7] == ("month", "event", "event_label", "kind", "kind_label", "count", "suppressed")


@pytest.mark.parametrize("by", ["gender", "region", "status", "age_band,gender", "region,status"])
def test_a_breakdown_csv_sums_to_the_published_total(client: TestClient, by: str) -> None:
    frame = _frame(client, f"{STATS}/breakdown?by={by}&format=csv")
    assert not (frame[by.split(",")] == "total").any().any()
    json_rows = client.get(f"{STATS}/breakdown?by={by}").json()["data"]
    total = next(r for r in json_rows if all(r[name] == "total" for name in by.split(",")))
    assert len(frame) == sum(1 for r in json_rows if "total" not in [r[n] for n in by.split(",")])
    if not frame["suppressed"].any():
        assert frame["count"].sum() == total["count"]
    with_totals = _frame(client, f"{STATS}/breakdown?by={by}&format=csv&totals=true")
    assert len(with_totals) == len(json_rows)


def test_json_keeps_totals_unless_asked_not_to(client: TestClient) -> None:
    rows = client.get(f"{STATS}/breakdown?by=gender").json()["data"]
    assert [r["gender"] for r in rows][-1] == "total"
    parts = client.get(f"{STATS}/breakdown?by=gender&totals=false").json()
    assert "total" not in [r["gender"] for r in parts["data"]]
    series = client.get(f"{STATS}/in-custody?by=gender&totals=false&format=csv").text
    assert ",total," not in series


def test_summary_csv_keeps_parts_and_totals_apart(client: TestClient) -> None:
    frame = _frame(client, f"{STATS}/summary?format=csv")
    assert "total" not in set(frame["category"])
    with_totals = _frame(client, f"{STATS}/summary?format=csv&totals=true")
    released = with_totals[with_totals["measure"] == "released"]
    total = int(released.loc[released["category"] == "total", "value"].iloc[0])
    parts = released[released["category"] != "total"]
    if not parts["suppressed"].any():
        assert pandas.to_numeric(parts["value"]).sum() == total


def test_sentences_csv_has_one_row_shape_per_part(client: TestClient) -> None:
    histogram = _frame(client, f"{STATS}/sentences?by=gender&format=csv")
    counts = ["bin_months", "gender", "gender_label", "count", "suppressed"]
    assert list(histogram.columns) == [*counts, *PROVENANCE]
    quantiles = _frame(client, f"{STATS}/sentences?by=gender&format=csv&part=quantiles")
    columns = ["gender", "gender_label", "suppressed", "statistic", "value", "withheld_reason"]
    assert list(quantiles.columns) == [*columns, *PROVENANCE]
    assert {"n", "median", "mean"} <= set(quantiles["statistic"]) and "total" not in set(quantiles["gender"])
    combined = client.get(f"{STATS}/sentences?by=gender").json()["data"]
    assert {row["measure"] for row in combined} == {"histogram", "quantiles"}


def test_sentences_xlsx_carries_histogram_and_quantiles_on_two_sheets(client: TestClient) -> None:
    response = client.get(f"{STATS}/sentences?format=xlsx&lang=ru")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["data", "quantiles", "about"]
    quantiles = list(workbook["quantiles"].iter_rows(values_only=True))
    assert quantiles[0][:3] == ("suppressed", "statistic", "value")
    assert "Демонстрационные" in str(quantiles[1][-1])  # the mark on every sheet's rows
    assert next(workbook["data"].iter_rows(max_row=1, values_only=True))[0] == "bin_months"


def _shares_hide_what_is_hidden(rows: list[dict[str, Any]], value: str, total: Any) -> int:
    """Checks every row's share against its count and its total; returns the number of shares seen."""
    seen = 0
    for row in rows:
        if row["share"] is None:
            continue
        seen += 1
        assert row["suppressed"] is False and isinstance(row[value], int)
        assert isinstance(total(row), int) and row["share"] == round(row[value] / total(row), 3)
    for row in rows:
        if row["suppressed"] is True or row[value] is None:
            assert row["share"] is None
    return seen


@pytest.mark.parametrize(
    "query", ["by=gender", "by=article", "by=region,age_band", "by=release_kind", "gender=female&by=region"]
)
def test_no_breakdown_share_reveals_a_hidden_count(client: TestClient, query: str) -> None:
    rows = client.get(f"{STATS}/breakdown?{query}").json()["data"]
    by = query.split("by=")[1].split(",")
    grand = [r for r in rows if all(r[name] == "total" for name in by)]
    filters = query.split("&by=")[0] if "&" in query else ""
    everyone = grand[0] if grand else client.get(f"{STATS}/breakdown?{filters}").json()["data"][0]
    hidden_total = everyone["suppressed"]
    seen = _shares_hide_what_is_hidden(rows, "count", lambda row: everyone["count"])
    assert seen == 0 if hidden_total else seen > 0


def test_summary_shares_are_of_their_measure_and_never_of_a_hidden_value(client: TestClient) -> None:
    rows = client.get(f"{STATS}/summary").json()["data"]
    totals = {r["measure"]: r for r in rows if r["category"] == "total"}
    measured = [r for r in rows if r["measure"] in totals]
    assert _shares_hide_what_is_hidden(measured, "value", lambda row: totals[row["measure"]]["value"]) > 0
    assert any(r["suppressed"] for r in measured)  # the check met hidden counts
    assert all(r["share"] is None for r in rows if r["measure"] not in totals)


@pytest.mark.parametrize("by", ["gender", "region", "age_band", "article"])
def test_in_custody_shares_are_of_the_month_and_never_of_a_hidden_count(client: TestClient, by: str) -> None:
    """Each month's part over that month's total (articles: the series without the split); a part
    hidden in a month whose total is shown has no share, which would give its count back."""
    rows = client.get(f"{STATS}/in-custody?by={by}").json()["data"]
    series = client.get(f"{STATS}/in-custody").json()["data"]
    totals = {r["month"]: r["count"] for r in series}
    assert all(r["count"] == totals[r["month"]] for r in rows if r[by] == "total")
    assert _shares_hide_what_is_hidden(rows, "count", lambda row: totals[row["month"]]) > 0
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden and all(totals[r["month"]] is not None and r["share"] is None for r in hidden)


def test_women_in_custody_by_month_as_a_share_in_csv(client: TestClient) -> None:
    """The question a journalist asks: what part of those in custody are women, month by month."""
    frame = _frame(client, f"{STATS}/in-custody?by=gender&format=csv")
    assert list(frame.columns[:6]) == ["month", "gender", "gender_label", "count", "suppressed", "share"]
    women = frame[frame["gender"] == "female"].set_index("month")
    everyone = _frame(client, f"{STATS}/in-custody?format=csv").set_index("month")["count"]
    shown = women[women["suppressed"] == False]  # noqa: E712 (a column of booleans)
    assert len(shown) > 12
    expected = (shown["count"].astype(int) / everyone[shown.index].astype(int)).round(3)
    assert shown["share"].astype(float).tolist() == expected.tolist()
    assert (women.loc[women["suppressed"], "share"] == "").all() and women["suppressed"].any()
    semicolon = client.get(f"{STATS}/in-custody?by=gender&format=csv&sep=%3B").content
    read = pandas.read_csv(io.BytesIO(semicolon), sep=";", decimal=",")
    plain = pandas.read_csv(io.BytesIO(client.get(f"{STATS}/in-custody?by=gender&format=csv").content))
    pandas.testing.assert_series_equal(read["share"], plain["share"])


def test_an_unsplit_in_custody_series_has_no_share(client: TestClient) -> None:
    assert "share" not in client.get(f"{STATS}/in-custody").json()["data"][0]
    assert "share" not in client.get(f"{STATS}/in-custody?gender=female").json()["data"][0]


def test_semicolon_csv_reads_in_a_decimal_comma_locale(client: TestClient) -> None:
    path = f"{STATS}/breakdown?by=gender&format=csv&sep=%3B&bom=true&lang=ru"
    raw = client.get(path).content
    assert raw.startswith(b"\xef\xbb\xbf") and raw.split(b"\r\n")[0].count(b";") >= 5
    frame = pandas.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    plain = _frame(client, f"{STATS}/breakdown?by=gender&format=csv&lang=ru")
    assert (
        frame["share"].tolist() == plain["share"].tolist()
        and frame["count"].tolist() == plain["count"].tolist()
    )


@pytest.mark.parametrize(
    "path", [f"{s}?format=csv&sep=%3B" for s in ("summary", "in-custody", "flows", "sentences")]
)
def test_every_statistics_csv_takes_a_semicolon(client: TestClient, path: str) -> None:
    header = client.get(f"{STATS}/{path}").text.splitlines()[0]
    assert ";" in header and "," not in header


def test_a_published_table_takes_a_semicolon(client: TestClient) -> None:
    tables = client.get("/v1/releases/latest/tables").json()["data"]
    table = next(t for t in tables if t["name"] == "breakdown-by-gender")
    semicolon = client.get(f"{table['csv']}?sep=%3B")
    assert semicolon.status_code == 200 and semicolon.text.startswith("gender;gender_label;count")
    assert client.get(f"{table['csv']}?sep=%7C").status_code == 400


@pytest.mark.parametrize("value", ["|", "tab", ",,", ""])
def test_other_separators_are_400_problems_naming_sep(client: TestClient, value: str) -> None:
    response = client.get(f"{STATS}/breakdown", params={"by": "gender", "format": "csv", "sep": value})
    assert response.status_code == 400 and response.json()["parameter"] == "sep"
    assert response.json()["invalid-params"][0]["allowed"] == [",", ";"]


@pytest.mark.parametrize(
    ("path", "name"),
    [("flows?part=histogram", "part"), ("breakdown?shape=long", "shape"), ("sentences?shape=wide", "shape")],
)
def test_shape_parameters_belong_to_their_statistic(client: TestClient, path: str, name: str) -> None:
    response = client.get(f"{STATS}/{path}")
    assert response.status_code == 400 and response.json()["parameter"] == name


def test_the_zip_describes_long_flows_shares_and_both_sentence_tables(client: TestClient) -> None:
    package = client.get("/v1/releases/latest/datapackage.json").json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    flows = {field["name"]: field for field in resources["flows"]["schema"]["fields"]}
    assert list(flows)[:7] == ["month", "event", "event_label", "kind", "kind_label", "count", "suppressed"]
    fields = [field for resource in resources.values() for field in resource["schema"]["fields"]]
    assert all(field.get("description") for field in fields), "every column of every table is described"
    assert flows["event"]["constraints"]["enum"] == ["recognized", "released"]
    share = next(f for f in resources["breakdown-by-gender"]["schema"]["fields"] if f["name"] == "share")
    assert share["type"] == "number" and "hidden" in share["description"]
    assert {"sentences-prison", "sentences-prison-quantiles"} <= set(resources)
    quantile_fields = [f["name"] for f in resources["sentences-prison-quantiles"]["schema"]["fields"]]
    assert "statistic" in quantile_fields and "bin_months" not in quantile_fields


@pytest.mark.parametrize(
    "query",
    [
        "summary?",
        "in-custody?by=gender&",
        "flows?",
        "flows?shape=wide&totals=true&",
        "sentences?by=gender&",
        "sentences?by=gender&part=quantiles&",
        "breakdown?by=gender,region&",
    ],
)
def test_openapi_names_every_column_of_each_csv(client: TestClient, query: str) -> None:
    statistic = query.split("?")[0]
    operation = client.get("/openapi.json").json()["paths"][f"{STATS}/{statistic}"]["get"]
    documented = operation["responses"]["200"]["content"]["text/csv"]["schema"]["description"]
    header = client.get(f"{STATS}/{query}format=csv").text.splitlines()[0].split(",")
    split = query.split("by=")[1].split("&")[0].split(",") if "by=" in query else []
    for column in header:
        if column in split or column.removesuffix("_label") in split:
            assert "each dimension of `by`" in documented
        elif column.startswith("released_") and column != "released_total":
            assert "`released_<kind>" in documented
        else:
            assert f"`{column}`" in documented, column
