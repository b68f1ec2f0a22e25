"""`prisoners-api publish`: the committed publication is exactly what publish makes from the records,
and the service answers every query from it exactly as the records' statistics would."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from api.audit.publication import every_query
from api.cli import app
from api.db import create_db_engine
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.query import StatQuery
from api.records.statistics import RecordStatistics
from api.settings import Settings
from api.stats.service import StatisticsService

RELEASE = "demo-2026-03"


@pytest.mark.slow
def test_the_committed_publication_is_what_publish_makes(tmp_path: Path) -> None:
    """The bundled publication can't drift from its generated records or from the code: publishing the
    demonstration records again gives the same bytes, file by file."""
    out = tmp_path / RELEASE
    result = CliRunner().invoke(app, ["publish", str(DEMO_RECORDS_DIR / RELEASE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{RELEASE}: published 1423 answers" in result.output
    committed = DATASET_DIR / "releases" / RELEASE
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in sorted(out.iterdir()):
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name


# Every answer of a whole release (1,200 and more), on each engine, against the records.
@pytest.mark.slow
def test_every_answer_served_is_the_answer_computed_from_the_records(
    migrated_url: str, records_url: str
) -> None:
    """Every query the routes accept — each enumerated one, and every breakdown with two filters (a
    slice of a stored table) — answers the same from the publication as from the records."""
    served = StatisticsService(create_db_engine(migrated_url), Settings(database_url=migrated_url))
    computed = RecordStatistics(create_db_engine(records_url), Settings(database_url=records_url))
    release, records = served.release(RELEASE), computed.release(RELEASE)
    compared = 0
    for answer in every_query(served, release):
        assert answer.result == computed.compute(answer.statistic, answer.query, records), answer.url
        compared += 1
    levels = {**served.levels(), "status": ("in_custody", "released")}
    for first, second in itertools.combinations(("gender", "age_band", "region", "article", "status"), 2):
        for one, two in itertools.product(levels[first], levels[second]):
            query = StatQuery(release=RELEASE, filters={first: one, second: two})
            assert served.compute("breakdown", query, release) == computed.compute(
                "breakdown", query, records
            )
            compared += 1
    assert compared > 1200


def test_the_public_database_has_no_record_level_table(migrated_url: str) -> None:
    tables = set(inspect(create_db_engine(migrated_url)).get_table_names())
    assert "published_answer" in tables
    assert not tables & {"case", "case_article", "release_suppression"}
