"""A record-level release's suppression list (suppression.json, beside its cases in the curator's
private folder): loaded into the workspace, applied by every table `publish` computes, and rejected
precisely when malformed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.cells import STATIC_ATTRIBUTES
from api.dataset.validation import DatasetError
from api.db import create_db_engine
from api.publication.workspace import create_workspace
from api.settings import Settings
from tests.utils.generated import records_app

RELEASE = "demo-2026-03"
LIST_LABEL = f"dataset/demo/{RELEASE}/suppression.json"


def _write_list(dataset: Path, cells: list[Any], shown: list[Any] | None = None) -> None:
    document: dict[str, Any] = {"release": RELEASE, "threshold": 5, "protection_interval": 5, "cells": cells}
    if shown is not None:
        document["shown"] = shown
    (dataset / "demo" / RELEASE / "suppression.json").write_text(json.dumps(document), encoding="utf-8")


def test_a_listed_set_of_people_is_hidden_in_every_table_that_counts_them(
    database_url: str, dataset_copy: Path
) -> None:
    # Minsk region: a large count every table shows, unless the release's list says otherwise.
    _write_list(dataset_copy, [{"conditions": {"region": ["BY-MI"]}}])
    create_workspace(database_url, dataset_copy, [dataset_copy / "demo" / RELEASE]).dispose()

    with create_db_engine(database_url).connect() as connection:
        rows = connection.execute(text("SELECT cell, hidden FROM release_suppression")).all()
    assert [(json.loads(cell), bool(hidden)) for cell, hidden in rows] == [
        ({"conditions": {"region": ["BY-MI"]}}, True)
    ]
    settings = Settings(database_url=database_url, dataset_dir=dataset_copy)
    with TestClient(records_app(settings)) as client:
        by_region = client.get("/v1/stats/breakdown", params={"by": "region"}).json()["data"]
        minsk = [row for row in by_region if row["region"] == "BY-MI"]
        assert minsk and all(row["suppressed"] and row["count"] is None for row in minsk)
        # The line rule hides a second region, so BY-MI is not the total minus the others.
        assert sum(row["suppressed"] for row in by_region if row["region"] != "total") >= 2
        by_gender = client.get("/v1/stats/breakdown", params={"by": "region,gender"}).json()["data"]
        assert all(
            row["suppressed"] for row in by_gender if row["region"] == "BY-MI" and row["gender"] == "total"
        )
        # The same people through a filter, and in the summary's count of everyone (recognized).
        filtered = client.get("/v1/stats/breakdown", params={"region": "BY-MI", "by": "gender"}).json()[
            "data"
        ]
        assert [row["suppressed"] for row in filtered if row["gender"] == "total"] == [True]
        summary = client.get("/v1/stats/summary", params={"region": "BY-MI"}).json()["data"]
        everyone = [row for row in summary if row["measure"] == "recognized" and row["category"] == "total"]
        assert everyone and all(row["suppressed"] for row in everyone)


MALFORMED: dict[str, tuple[Any, list[str]]] = {
    "unknown attribute": ({"conditions": {"colour": ["red"]}}, ["cells/0/conditions", "colour"]),
    "empty values": ({"conditions": {"region": []}}, ["cells/0/conditions/region"]),
    "unknown event": (
        {"conditions": {}, "event": {"kind": "born", "month": "2021-01"}},
        ["cells/0/event/kind", "born"],
    ),
    "bad month": (
        {"conditions": {}, "event": {"kind": "released", "month": "2021-13"}},
        ["cells/0/event/month", "2021-13"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_list_is_rejected_naming_the_entry_and_nothing_stays_loaded(
    case: str, database_url: str, dataset_copy: Path
) -> None:
    entry, expected = MALFORMED[case]
    _write_list(dataset_copy, [entry])
    with pytest.raises(DatasetError) as raised:
        create_workspace(database_url, dataset_copy, [dataset_copy / "demo" / RELEASE])
    for fragment in [LIST_LABEL, *expected]:
        assert fragment in str(raised.value)
    with create_db_engine(database_url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM release_suppression")).scalar_one() == 0
        assert connection.execute(text('SELECT count(*) FROM "case"')).scalar_one() == 0


def test_the_schema_names_every_attribute_a_listed_set_of_people_may_condition_on() -> None:
    """`protect` lists sets of people on any attribute the audit codes (`STATIC_ATTRIBUTES`): an
    attribute the schema lacks makes its own list fail validation when it is read back."""
    schema = json.loads((Settings().dataset_dir / "schema" / "suppression.schema.json").read_text("utf-8"))
    conditions = schema["$defs"]["cell"]["properties"]["conditions"]["propertyNames"]["enum"]
    assert conditions == list(STATIC_ATTRIBUTES)
