"""CSV URLs as spreadsheets and tools fetch them: Google Sheets' IMPORTDATA, Datawrapper's "link external
data", pandas. They need a 200 at the very URL (no redirect), a CSV media type with its charset, and,
for the ones that fetch from the reader's browser, CORS for any origin."""

from __future__ import annotations

import io
from pathlib import Path

import pandas
import pytest
from fastapi.testclient import TestClient

from tests.utils.server import running_server
from tests.utils.shapes import FLOWS_LONG_COLUMNS

CSV_URLS = [
    "/v1/stats/summary?format=csv",
    "/v1/stats/flows?format=csv",
    "/v1/stats/flows?format=csv&shape=wide",
    "/v1/stats/breakdown?by=region&gender=female&format=csv",
    "/v1/stats/breakdown?by=region&format=csv&totals=true&sep=%3B",
    "/v1/stats/sentences?by=gender&format=csv",
    "/v1/stats/sentences?by=gender&format=csv&part=quantiles",
    "/v1/stats/in-custody?by=gender&format=csv&bom=true",
    "/v1/releases/latest/tables/flows.csv",
    "/v1/releases/latest/tables/sentences-prison-quantiles.csv",
    "/v1/figures?format=csv",
    "/v1/figures/series/in-custody?format=csv&sep=%3B",
    "/v1/articles?format=csv&bom=true",
]
OTHER_CSVS = ["/v1/figures", "/v1/figures/series/in-custody", "/v1/articles", "/v1/regions"]
ORIGINS = ["https://docs.google.com", "https://app.datawrapper.de"]


@pytest.mark.parametrize("url", CSV_URLS)
@pytest.mark.parametrize("origin", ORIGINS)
def test_a_csv_url_answers_directly_as_csv_to_any_origin(client: TestClient, url: str, origin: str) -> None:
    response = client.get(url, headers={"Origin": origin}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


# A real server process per engine, read by pandas over HTTP.
@pytest.mark.slow
def test_pandas_reads_every_new_shape_from_a_running_server(migrated_url: str, tmp_path: Path) -> None:
    with running_server(migrated_url, tmp_path) as base:
        flows = pandas.read_csv(f"{base}/v1/stats/flows?format=csv")
        breakdown = pandas.read_csv(f"{base}/v1/stats/breakdown?by=gender&format=csv")
        semicolon = pandas.read_csv(
            f"{base}/v1/stats/breakdown?by=gender&format=csv&sep=%3B&bom=true",
            sep=";",
            decimal=",",
            encoding="utf-8-sig",
        )
        histogram = pandas.read_csv(f"{base}/v1/stats/sentences?format=csv")
        quantiles = pandas.read_csv(f"{base}/v1/stats/sentences?format=csv&part=quantiles")
        total = pandas.read_csv(f"{base}/v1/stats/breakdown?format=csv")["count"].iloc[0]
    assert list(flows.columns[: len(FLOWS_LONG_COLUMNS)]) == FLOWS_LONG_COLUMNS
    assert breakdown["count"].sum() == total and not breakdown["suppressed"].any()
    assert semicolon["share"].tolist() == breakdown["share"].tolist()
    assert histogram["count"].sum() == quantiles.loc[quantiles["statistic"] == "n", "value"].iloc[0]
    assert all(frame["synthetic"].all() for frame in (flows, breakdown, semicolon, histogram, quantiles))


@pytest.mark.parametrize("path", OTHER_CSVS)
def test_figures_and_reference_csvs_take_sep_and_bom(client: TestClient, path: str) -> None:
    plain = client.get(f"{path}?format=csv").content
    semicolon = client.get(f"{path}?format=csv&sep=%3B&bom=true").content
    assert semicolon.startswith(b"\xef\xbb\xbf")
    header = semicolon.removeprefix(b"\xef\xbb\xbf").split(b"\r\n")[0]
    assert header == plain.split(b"\r\n")[0].replace(b",", b";")
    frame = pandas.read_csv(io.BytesIO(semicolon), sep=";", encoding="utf-8-sig", dtype=str)
    assert frame.shape == pandas.read_csv(io.BytesIO(plain), dtype=str).shape
    for bad in ("sep=%7C", "bom=yes"):
        response = client.get(f"{path}?{bad}")
        assert response.status_code == 400 and response.json()["parameter"] == bad.split("=")[0]
