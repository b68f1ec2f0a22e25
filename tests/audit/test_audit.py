"""The anonymity audit: it finds what combinations of published counts reveal, and the policy leaves
nothing for it to find in the tables it protects (breakdowns and summaries; see docs/PRIVACY.md for
the series)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from itertools import product
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from api.audit import AuditReport, audit_release, families_of
from api.audit.bounds import Solver
from api.audit.families import AuditModelError, Family, _feasible, build_system
from api.audit.model import People, Published
from api.audit.protect import protect_release
from api.audit.publication import every_query, published_counts
from api.cells import Cell
from api.db import create_db_engine
from api.disclosure import protect_counts
from api.query import SENTENCE_PAIRS, StatQuery
from api.records.held import HELD_BINS
from api.records.statistics import RecordStatistics
from api.routes.stats import _build
from api.settings import Settings
from api.stats.service import StatisticsService
from api.table import TOTAL, CountTable, Key
from tests.conftest import DEMO_RECORD_FOLDERS
from tests.utils.generated import case_records, empty_database, insert_release
from tests.utils.visible import visible_counts

K = 5

# --- the solver on one table ----------------------------------------------------------------------

ROWS, COLUMNS = ("a0", "a1", "a2"), ("b0", "b1", "b2")
PINNED: dict[Key, int] = {("a0", "b2"): 1, ("a1", "b0"): 3, ("a1", "b1"): 3, ("a1", "b2"): 3, ("a2", "b2"): 3}


def _people(counts: dict[Key, int]) -> People:
    """People coded on two attributes (gender for rows, region for columns), for a 2-D table."""
    rows = [(ROWS.index(a), COLUMNS.index(b)) for (a, b), n in counts.items() for _ in range(n)]
    codes = {"gender": np.array([r for r, _ in rows]), "region": np.array([c for _, c in rows])}
    none = np.zeros(len(rows), dtype=np.int64)
    return People(
        domains={"gender": ROWS, "region": COLUMNS, "sentence_bin": ("none",), "sentence_kind": ()},
        article_sets=(),
        codes=codes,
        recognized=none,
        released=none,
        months=("2020-01",),
    )


def _published(hidden: set[Key], counts: dict[Key, int]) -> list[Published]:
    cells = []
    for key in [*product((*ROWS, TOTAL), (*COLUMNS, TOTAL))]:
        conditions = {
            name: {value} for name, value in zip(("gender", "region"), key, strict=True) if value != TOTAL
        }
        value = sum(n for k, n in counts.items() if all(v in (x, TOTAL) for x, v in zip(k, key, strict=True)))
        cells.append(Published(Cell.of(conditions), None if key in hidden else value, str(key)))
    return cells


def _intervals(hidden: set[Key]) -> dict[str, tuple[float, float]]:
    system = build_system(Family(("gender", "region")), _people(PINNED), _published(hidden, PINNED))
    assert system is not None
    solver = Solver(system)
    return {cell.describe(): solver.solve_exactly(i) for i, cell in enumerate(system.target_cells)}


def test_a_count_on_more_attributes_than_a_family_holds_is_refused_not_left_unaudited() -> None:
    """Families hold three static attributes, or the kind and bin of sentence with one of the pairs of
    `SENTENCE_PAIRS`: a count conditioned on four others (say, sentence lengths by age band within a
    region) would be in none and published unaudited."""
    cell = Cell.of(
        {"age_band": {"a0"}, "region": {"b0"}, "sentence_kind": {"prison"}, "sentence_bin": {"1-11"}}
    )
    with pytest.raises(AuditModelError, match="more than 3 attributes"):
        list(families_of([Published(cell, 7, "sentences?region=b0&by=age_band")], _people(PINNED)))


def test_sentence_lengths_of_two_groups_are_audited_in_a_family_of_four() -> None:
    """`article=342&by=gender`: kind × bin × article × gender is one family, one for each pair the
    sentences endpoint combines, and no other family holds four attributes."""
    families = dict(families_of([], _people(PINNED)))
    wide = [family for family in families if len(family.attributes) == 4]
    assert {frozenset(f.attributes) - {"sentence_kind", "sentence_bin"} for f in wide} == {
        frozenset(pair) for pair in SENTENCE_PAIRS
    }


def test_the_audit_knows_nobody_was_held_longer_than_since_their_year_of_detention() -> None:
    """A reader knows someone detained in 2025 was not held 24 months by March 2026: the audit may not
    count on them being there (it would find hidden counts wider than they are)."""
    bins = (*HELD_BINS.labels, "none")
    people = People(
        domains={"year_detained": ("2021", "2025"), "held_bin": bins, "sentence_bin": ("none",)},
        article_sets=(),
        codes={},
        recognized=np.zeros(0, dtype=np.int64),
        released=np.zeros(0, dtype=np.int64),
        months=("2025-01", "2026-03"),
    )
    feasible = _feasible(Family(("year_detained", "held_bin")), people, (2, len(bins)))
    years = people.domains["year_detained"]
    allowed = {(years[y], bins[h]) for (y, h), ok in np.ndenumerate(feasible) if ok}
    assert (
        ("2025", "12-23") in allowed and ("2025", "24-35") not in allowed and ("2025", "60+") not in allowed
    )
    assert ("2021", "60+") in allowed


def test_the_solver_finds_a_cell_pinned_by_a_combination_of_lines() -> None:
    # The pattern the line rule alone leaves (every line has two hidden members).
    old_pattern: set[Key] = {
        ("a0", "b2"), ("a0", TOTAL), ("a1", "b0"), ("a1", "b1"), ("a1", "b2"), ("a2", "b2"), ("a2", TOTAL),
        (TOTAL, "b0"), (TOTAL, "b1"),
    }  # fmt: skip
    assert _intervals(old_pattern)["gender=a1, region=b2"] == (3, 3)


def test_the_policy_leaves_every_hidden_cell_of_that_table_wide() -> None:
    table = CountTable("t", ("gender", "region"), {"gender": ROWS, "region": COLUMNS}, PINNED)
    hidden = {cell.key for cell in protect_counts(table, K).cells if cell.suppressed}
    for low, high in _intervals(hidden).values():
        assert high - low >= K or (low == 0 and high >= 3)  # 3 is a visible total's whole


# --- whole releases -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(records_url: str) -> Engine:
    """The bundled demonstration releases' records (what their publications were computed from)."""
    return create_db_engine(records_url)


