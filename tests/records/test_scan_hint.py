"""SQLite reads a release that holds most of the cases by scanning, not through the release_id index
(2-4x faster at 1M records, docs/BENCHMARKS.md); a small release and PostgreSQL keep the planner's
choice."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import event

from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.workspace import create_workspace
from api.records.cube import SCAN_SHARE, grouped_counts
from api.records.statistics import Workspace
from api.settings import Settings
from api.stats.dimensions import dimension
from api.stats.releases import ReleaseCatalog

HINT = '+"case".release_id'


def test_a_large_share_is_scanned_on_sqlite_only(database_url: str) -> None:
    engine = create_workspace(database_url, DATASET_DIR, [DEMO_RECORDS_DIR / "demo-2026-03"])
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, statement, *_a: statements.append(statement))
    release = ReleaseCatalog(engine, ttl=0, kinds=("pardon",), records=Workspace()).get("demo-2026-03")
    assert release is not None and release.share == 1.0  # the only release
    region = dimension("region", Settings().dataset_dir, release.years)
    with engine.connect() as connection:
        whole = grouped_counts(connection, release, [region])
        large_sql = statements[-1]
        small = grouped_counts(connection, replace(release, share=SCAN_SHARE / 2), [region])
        small_sql = statements[-1]
    engine.dispose()
    assert sorted(whole) == sorted(small) and sum(int(str(row[-1])) for row in whole) == release.case_count
    assert HINT not in small_sql
    assert (HINT in large_sql) == database_url.startswith("sqlite")


def test_a_workspace_counts_each_group_by_once(database_url: str) -> None:
    """publish asks the same GROUP BY for every filter value of a table and in every audit round: the
    records of a workspace never change, so the database runs it once (docs/BENCHMARKS.md)."""
    engine = create_workspace(database_url, DATASET_DIR, [DEMO_RECORDS_DIR / "demo-2026-03"])
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, statement, *_a: statements.append(statement))
    release = ReleaseCatalog(engine, ttl=0, kinds=("pardon",), records=Workspace()).get("demo-2026-03")
    assert release is not None
    region, gender = (dimension(name, Settings().dataset_dir, release.years) for name in ("region", "gender"))
    statements.clear()
    with engine.connect() as connection:
        first = grouped_counts(connection, release, [region])
        first.clear()  # a caller changing its rows changes nobody else's
        again = grouped_counts(connection, release, [region])
        other = grouped_counts(connection, release, [gender])
    engine.dispose()
    counting = [s for s in statements if "GROUP BY" in s]
    assert len(counting) == 2, counting
    assert sum(int(str(row[-1])) for row in again) == sum(int(str(row[-1])) for row in other) > 0
