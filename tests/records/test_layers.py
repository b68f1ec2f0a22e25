"""The public service answers from publications only: serving, even the first request of every kind,
imports none of the code that reads records or computes statistics from them (issue 15's layers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CURATOR_ONLY = (
    "api.records",
    "api.audit",
    "api.disclosure",
    "api.review",
    "api.publication.publish",
    "api.publication.workspace",
    "api.dataset.importer",
    "api.dataset.demo",
    "api.dataset.calibration",
)
"""Packages and modules of the curator's private tools (`prisoners-api publish`, `protect`, `review`,
the importer and the generator)."""

SERVE = """
import json, sys
from fastapi.testclient import TestClient
from api import migrate
from api.main import create_app
from api.settings import Settings

migrate.upgrade(sys.argv[1])  # what `prisoners-api serve` does first

paths = [
    "/", "/v1/stats/summary", "/v1/stats/breakdown?by=region,gender", "/v1/stats/in-custody?by=gender",
    "/v1/stats/flows", "/v1/stats/sentences?by=region", "/v1/stats/breakdown?gender=female&region=BY-MI",
    "/v1/releases/latest/changes", "/v1/charts/breakdown.svg", "/embed/in-custody",
    "/v1/releases/latest/download.zip", "/v1/figures/series",
]
with TestClient(create_app(Settings(database_url=sys.argv[1]))) as client:
    statuses = [client.get(path).status_code for path in paths]
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
"""


def test_serving_imports_no_record_level_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'public.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", SERVE, url], capture_output=True, text=True, timeout=600, check=True
    )
    served = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(served["statuses"]) <= {200, 404} and served["statuses"].count(200) >= 10, served["statuses"]
    imported = [m for m in served["modules"] if m.startswith(CURATOR_ONLY)]
    assert imported == [], imported
