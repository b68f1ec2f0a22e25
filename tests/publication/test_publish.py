"""`prisoners-api publish`: the committed publication is exactly what publish makes from the records,
and the service answers every query from it exactly as the records' statistics would."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from api.audit.publication import every_query
from api.cli import app
from api.dataset.files import SUPPRESSION_FILE
from api.db import create_db_engine
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.answers import StoredAnswer
from api.publication.folder import read_publication, write_publication
from api.publication.publish import publish
from api.query import StatQuery
from api.records.statistics import RecordStatistics
from api.settings import Settings
from api.stats.service import StatisticsService

RELEASE = "demo-2026-03"


@pytest.mark.slow
def test_the_committed_publication_is_what_publish_makes(tmp_path: Path) -> None:
    """The bundled publication can't drift from its generated records or from the code: publishing the
    demonstration records again gives the same bytes, file by file."""
    out, records = tmp_path / RELEASE, tmp_path / "records" / RELEASE
    shutil.copytree(DEMO_RECORDS_DIR / RELEASE, records)  # publish keeps its list beside the records
    result = CliRunner().invoke(app, ["publish", str(records), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{RELEASE}: published 1180 answers" in result.output
    committed = DATASET_DIR / "releases" / RELEASE
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in sorted(out.iterdir()):
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
    # The list the answers were computed with, kept privately: the committed records' own.
    kept = (records / SUPPRESSION_FILE).read_bytes()
    assert kept == (DEMO_RECORDS_DIR / RELEASE / SUPPRESSION_FILE).read_bytes()


@pytest.mark.slow
def test_a_release_published_again_hides_all_its_last_publication_hid(tmp_path: Path) -> None:
    """The last publication is public: a count it hid, shown when the release is published again (the
    code gained a table), could pin its neighbours there. Here the last publication hid one more count
    than the records would now hide (men in Minsk region); the new one hides it too."""
    metadata, answers = read_publication(DATASET_DIR / "releases" / RELEASE, DATASET_DIR)
    target = {"gender": "male", "region": "BY-MI"}
    last: list[StoredAnswer] = []
    for answer in answers:
        rows = tuple(
            {**row, "count": None, "suppressed": True}
            if answer.statistic == "breakdown"
            and set(answer.result.dimensions) == set(target)
            and all(row.get(name) == value for name, value in target.items())
            else row
            for row in answer.result.rows
        )
        last.append(StoredAnswer(answer.statistic, answer.key, replace(answer.result, rows=rows)))
    write_publication(tmp_path / "last" / RELEASE, metadata.raw, last, "")
    out = tmp_path / "again" / RELEASE
    publish(Settings(), DEMO_RECORDS_DIR / RELEASE, out, publications=tmp_path / "last")
    again = {(a.statistic, a.key): a.result for a in read_publication(out, DATASET_DIR)[1]}
    chosen = again[("breakdown", "by=gender%2Cregion")]
    row = next(r for r in chosen.rows if all(r.get(n) == v for n, v in target.items()))
    assert row["suppressed"] is True and row["count"] is None
    hidden_before = {
        (answer.statistic, answer.key, index)
        for answer in last
        for index, r in enumerate(answer.result.rows)
        if r.get("suppressed") is True
    }
    shown_now = [
        place
        for place in hidden_before
        if again[(place[0], place[1])].rows[place[2]].get("suppressed") is False
    ]
    assert not shown_now


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