@pytest.fixture(scope="module")
def served(migrated_url: str) -> Engine:
    """The public database: the bundled publications, as the service answers from them."""
    return create_db_engine(migrated_url)


BUNDLED_RELEASES = [folder.name for folder in DEMO_RECORD_FOLDERS]


@pytest.mark.slow
@pytest.mark.parametrize("release", BUNDLED_RELEASES)
def test_every_bundled_release_passes_the_whole_audit(bundled: Engine, release: str) -> None:
    """Every count of every table of every statistic, series and flows included: no suppressed count
    narrower than the protection interval (docs/PRIVACY.md has the figures)."""
    report = audit_release(bundled, Settings(), release)
    assert report.queries > 700 and report.distinct_suppressed > 0
    assert report.passed, [f"{f.cell.describe()} [{f.low}, {f.high}]" for f in report.failures[:10]]


def test_every_publishable_table_shows_no_count_below_k_in_json_or_csv(served: Engine) -> None:
    service = StatisticsService(served, Settings())
    release = service.release("demo-2026-03")
    checked = 0
    for answer in every_query(service, release):
        for representation in ("json", "csv"):
            query = StatQuery(**{**answer.query.__dict__, "format": representation})
            body = _build(service, answer.statistic, query, release.id)
            response = httpx.Response(200, content=body.body, headers={"content-type": body.media_type})
            counts = visible_counts(response)
            assert all(n == 0 or n >= K for n in counts), (answer.url, representation)
            checked += len(counts)
    assert checked > 20_000


