"""The v1 statistics endpoints on the bundled release, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pandas
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.query import SPECS
from api.settings import Settings
from api.stats.dimensions import FILTER_NAMES
from tests.utils.http import assert_bad_parameter
from tests.utils.visible import visible_counts

K = 5
ENDPOINTS = ("summary", "in-custody", "flows", "sentences", "breakdown")
DEFAULT_QUERIES = {
    "summary": "",
    "in-custody": "by=gender",
    "flows": "",
    "sentences": "by=gender",
    "breakdown": "by=region",
}


def _levels(client: TestClient) -> dict[str, list[str]]:
    spec = client.get("/openapi.json").json()
    parameters = spec["paths"]["/v1/stats/breakdown"]["get"]["parameters"]
    return {p["name"]: p["schema"]["enum"] for p in parameters if p["name"] in FILTER_NAMES}


def test_envelope_carries_provenance_and_the_synthetic_label(client: TestClient) -> None:
    body = client.get("/v1/stats/summary").json()
    meta = body["meta"]
    assert meta["release"] == "demo-2026-03" and meta["as_of"] == "2026-03-31"
    assert meta["synthetic"] is True
    assert (
        meta["synthetic_note"] == "Demonstration data generated to match published totals — not real records."
    )
    assert meta["licence"]["name"] == "CC-BY-4.0" and meta["sources"]
    assert "demo-2026-03" in meta["citation"] and "synthetic" in meta["citation"]
    assert meta["threshold"] == K and isinstance(meta["suppressed_cells"], int)
    assert body["links"]["permalink"] == "/v1/stats/summary?release=demo-2026-03"
    assert body["links"]["csv"].endswith("format=csv")


def test_headline_totals_are_exact(client: TestClient) -> None:
    rows = client.get("/v1/stats/summary").json()["data"]
    values = {(r["measure"], r.get("category")): r["value"] for r in rows}
    series = client.get("/v1/stats/in-custody").json()["data"]
    assert values[("in_custody", "total")] == series[-1]["count"] > 0
    breakdown = client.get("/v1/stats/breakdown?by=status").json()["data"]
    total = next(r for r in breakdown if r["status"] == "total")
    assert values[("recognized", "total")] == total["count"]


def test_csv_holds_the_same_cells_as_json(client: TestClient) -> None:
    query = "/v1/stats/breakdown?by=region,gender&lang=ru"
    json_rows = client.get(query).json()["data"]
    response = client.get(query + "&format=csv&totals=true")  # JSON keeps its margins by default
    assert response.headers["content-type"].startswith("text/csv")
    assert "demo-2026-03" in response.headers["content-disposition"]
    csv_rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(csv_rows) == len(json_rows)
    for json_row, csv_row in zip(json_rows, csv_rows, strict=True):
        assert csv_row["region"] == json_row["region"] and csv_row["gender_label"] == json_row["gender_label"]
        assert csv_row["count"] == ("" if json_row["count"] is None else str(json_row["count"]))
        assert csv_row["suppressed"] == str(json_row["suppressed"]).lower()
        assert csv_row["synthetic"] == "true" and "не реальные записи" in csv_row["data_note"]


def test_accept_header_negotiates_csv_and_bom_is_optional(client: TestClient) -> None:
    plain = client.get("/v1/stats/breakdown?by=gender", headers={"Accept": "text/csv"})
    with_bom = client.get("/v1/stats/breakdown?by=gender&format=csv&bom=true")
    assert plain.headers["content-type"].startswith("text/csv") and not plain.content.startswith(
        b"\xef\xbb\xbf"
    )
    assert with_bom.content.startswith(b"\xef\xbb\xbf")
    assert "Accept" in plain.headers["vary"]


@pytest.mark.parametrize(("lang", "label"), [("en", "Women"), ("be", "Жанчыны"), ("ru", "Женщины")])
def test_labels_follow_lang_and_codes_do_not(client: TestClient, lang: str, label: str) -> None:
    rows = client.get(f"/v1/stats/breakdown?by=gender&lang={lang}").json()["data"]
    female = next(r for r in rows if r["gender"] == "female")
    assert female["gender_label"] == label


def test_region_and_article_labels_come_from_the_reference_tables(client: TestClient) -> None:
    rows = client.get("/v1/stats/breakdown?by=region&lang=be").json()["data"]
    assert next(r for r in rows if r["region"] == "BY-HM")["region_label"] == "горад Мінск"
    rows = client.get("/v1/stats/breakdown?by=article&lang=ru").json()["data"]
    assert next(r for r in rows if r["article"] == "342")["article_label"].startswith("342: Организация")


def test_article_breakdown_has_no_total_because_people_count_under_each_article(client: TestClient) -> None:
    rows = client.get("/v1/stats/breakdown?by=article").json()["data"]
    assert "total" not in {r["article"] for r in rows}


def test_release_pinned_answers_are_immutable_and_latest_is_short_lived(client: TestClient) -> None:
    pinned = client.get("/v1/stats/summary?release=demo-2026-03")
    latest = client.get("/v1/stats/summary")
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert latest.headers["cache-control"] == "public, max-age=300"
    assert pinned.json()["data"] == latest.json()["data"]


def test_if_none_match_answers_304(client: TestClient) -> None:
    first = client.get("/v1/stats/flows?release=demo-2026-03")
    etag = first.headers["etag"]
    again = client.get("/v1/stats/flows?release=demo-2026-03", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/v1/stats/flows?release=demo-2026-03", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_cors_allows_any_origin_without_credentials(client: TestClient) -> None:
    response = client.get("/v1/stats/summary", headers={"Origin": "https://news.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_months_window_limits_the_series(client: TestClient) -> None:
    rows = client.get("/v1/stats/in-custody?from=2024-01&to=2024-03").json()["data"]
    assert [r["month"] for r in rows] == ["2024-01", "2024-02", "2024-03"]


def test_sentences_split_by_one_dimension_and_a_filter_is_that_split_s_row(client: TestClient) -> None:
    body = client.get("/v1/stats/sentences?by=gender").json()
    medians = {r["gender"]: r["value"] for r in body["data"] if r.get("statistic") == "median"}
    assert set(medians) == {"female", "male", "unknown", "total"}
    assert isinstance(medians["male"], float) and medians["male"] > 0
    women = client.get("/v1/stats/sentences?gender=female").json()["data"]
    split = [{k: v for k, v in r.items() if not k.startswith("gender")} for r in body["data"]]
    assert women == [r for r, full in zip(split, body["data"], strict=True) if full["gender"] == "female"]
    assert client.get("/v1/stats/sentences?by=sentence_kind").status_code == 400


@pytest.mark.parametrize("name", ["gender"])
def test_the_flows_of_each_group_are_parts_of_everyone_s(client: TestClient, name: str) -> None:
    """ "How many women were recognized, and released, each month?" (issue 17): each group's flows add
    up to everyone's where all are shown, never exceed them, show no count from 1 to k-1, and read
    as long rows with pandas."""
    everyone = {r["month"]: r for r in client.get("/v1/stats/flows").json()["data"]}
    groups = [client.get(f"/v1/stats/flows?{name}={level}").json()["data"] for level in _levels(client)[name]]
    columns = [c for c in everyone[next(iter(everyone))] if c != "month" and not c.endswith("_suppressed")]
    summed = 0
    for rows in zip(*groups, strict=True):
        total = everyone[rows[0]["month"]]
        for column in columns:
            parts = [r[column] for r in rows]
            assert all(p is None or p == 0 or p >= 5 for p in parts), (rows[0]["month"], column, parts)
            if total[column] is not None:
                # One group hidden beside a shown total would be the total minus the others.
                assert parts.count(None) != 1, (rows[0]["month"], column, parts)
                assert all(p is None or p <= total[column] for p in parts)
                if None not in parts:
                    assert sum(parts) == total[column], (rows[0]["month"], column)
                    summed += 1
    assert summed  # months where every group is shown exist: the sum was checked
    table = pandas.read_csv(
        io.StringIO(client.get(f"/v1/stats/flows?{name}={_levels(client)[name][0]}&format=csv").text)
    )
    assert list(table.columns[:7]) == [
        "month",
        "event",
        "event_label",
        "kind",
        "kind_label",
        "count",
        "suppressed",
    ]
    assert set(table["event"]) == {"recognized", "released"} and len(table) == len(everyone) * len(
        columns[:-1]
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/v1/stats/sentences?article=342&by=region", "by"),
        ("/v1/stats/sentences?region=BY-HM&by=year_detained", "by"),
        ("/v1/stats/sentences?region=BY-HM&age_band=25_34", "region"),
        ("/v1/stats/sentences?article=342&by=gender&sentence_kind=restricted_freedom", "sentence_kind"),
        ("/v1/stats/in-custody?article=369&by=gender", "by"),
        ("/v1/stats/in-custody?gender=female&region=BY-HM", "gender"),
        ("/v1/stats/flows?region=BY-MI", "region"),
        ("/v1/stats/flows?article=342", "article"),
        ("/v1/stats/flows?gender=female&age_band=25_34", "age_band"),
        ("/v1/stats/flows?age_band=25_34", "age_band"),
        ("/v1/stats/flows?gender=female&by=gender", "by"),
    ],
)
def test_series_and_sentences_take_one_dimension_at_most(
    client: TestClient, query: str, parameter: str
) -> None:
    """A second dimension (or, for flows, any but one gender; for sentences, any but gender
    within an article, an age band or a region) made counts the audit could pin: refused, naming why."""
    assert_bad_parameter(client, query, parameter)


def test_unknown_release_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/stats/summary?release=2019-01")
    assert response.status_code == 404 and response.json()["parameter"] == "release"


def _all_single_filter_queries(client: TestClient) -> Iterator[str]:
    levels = _levels(client)
    for endpoint in ENDPOINTS:
        base = f"/v1/stats/{endpoint}?release=demo-2026-03"
        yield base
        for name, values in levels.items():
            if name in SPECS[endpoint].filters:
                yield from (f"{base}&{name}={value}" for value in values)
        for by in SPECS[endpoint].by_allowed:
            yield f"{base}&by={by}"


def test_no_endpoint_shows_a_count_below_the_threshold_for_any_single_filter(client: TestClient) -> None:
    checked = 0
    for query in _all_single_filter_queries(client):
        for representation in ("json", "csv"):
            response = client.get(f"{query}&format={representation}")
            assert response.status_code == 200, (query, response.text)
            for value in visible_counts(response):
                assert value == 0 or value >= K, (query, representation, value)
                checked += 1
    assert checked > 1000


def test_sqlite_and_postgresql_answer_with_identical_bodies(
    all_engine_clients: dict[str, TestClient],
) -> None:
    queries = [
        "/v1/stats/summary",
        "/v1/stats/in-custody?by=region",
        "/v1/stats/flows",
        "/v1/stats/sentences?by=age_band",
        "/v1/stats/breakdown?by=article,gender",
        "/v1/stats/breakdown?by=year_detained,status&format=csv",
        "/v1/releases/demo-2026-03",
        "/v1/figures",
    ]
    for query in queries:
        bodies = {kind: c.get(query).content for kind, c in all_engine_clients.items()}
        assert bodies["sqlite"] == bodies["postgresql"], query


@pytest.fixture(scope="module")
def all_engine_clients(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    from api import migrate
    from tests.utils.databases import ENGINES, fresh_database, require_engine

    require_engine("postgresql")
    clients: dict[str, TestClient] = {}
    with (
        fresh_database("sqlite", tmp_path_factory.mktemp("a")) as lite,
        fresh_database("postgresql", tmp_path_factory.mktemp("b")) as pg,
    ):
        for kind, url in zip(ENGINES, (lite, pg), strict=True):
            migrate.upgrade(url)
            clients[kind] = TestClient(create_app(Settings(database_url=url)))
        yield clients
        for test_client in clients.values():
            test_client.close()


def _sentence_queries() -> Iterator[str]:
    for kind in ("prison", "restricted_freedom", "home_confinement"):
        base = f"/v1/stats/sentences?release=demo-2026-03&sentence_kind={kind}"
        yield base
        for by in SPECS["sentences"].by_allowed:
            yield f"{base}&by={by}"
        yield from (f"{base}&age_band=45_54", f"{base}&gender=female", f"{base}&region=BY-VI")


def test_no_hidden_sentence_bin_equals_n_minus_the_visible_bins(client: TestClient) -> None:
    for query in _sentence_queries():
        rows = client.get(query).json()["data"]
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            group = next((str(v) for k, v in row.items() if k.endswith("_label")), "all")
            if row["measure"] == "histogram" or row.get("statistic") == "n":
                groups.setdefault(group, []).append(row)
        for group, line in groups.items():
            assert sum(bool(r["suppressed"]) for r in line) != 1, (query, group)


def test_quantiles_are_read_off_the_published_histogram_and_means_are_withheld(client: TestClient) -> None:
    """A published quantile needs the group's size shown; the mean is never published."""
    shown = 0
    for query in _sentence_queries():
        rows = [r for r in client.get(query).json()["data"] if r["measure"] == "quantiles"]
        groups: dict[str, dict[str, dict[str, Any]]] = {}
        for row in rows:
            group = next((str(v) for k, v in row.items() if k.endswith("_label")), "all")
            groups.setdefault(group, {})[row["statistic"]] = row
        for group, statistics in groups.items():
            assert statistics["mean"]["value"] is None and statistics["mean"]["withheld_reason"], query
            published = [s for name, s in statistics.items() if name != "n" and s["value"] is not None]
            assert not published or statistics["n"]["value"] is not None, (query, group)
            shown += len(published)
    assert shown > 0, "the bundled release no longer publishes a quantile here"


