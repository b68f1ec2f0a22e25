"""The release catalogue: re-read often so a new release appears, but a loaded release's cases are
scanned once per process (releases never change once loaded)."""

from __future__ import annotations

import re

from sqlalchemy import event, text

from api.db import create_db_engine
from api.stats.releases import ReleaseCatalog


def test_a_release_s_cases_are_scanned_once_however_often_the_catalogue_is_read(migrated_url: str) -> None:
    engine = create_db_engine(migrated_url)
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
    catalog = ReleaseCatalog(engine, ttl=0, kinds=("pardon",))  # every call re-reads the list of releases
    readings = [catalog.get("demo-2026-03") for _ in range(3)]
    engine.dispose()
    scans = [s for s in statements if 'from "case"' in s.lower() or "from case " in s.lower()]
    release_reads = [s for s in statements if re.search(r"\bfrom release\b(?!_)", s.lower())]
    assert len(release_reads) == 3 and len(scans) == 1, scans
    assert all(r is not None for r in readings)
    assert {(r.first_month, r.first_recognized) for r in readings if r} == {expected}