# --- generated releases, adversarial ones included ------------------------------------------------


def _crowd(n: int, **fields: Any) -> list[dict[str, Any]]:
    base = {
        "gender": "male", "age_band": "35_44", "region": "BY-HM", "detained_on": "2021-06",
        "recognized_on": "2021-06", "articles": ["342"], "sentence_kind": "prison", "sentence_months": 36,
        "released_on": None, "release_kind": None,
    }  # fmt: skip
    return [base | fields for _ in range(n)]


ONE_IN_A_REGION = _crowd(40) + _crowd(1, region="BY-VI")
ONE_WOMAN_UNDER_AN_ARTICLE = (
    _crowd(40) + _crowd(12, articles=["369"]) + _crowd(1, gender="female", articles=["369"])
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return empty_database(tmp_path_factory.mktemp("template") / "template.sqlite3")


def _release(records: list[dict[str, Any]], template: Path, folder: Path) -> Engine:
    path = folder / f"gen-{datetime.now(UTC).timestamp()}.sqlite3"
    shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    insert_release(engine, records)
    return engine


def _audit_generated(
    records: list[dict[str, Any]], template: Path, folder: Path, protect: bool = False
) -> tuple[AuditReport, list[int]]:
    """The audit of a generated release, and every count it publishes visibly (every query, as the
    audit enumerates them); with `protect`, once `protect` has made its list, as `publish` does."""
    engine = _release(records, template, folder)
    settings = Settings(release_check_seconds=0)
    try:
        report = (
            protect_release(engine, settings, "gen-1").audit
            if protect
            else audit_release(engine, settings, "gen-1")
        )
        service = RecordStatistics(engine, settings)
        release = service.release("gen-1")
        kinds = service.vocab.enums["release_kind"]
        shown = [
            count.value
            for answer in every_query(service, release)
            for count in published_counts(answer, kinds)
            if count.value is not None
        ]
    finally:
        engine.dispose()
    return report, shown


@pytest.mark.slow
@pytest.mark.parametrize("records", [ONE_IN_A_REGION, ONE_WOMAN_UNDER_AN_ARTICLE], ids=["region", "woman"])
def test_adversarial_releases_pass_the_whole_audit(
    records: list[dict[str, Any]], template: Path, tmp_path: Path
) -> None:
    """One person alone in a region, one woman alone under an article: never shown (no visible count
    in 1..k-1 anywhere; the headline totals here are far above k), and nothing pins them once the
    release is protected as `publish` protects it (its tables alone may leave a count hidden that the
    others determine exactly, e.g. the men in custody under the woman's article; the list shows it)."""
    report, shown = _audit_generated(records, template, tmp_path, protect=True)
    assert [n for n in shown if 0 < n < K] == []
    assert report.distinct_suppressed > 0
    assert report.passed, [f"{f.cell.describe()} [{f.low}, {f.high}] < {f.required}" for f in report.failures]


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failing release is reported as drawn, not shrunk
)
@given(records=st.lists(case_records(release_kinds=("end_of_term", "pardon")), min_size=1, max_size=60))
@pytest.mark.slow
def test_generated_releases_are_audited_with_an_exact_model(
    records: list[dict[str, Any]], template: Path, tmp_path: Path
) -> None:
    """Every published count of a generated release equals the audit's count of its people: the audit
    checks each against the records and raises `AuditModelError` on any difference. Without their
    own suppression list tiny releases fail the audit in places, so this asserts the model;
    tests/audit/test_protect.py asserts the pass once `protect` has made the list, and
    tests/records/test_disclosure_api.py checks their visible counts."""
    report, shown = _audit_generated(records, template, tmp_path)
    assert report.queries > 700 and len(shown) <= report.published_cells
