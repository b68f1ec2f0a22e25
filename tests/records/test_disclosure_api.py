"""Property tests of the disclosure policy through the HTTP API: generated datasets, generated queries.

Whatever the data (including adversarial shapes: one person in a region, a single woman under an
article), no response — JSON or CSV — may show a count from 1 to k-1, and no published line of a
breakdown may have exactly one suppressed cell (it would equal its total minus the visible cells).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.db import create_db_engine
from api.records.breakdown import EXACT_LEVELS
from api.settings import Settings
from tests.utils.examples import examples
from tests.utils.generated import case_records, empty_database, insert_release, records_app

K = 5


QUERIES = st.sampled_from(
    [
        "/v1/stats/summary",
        "/v1/stats/summary?gender=female",
        "/v1/stats/summary?region=BY-VI",
        "/v1/stats/in-custody?by=region",
        "/v1/stats/in-custody?gender=female",
        "/v1/stats/in-custody?article=369",
        "/v1/stats/in-custody?by=age_band",
        "/v1/stats/flows",
        "/v1/stats/flows?gender=female",
        "/v1/stats/sentences",
        "/v1/stats/sentences?by=gender",
        "/v1/stats/sentences?region=BY-BR",
        "/v1/stats/breakdown?by=gender,region",
        "/v1/stats/breakdown?by=article,age_band",
        "/v1/stats/breakdown?by=region,release_kind",
        "/v1/stats/breakdown?gender=female&by=article",
        "/v1/stats/breakdown?status=in_custody&by=region",
    ]
)


@pytest.fixture(scope="module")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace SQLite file with the reference tables, but no release."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    return empty_database(path)


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def _client_for(records: list[dict[str, Any]], template: Path, folder: Path) -> TestClient:
    path = folder / f"db-{datetime.now(UTC).timestamp()}.sqlite3"
    shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    insert_release(engine, records)
    engine.dispose()
    return TestClient(records_app(Settings(database_url=f"sqlite:///{path}", release_check_seconds=0)))


def _lines_with_one_suppressed(rows: list[dict[str, Any]], first: str, second: str) -> list[str]:
    """Rows and columns of a two-way breakdown (with their totals) that hide exactly one member."""
    problems = []
    for axis, other in ((first, second), (second, first)):
        for value in {r[axis] for r in rows}:
            line = [r for r in rows if r[axis] == value]
            if sum(r["suppressed"] for r in line) == 1 and other != "article":
                problems.append(f"{axis}={value}")
    return problems


def _small_cells(rows: list[dict[str, Any]], filtered: bool) -> list[tuple[str, Any]]:
    """Visible counts from 1 to k-1, except the exact grand totals and headlines of an unfiltered table."""
    small = []
    for row in rows:
        dimensions = [key[: -len("_label")] for key in row if key.endswith("_label")]
        grand_total = (
            not filtered
            and all(row[d] == "total" for d in dimensions)
            and row.get("category", "total") == "total"
        )
        # The people in custody now and the people released are headlines, exact whatever their size
        # (the series in custody publishes the first exactly; everyone minus them is the second).
        headline = not filtered and (
            (row.get("measure") == "recognized" and row.get("category") in EXACT_LEVELS["status"])
            or any(
                row.get(d) in EXACT_LEVELS[d] and all(row[o] == "total" for o in dimensions if o != d)
                for d in dimensions
                if d in EXACT_LEVELS
            )
        )
        grand_total = grand_total or headline
        is_statistic = (
            row.get("measure") in {"quantiles", "prison_sentence_months"} and row.get("statistic") != "n"
        )
        for key, value in row.items():
            counted = key in {"count", "value", "recognized"} or (
                key.startswith("released_") and not key.endswith("suppressed")
            )
            number = int(value) if isinstance(value, str) and value.isdigit() else value
            is_count = counted and not is_statistic and type(number) is int
            if is_count and 0 < number < K and not (grand_total and key in {"count", "value"}):
                small.append((key, row))
    return small


@settings(
    max_examples=examples(10, 40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(case_records(), min_size=1, max_size=60),
    queries=st.lists(QUERIES, min_size=3, max_size=6),
)
def test_generated_data_never_shows_a_small_count(
    records: list[dict[str, Any]], queries: list[str], template_database: Path, workdir: Path
) -> None:
    with _client_for(records, template_database, workdir) as client:
        for query in queries:
            # A filter by a headline level (status=in_custody) keeps its total a headline.
            headline_filter = any(
                f"{d}={level}" in query for d, levels in EXACT_LEVELS.items() for level in levels
            )
            filtered = not headline_filter and any(
                f"{name}=" in query for name in ("gender", "region", "age_band", "article", "status")
            )
            response = client.get(query)
            assert response.status_code == 200, (query, response.text)
            assert _small_cells(response.json()["data"], filtered) == [], query
            separator = "&" if "?" in query else "?"
            csv_response = client.get(f"{query}{separator}format=csv")
            csv_rows = list(csv.DictReader(io.StringIO(csv_response.text)))
            assert _small_cells(csv_rows, filtered) == [], (query, "csv")
            if "by=" in query and "," in query.split("by=")[1]:
                first, second = query.split("by=")[1].split(",")
                assert _lines_with_one_suppressed(response.json()["data"], first, second) == [], query
