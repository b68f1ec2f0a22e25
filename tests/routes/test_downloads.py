"""Downloads: published tables as CSV, the release ZIP with its datapackage.json, README and citation."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import httpx
import orjson
import pandas
import pytest
import yaml
from fastapi.testclient import TestClient

from api import migrate
from api.main import create_app
from api.settings import Settings
from api.stats.releases import SYNTHETIC_LABEL
from tests.utils.databases import ENGINES, fresh_database, require_engine
from tests.utils.http import assert_bad_parameter
from tests.utils.server import running_server

RELEASE = "demo-2026-03"
BASE = f"/v1/releases/{RELEASE}"
STEM = f"political-prisoners-belarus_{RELEASE}_synthetic"
DOCUMENTS = {"README.md", "datapackage.json", "CITATION.cff", "METHODOLOGY.md", "CHANGELOG.md"}


def _tables(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/tables")
    assert response.status_code == 200
    tables: list[dict[str, Any]] = response.json()["data"]
    return tables


def _archive(client: TestClient) -> zipfile.ZipFile:
    response = client.get(f"{BASE}/download.zip")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def _validate_package(folder: Path) -> None:
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:20]


def test_tables_are_the_finite_set_of_default_queries(client: TestClient) -> None:
    tables = {t["name"]: t for t in _tables(client)}
    breakdowns = [t for t in tables.values() if t["statistic"] == "breakdown"]
    everyone = [t for t in breakdowns if t["population"] == "recognized"]
    assert len([t for t in everyone if len(t["by"]) == 1]) == 8  # every dimension
    assert len([t for t in everyone if len(t["by"]) == 2]) == 28  # every pair of them
    # The people in custody now and the people released, by every pair of who they are.
    assert sorted((t["population"], len(t["by"])) for t in breakdowns if t not in everyone) == sorted(
        [("in_custody", 2)] * 6 + [("released", 2)] * 6
    )
    assert {"summary", "flows", "in-custody", "in-custody-by-article", "sentences-prison-by-region"} <= set(
        tables
    )
    assert {t["sentence_kind"] for t in tables.values() if t["statistic"] == "sentences"} == {
        "prison",
        "restricted_freedom",
        "home_confinement",
        "compulsory_treatment",
        "other",
    }
    pair = tables["breakdown-by-gender-and-region"]
    assert pair["csv"] == f"{BASE}/tables/breakdown-by-gender-and-region.csv"
    assert pair["api"] == f"/v1/stats/breakdown?release={RELEASE}&by=gender%2Cregion&format=csv"
    women = tables["breakdown-in-custody-now-by-gender-and-region"]
    assert women["api"] == (
        f"/v1/stats/breakdown?release={RELEASE}&population=in_custody&by=gender%2Cregion&format=csv"
    )


def test_every_table_is_byte_for_byte_the_statistics_csv(client: TestClient) -> None:
    for table in _tables(client):
        download = client.get(table["csv"])
        assert download.status_code == 200, table["name"]
        assert download.content == client.get(table["api"]).content, table["name"]


def test_a_table_names_its_release_and_points_to_its_schema(client: TestClient) -> None:
    response = client.get(f"{BASE}/tables/summary.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="summary_{RELEASE}_synthetic.csv"' in response.headers["content-disposition"]
    assert response.headers["link"] == f'<{BASE}/datapackage.json>; rel="describedby"'
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (
        client.get("/v1/releases/latest/tables/summary.csv").headers["cache-control"] == "public, max-age=300"
    )


def test_zip_is_revalidated_daily_under_a_strong_etag(client: TestClient) -> None:
    response = client.get(f"{BASE}/download.zip")
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == f'attachment; filename="{STEM}.zip"'
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    # Not immutable: the published figures and the methodology in it may be corrected after the release.
    assert response.headers["cache-control"] == "public, max-age=86400"
    again = client.get(f"{BASE}/download.zip", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/v1/releases/latest/download.zip").headers["etag"] == etag


def test_zip_holds_the_tables_the_figures_and_the_documents_and_nothing_record_level(
    client: TestClient,
) -> None:
    archive = _archive(client)
    names = set(archive.namelist())
    tables = {f"{STEM}/data/{t['name']}.csv" for t in _tables(client)}
    assert names == {f"{STEM}/{doc}" for doc in DOCUMENTS} | tables | {f"{STEM}/data/published_figures.csv"}
    assert not [name for name in names if "cases" in name]
    for name in names:
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            assert "case_id" not in header and "articles" not in header, name
    assert {info.date_time for info in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}


def test_zip_files_are_the_files_the_api_serves(client: TestClient) -> None:
    archive = _archive(client)
    assert archive.read(f"{STEM}/datapackage.json") == client.get(f"{BASE}/datapackage.json").content
    assert archive.read(f"{STEM}/CITATION.cff") == client.get(f"{BASE}/CITATION.cff").content
    figures = client.get("/v1/figures?format=csv").content
    assert archive.read(f"{STEM}/data/published_figures.csv") == figures
    summary = client.get(f"/v1/stats/summary?release={RELEASE}&format=csv").content
    assert archive.read(f"{STEM}/data/summary.csv") == summary


def test_datapackage_describes_the_release_and_types_every_column(client: TestClient) -> None:
    package = client.get(f"{BASE}/datapackage.json").json()
    assert package["version"] == RELEASE and package["name"] == "political-prisoners-belarus"
    assert package["created"] == "2026-11-25T00:00:00Z"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"] and package["contributors"]
    assert package["synthetic"] is True and "SYNTHETIC" in package["title"]
    for resource in package["resources"]:
        assert "synthetic" in resource["description"].lower(), resource["name"]
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        for name, spec in fields.items():
            if name in {"count", "recognized"} or (name.startswith("released_") and "suppressed" not in name):
                assert spec["type"] == "integer", (resource["name"], name)
            if name == "suppressed" or name.endswith("_suppressed") or name == "synthetic":
                assert spec["type"] == "boolean", (resource["name"], name)
    figures = next(r for r in package["resources"] if r["name"] == "published-figures")
    assert "NOT synthetic" in figures["description"]


def test_readme_and_citation_say_what_the_release_is(client: TestClient) -> None:
    archive = _archive(client)
    readme = archive.read(f"{STEM}/README.md").decode("utf-8")
    assert SYNTHETIC_LABEL in readme and "## How to cite" in readme and "## Definitions" in readme
    assert "data/breakdown-by-region.csv" in readme
    citation = yaml.safe_load(client.get(f"{BASE}/CITATION.cff").text)
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    assert citation["version"] == RELEASE and citation["license"] == "CC-BY-4.0"
    assert citation["date-released"] == "2026-11-25" and citation["authors"][0]["name"]
    assert "synthetic" in citation["title"] and "SYNTHETIC" in citation["abstract"]


def test_citation_names_the_public_url_and_the_release_when_set(migrated_url: str) -> None:
    settings = Settings(database_url=migrated_url, public_base_url="https://data.example.org")
    # Requests name the public host: another would be refused (api/middleware/hosts.py).
    with TestClient(create_app(settings), base_url="https://data.example.org") as configured:
        citation = yaml.safe_load(configured.get(f"{BASE}/CITATION.cff").text)
    assert citation["url"] == "https://data.example.org/"
    assert citation["identifiers"] == [
        {
            "type": "url",
            "value": f"https://data.example.org/v1/releases/{RELEASE}",
            "description": f"Release {RELEASE} (immutable)",
        }
    ]


def test_unpacked_zip_is_a_valid_frictionless_package(sqlite_client: TestClient, tmp_path: Path) -> None:
    _archive(sqlite_client).extractall(tmp_path)
    _validate_package(tmp_path / STEM)


def test_zip_bytes_are_the_same_on_every_instance_and_engine(tmp_path: Path) -> None:
    etags = []
    for kind in ENGINES:
        if kind == "postgresql":
            require_engine(kind)
        with fresh_database(kind, tmp_path) as url:
            migrate.upgrade(url)
            for _instance in range(2):
                with TestClient(create_app(Settings(database_url=url))) as fresh:
                    etags.append(fresh.get(f"{BASE}/download.zip").headers["etag"])
    assert len(set(etags)) == 1


# A real server process (and its database migrated) for one download.
@pytest.mark.slow
def test_zip_from_a_running_server_opens_everywhere(tmp_path: Path) -> None:
    """Download from uvicorn, unpack, validate with frictionless, reopen every CSV with pandas and csv."""
    with fresh_database("sqlite", tmp_path) as url:
        migrate.upgrade(url)
        with running_server(url, tmp_path) as base:
            response = httpx.get(f"{base}{BASE}/download.zip", timeout=60)
    assert response.status_code == 200
    assert RELEASE in response.headers["content-disposition"]
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(folder)
    root = folder / STEM
    _validate_package(root)
    package = orjson.loads((root / "datapackage.json").read_bytes())
    for resource in package["resources"]:
        path = root / resource["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = [f["name"] for f in resource["schema"]["fields"]]
        assert rows[0] == header and all(len(row) == len(header) for row in rows), path.name
        frame = pandas.read_csv(path, encoding="utf-8", keep_default_na=False, dtype=str)
        assert list(frame.columns) == header and len(frame) == len(rows) - 1, path.name
        if "count" in header:
            counts = pandas.to_numeric(frame["count"].replace("", None))
            assert (counts.dropna() >= 0).all(), path.name


def test_table_names_are_documented_in_openapi(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    parameters = document["paths"]["/v1/releases/{release}/tables/{table}.csv"]["get"]["parameters"]
    table = next(p for p in parameters if p["name"] == "table")
    assert table["schema"]["enum"] == [t["name"] for t in _tables(client)]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_table_csv_takes_lang_and_bom_like_the_statistics_csv(client: TestClient) -> None:
    table = next(t for t in _tables(client) if t["name"] == "breakdown-by-gender-and-region")
    download = client.get(f"{table['csv']}?lang=be&bom=true")
    assert download.status_code == 200 and download.content.startswith(b"\xef\xbb\xbf")
    assert download.content == client.get(f"{table['api']}&lang=be&bom=true").content
    assert "Жанчыны" in download.content.decode("utf-8-sig")


def test_every_table_is_a_workbook_with_the_demonstration_mark(sqlite_client: TestClient) -> None:
    for table in _tables(sqlite_client):
        response = sqlite_client.get(f"{table['xlsx']}?lang=ru")
        assert response.status_code == 200 and response.headers["content-type"] == XLSX, table["name"]
        sheets = pandas.read_excel(io.BytesIO(response.content), sheet_name=None)
        data = sheets["data"]
        assert len(data) == len(list(csv.DictReader(io.StringIO(sqlite_client.get(table["csv"]).text))))
        assert data["synthetic"].all() and data["data_note"].str.contains("Демонстрационные").all()
        assert sheets["about"].columns[0] == "DEMONSTRATION DATA", table["name"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"{BASE}/tables/summary.xlsx?bom=true", "bom"),
        (f"{BASE}/tables/summary.csv?lang=de", "lang"),
        (f"{BASE}/tables/summary.csv?bom=yes", "bom"),
        (f"{BASE}/download.zip?bom=1", "bom"),
        (f"{BASE}/tables/cases.xlsx", "table"),
    ],
)
def test_bad_spreadsheet_options_are_problems_naming_the_parameter(
    client: TestClient, path: str, parameter: str
) -> None:
    assert_bad_parameter(client, path, parameter, (400, 404))


def test_zip_csvs_take_the_bom_and_stay_a_valid_package(client: TestClient, tmp_path: Path) -> None:
    response = client.get(f"{BASE}/download.zip?bom=true")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    csvs = [name for name in archive.namelist() if name.endswith(".csv")]
    assert csvs and all(archive.read(name).startswith(b"\xef\xbb\xbf") for name in csvs)
    assert not _archive(client).read(csvs[0]).startswith(b"\xef\xbb\xbf")
    archive.extractall(tmp_path)
    _validate_package(tmp_path / STEM)


def _zip_csvs(content: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist() if name.endswith(".csv")}


def test_zip_with_sep_semicolon_holds_the_values_of_the_comma_zip(client: TestClient) -> None:
    """Every CSV, the figures too, read back with `sep=";", decimal=","` equals the comma version."""
    response = client.get(f"{BASE}/download.zip?sep=%3B")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    semicolon = _zip_csvs(response.content)
    comma = _zip_csvs(client.get(f"{BASE}/download.zip").content)
    assert semicolon.keys() == comma.keys() and len(semicolon) > 2
    for name, data in semicolon.items():
        assert data != comma[name] and data.split(b"\r\n")[0] == comma[name].split(b"\r\n")[0].replace(
            b",", b";"
        ), name
        read = pandas.read_csv(io.BytesIO(data), sep=";", decimal=",")
        pandas.testing.assert_frame_equal(read, pandas.read_csv(io.BytesIO(comma[name])), obj=name)
    # Decimals are written with a comma (the shares of a breakdown), not only the separators changed.
    assert re.search(rb";false;0,\d+;", semicolon[f"{STEM}/data/breakdown-by-gender.csv"])
    assert (
        semicolon[f"{STEM}/data/published_figures.csv"]
        == client.get("/v1/figures?format=csv&sep=%3B").content
    )
    summary = client.get(f"{BASE}/tables/summary.csv?sep=%3B").content
    assert semicolon[f"{STEM}/data/summary.csv"] == summary


def _rows(resource: frictionless.Resource) -> list[dict[str, Any]]:
    """The typed rows frictionless reads from a resource through its dialect and schema."""
    assert isinstance(resource, frictionless.resources.TableResource)
    return [row.to_dict() for row in resource.read_rows()]


def test_semicolon_zip_declares_its_dialect_and_decimal_char(
    sqlite_client: TestClient, tmp_path: Path
) -> None:
    """frictionless validates the unpacked `sep=;` ZIP and reads from it the values of the comma ZIP."""
    # With a byte-order mark too, as Excel's users will ask for it.
    for query, folder in (("?sep=%3B&bom=true", "semicolon"), ("", "comma")):
        response = sqlite_client.get(f"{BASE}/download.zip{query}")
        zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path / folder)
        _validate_package(tmp_path / folder / STEM)
    semicolon = orjson.loads((tmp_path / "semicolon" / STEM / "datapackage.json").read_bytes())
    comma = orjson.loads((tmp_path / "comma" / STEM / "datapackage.json").read_bytes())
    numbers = 0
    for resource, plain in zip(semicolon["resources"], comma["resources"], strict=True):
        assert resource["dialect"]["delimiter"] == ";" and plain["dialect"]["delimiter"] == ","
        for spec, plain_spec in zip(resource["schema"]["fields"], plain["schema"]["fields"], strict=True):
            assert spec.get("decimalChar") == ("," if spec["type"] == "number" else None), spec
            assert "decimalChar" not in plain_spec
            numbers += spec["type"] == "number"
    assert numbers > 0
    packages = [
        frictionless.Package(str(tmp_path / f / STEM / "datapackage.json")) for f in ("semicolon", "comma")
    ]
    for name in ("summary", "breakdown-by-gender", "published-figures"):
        read = [_rows(package.get_resource(name)) for package in packages]
        assert read[0] and read[0] == read[1], name
    # The descriptor served on its own stays the one of the default ZIP.
    assert sqlite_client.get(f"{BASE}/datapackage.json").json() == comma


def test_zip_readme_says_which_separator_its_csvs_use(client: TestClient) -> None:
    semicolon = zipfile.ZipFile(io.BytesIO(client.get(f"{BASE}/download.zip?sep=%3B").content))
    readme = semicolon.read(f"{STEM}/README.md").decode("utf-8")
    assert "separated by **semicolons** (`;`), with **decimal commas**" in readme
    assert 'pandas.read_csv(path, sep=";", decimal=",")' in readme
    plain = _archive(client).read(f"{STEM}/README.md").decode("utf-8")
    assert "separated by commas (`,`), with decimal points" in plain and "semicolons**" not in plain


@pytest.mark.parametrize("value", ["|", "%09", "tab", ",;", ""])
def test_zip_refuses_other_separators_with_a_problem_naming_sep(client: TestClient, value: str) -> None:
    response = client.get(f"{BASE}/download.zip?sep={value}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == "sep"
