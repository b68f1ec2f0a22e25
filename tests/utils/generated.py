"""Generated people for property tests of the disclosure policy: few values per column, so small
counts (the ones the policy must hide) turn up often."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from hypothesis import strategies as st
from sqlalchemy import Engine, insert

from api.main import create_app
from api.models import RELEASE
from api.paths import DATASET_DIR
from api.publication.workspace import create_workspace
from api.records.statistics import RecordStatistics
from api.records.tables import CASE, CASE_ARTICLE
from api.settings import Settings
from api.stats.releases import ReleaseDescription

GENDERS = ("female", "male")
REGIONS = ("BY-BR", "BY-HM", "BY-VI")
AGES = ("under_25", "35_44", "65_plus")
ARTICLES = ("342", "361-1", "369")
MONTHS = ("2021-01", "2021-06", "2022-03", "2023-11", "2024-05")


@st.composite
def case_records(
    draw: st.DrawFn, release_kinds: tuple[str, ...] = ("end_of_term", "pardon", "pardon_expelled")
) -> dict[str, Any]:
    """One person as the case table holds them, `articles` as a list."""
    detained = draw(st.sampled_from(MONTHS[:-1]))
    released = draw(st.one_of(st.none(), st.sampled_from([m for m in MONTHS if m > detained])))
    kind = draw(st.sampled_from(("prison", "prison", "restricted_freedom", "pending")))
    return {
        "gender": draw(st.sampled_from(GENDERS)),
        "age_band": draw(st.sampled_from(AGES)),
        "region": draw(st.sampled_from(REGIONS)),
        "detained_on": detained,
        "recognized_on": detained,
        "articles": draw(st.lists(st.sampled_from(ARTICLES), min_size=1, max_size=2, unique=True)),
        "sentence_kind": kind,
        "sentence_months": None if kind == "pending" else draw(st.integers(1, 240)),
        "released_on": released,
        "release_kind": None if released is None else draw(st.sampled_from(release_kinds)),
    }


GENERATED_RELEASE = "gen-1"
GENERATED_DESCRIPTION = ReleaseDescription(
    id=GENERATED_RELEASE,
    title="generated",
    description="",
    valid_as_of=date(2024, 5, 31),
    published=date(2024, 6, 1),
    synthetic=True,
    synthetic_note="generated for a test",
    licence_name="CC-BY-4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
)
"""How generated releases describe themselves (tests that need a release's description reuse it)."""


def empty_database(path: Path) -> Path:
    """A SQLite workspace file at `path` (`api.publication.workspace`) with the reference tables but no
    release (copy it, then `insert_release`)."""
    create_workspace(f"sqlite:///{path}", DATASET_DIR, []).dispose()
    return path


def records_app(settings: Settings) -> FastAPI:
    """The API over a workspace of record-level releases: its routes render what `publish` would put
    in the publication (`RecordStatistics` computes exactly the answers a publication stores)."""
    app = create_app(settings)
    app.state.stats = RecordStatistics(app.state.engine, settings)
    return app


def insert_release(
    engine: Engine, records: list[dict[str, Any]], release_id: str = GENERATED_RELEASE
) -> None:
    """Insert generated people (`case_records`) as a release valid as of 2024-05-31."""
    with engine.begin() as connection:
        connection.execute(
            insert(RELEASE).values(
                **asdict(replace(GENERATED_DESCRIPTION, id=release_id)),
                metadata_json=json.dumps({"sources": [{"title": "test"}]}),
                case_count=len(records),
                loaded_at=datetime.now(UTC),
            )
        )
        ids = [f"c{i:05d}" for i in range(len(records))]
        cases = [
            {k: v for k, v in r.items() if k != "articles"} | {"release_id": release_id, "case_id": case}
            for case, r in zip(ids, records, strict=True)
        ]
        connection.execute(insert(CASE), cases)
        links = [
            {"release_id": release_id, "case_id": case, "article": a}
            for case, r in zip(ids, records, strict=True)
            for a in r["articles"]
        ]
        connection.execute(insert(CASE_ARTICLE), links)
