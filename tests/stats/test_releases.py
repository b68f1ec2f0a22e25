"""The release catalogue: re-read often so a new release appears. In a workspace, a loaded release's
cases are scanned once per process (releases never change once loaded); a publication says its first
months itself, and nothing is scanned."""

from __future__ import annotations

import re

from sqlalchemy import event, text

from api.db import create_db_engine
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.workspace import create_workspace
from api.records.statistics import Workspace
from api.stats.releases import ReleaseCatalog


def test_a_release_s_cases_are_scanned_once_however_often_the_catalogue_is_read(database_url: str) -> None:
    engine = create_workspace(database_url, DATASET_DIR, [DEMO_RECORDS_DIR / "demo-2026-03"])
    with engine.connect() as connection:
        expected = tuple(
            str(value)
            for value in connection.execute(
                text('SELECT min(detained_on), min(recognized_on) FROM "case" WHERE release_id = :r'),
                {"r": "demo-2026-03"},
            ).one()
        )
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, statement, *_a: statements.append(statement))
    catalog = ReleaseCatalog(
        engine, ttl=0, kinds=("pardon",), records=Workspace()
    )  # every call re-reads the list of releases
    readings = [catalog.get("demo-2026-03") for _ in range(3)]
    engine.dispose()
    scans = [s for s in statements if 'from "case"' in s.lower() or "from case " in s.lower()]
    release_reads = [s for s in statements if re.search(r"\bfrom release\b(?!_)", s.lower())]
    assert len(release_reads) == 3 and len(scans) == 1, scans
    assert all(r is not None for r in readings)
    assert {(r.first_month, r.first_recognized) for r in readings if r} == {expected}


def test_a_publication_gives_its_first_months_without_any_scan(migrated_url: str) -> None:
    engine = create_db_engine(migrated_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, statement, *_a: statements.append(statement))
    release = ReleaseCatalog(engine, ttl=0, kinds=("pardon",)).get("demo-2026-03")
    engine.dispose()
    assert release is not None and (release.first_month, release.first_recognized) == ("2020-05", "2020-05")
    assert release.case_count == 4535
    assert not [s for s in statements if "case" in s.lower().replace("case_count", "")]