def test_months_windows_do_not_multiply_computations(client: TestClient) -> None:
    service = client.app.state.stats  # type: ignore[attr-defined]
    client.get("/v1/stats/in-custody?by=region")
    before = len(service._results)
    for year in range(1990, 2010):
        assert client.get(f"/v1/stats/in-custody?by=region&from={year}-01").status_code == 200
    assert len(service._results) == before


@pytest.mark.parametrize(
    ("accept", "is_csv"),
    [
        ("text/csv", True),
        ("text/csv;q=0, application/json", False),
        ("application/json;q=0.5, text/csv;q=0.9", True),
        ("text/html, */*", False),
        ("application/json, text/csv", False),
    ],
)
def test_accept_quality_values_choose_the_representation(
    client: TestClient, accept: str, is_csv: bool
) -> None:
    response = client.get("/v1/stats/breakdown?by=gender", headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/csv") is is_csv


def test_changes_of_the_first_release_compare_with_nothing(client: TestClient) -> None:
    body = client.get("/v1/releases/demo-2026-03/changes").json()
    assert body["data"]["previous"] is None and body["data"]["cases"] == []
    now = body["data"]["headlines"]["now"]
    summary = {
        (r["measure"], r.get("category")): r["value"] for r in client.get("/v1/stats/summary").json()["data"]
    }
    assert now["in_custody_total"] == summary[("in_custody", "total")]
    assert body["meta"]["synthetic"] is True


def test_empty_release_and_reversed_figure_dates_are_rejected(client: TestClient) -> None:
    assert client.get("/v1/stats/summary?release=").json()["parameter"] == "release"
    assert client.get("/v1/figures?from=2024&to=2020").json()["parameter"] == "from"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(cell: object) -> object:
    """A spreadsheet cell or a CSV field as the value it stands for (Excel keeps 31.0 as 31)."""
    text = "" if cell is None else str(cell).lower() if isinstance(cell, bool) else str(cell)
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_xlsx_holds_the_csv_rows_typed_and_the_provenance(client: TestClient, endpoint: str) -> None:
    query = f"/v1/stats/{endpoint}?{DEFAULT_QUERIES[endpoint]}&lang=ru"
    response = client.get(f"{query}&format=xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].endswith('_synthetic.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = list(workbook["data"].iter_rows(values_only=True))
    rows = list(csv.reader(io.StringIO(client.get(f"{query}&format=csv").text)))
    assert [list(map(_value, row)) for row in sheet] == [list(map(_value, row)) for row in rows]
    assert any(isinstance(cell, int) and not isinstance(cell, bool) for row in sheet[1:] for cell in row)
    about = {name: text for name, text in workbook["about"].iter_rows(values_only=True)}
    assert "Демонстрационные" in str(about["DEMONSTRATION DATA"])
    assert {"release", "data as of", "source", "licence", "disclosure control"} <= set(about)


def test_accept_chooses_xlsx_and_json_links_it(client: TestClient) -> None:
    response = client.get("/v1/stats/breakdown?by=gender", headers={"Accept": XLSX})
    assert response.headers["content-type"] == XLSX and "Accept" in response.headers["vary"]
    assert (
        client.get("/v1/stats/breakdown?by=gender", headers={"Accept": f"{XLSX};q=0.5, text/csv"})
        .headers["content-type"]
        .startswith("text/csv")
    )
    links = client.get("/v1/stats/breakdown?by=gender").json()["links"]
    assert links["xlsx"] == "/v1/stats/breakdown?release=demo-2026-03&by=gender&format=xlsx"
    assert client.get(links["xlsx"]).content == client.get(f"{links['permalink']}&format=xlsx").content


@pytest.mark.parametrize("query", ["format=xls", "format=xlsx&format=csv", "format=xlsx&gender=woman"])
def test_bad_spreadsheet_queries_are_problems_naming_the_parameter(client: TestClient, query: str) -> None:
    response = client.get(f"/v1/stats/breakdown?by=region&{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] in {"format", "gender"}
    if "xls&" in query or query.endswith("xls"):
        assert response.json()["invalid-params"][0]["allowed"] == ["json", "csv", "xlsx"]


@pytest.mark.parametrize(
    ("lang", "word"), [("en", "not real records"), ("be", "Дэманстрацыйныя"), ("ru", "Демонстрационные")]
)
def test_the_data_note_follows_lang(client: TestClient, lang: str, word: str) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(f"/v1/stats/summary?format=csv&lang={lang}").text)))
    assert rows and all(word in row["data_note"] for row in rows)
