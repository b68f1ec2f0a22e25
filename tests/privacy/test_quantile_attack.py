"""Issue 15, part 3: quantiles and means of small groups must not give away individual sentences.

The attacker (tests/utils/quantile_attack.py) takes every number the sentences statistics and the
summary publish for a release and tries to recover sentence lengths and hidden bins. It must find
nothing on the bundled release, and it must be able to find something when there is something to find.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from api import migrate
from api.audit.publication import every_query
from api.db import create_db_engine
from api.records.sentences import SENTENCE_BINS
from api.settings import Settings
from api.stats.service import StatisticsService
from tests.utils.quantile_attack import PROBABILITIES, Group, attack, gather, histogram_quantile

BINS = SENTENCE_BINS.bins

P = 5


def _group(values: list[int], hidden: tuple[str, ...] = (), mean: bool = True) -> Group:
    """A hand-made group published the old way: numpy "linear" quantiles and the mean, rounded."""
    ordered = np.sort(np.asarray(values, dtype=float))
    bins = {label: sum(low <= v <= high for v in values) for label, low, high in BINS}
    quantiles = {name: round(float(np.quantile(ordered, q)), 1) for name, q in PROBABILITIES.items()}
    return Group(
        ("prison", "region", "BY-XX"),
        n=len(values),
        bins={label: None if label in hidden else count for label, count in bins.items()},
        quantiles=quantiles,
        mean=round(float(ordered.mean()), 1) if mean else None,
    )


def test_the_attacker_reads_an_order_statistic_off_a_quantile() -> None:
    # n = 11: the median is x_5 itself, whatever else is published.
    findings = attack(_group([3, 5, 8, 12, 14, 15, 20, 26, 30, 40, 50]), P)
    assert [f.kind for f in findings] == ["value"] and "x_5 = 15" in findings[0].detail


def test_the_attacker_solves_for_a_value_no_quantile_names() -> None:
    # n = 12: no quantile is an order statistic; the integer program pins one from the combination.
    values = [1, 2, 2, 3, 30, 31, 31, 32, 100, 101, 101, 200]
    findings = attack(_group(values), P)
    assert any(f.kind == "value" and "(of 12, sorted)" in f.detail for f in findings), findings


def test_the_attacker_narrows_hidden_bins_with_the_quantiles() -> None:
    values = [2, 3, 4, 13, 14, 15, 16, 17, 18, 19, 20, 25]
    findings = attack(_group(values, hidden=("1-11", "24-35"), mean=False), P)
    assert {f.kind for f in findings} >= {"bin"}, findings


def test_the_attacker_flags_a_hidden_size_with_statistics() -> None:
    group = Group(("prison", "article", "x"), n_hidden=True, quantiles={"median": 12.0})
    assert [f.kind for f in attack(group, P)] == ["hidden n"]


def test_quantiles_of_the_visible_bins_tell_the_attacker_nothing_new() -> None:
    values = [3, 5, 8, 12, 14, 15, 20, 26, 30, 40, 50]
    group = _group(values, mean=False)
    group.quantiles = {
        name: round(point, 1)
        for name, q in PROBABILITIES.items()
        if (point := histogram_quantile(group.bins, q)) is not None
    }
    assert group.quantiles and attack(group, P) == []


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('quantiles')) / 'bundled.sqlite3'}"
    migrate.upgrade(url)
    return create_db_engine(url)


def test_no_published_magnitude_gives_away_a_sentence(bundled: Engine) -> None:
    """Every sentences query of every kind (without `by`, with each `by`, with each filter) and every
    summary, merged per group of people: no sentence length determined, no hidden bin narrowed below
    p, no statistic of a group whose size is hidden. Command for the figures in docs/PRIVACY.md:
    `pytest tests/privacy/test_quantile_attack.py -k magnitude`."""
    settings = Settings()
    service = StatisticsService(bundled, settings)
    release = service.release("demo-2026-03")
    groups = gather(every_query(service, release, ("sentences", "summary")))
    assert len(groups) > 300
    findings = [f for group in groups.values() for f in attack(group, settings.effective_protection_interval)]
    broken = sorted({f.group for f in findings})
    assert findings == [], f"{len(broken)} groups broken, {len(findings)} findings: {findings[:20]}"


def test_binned_quantiles_below_a_hidden_bin_are_explained_and_others_are_not() -> None:
    values = [3, 5, 8, 9, 10, 12, 14, 15, 20, 26, 30, 40]
    group = _group(values, hidden=("36-59", "60-119"), mean=False)
    assert histogram_quantile(group.bins, 0.25, group.n) is not None
    assert histogram_quantile(group.bins, 0.95, group.n) is None  # the 12th: in 36-59 or 60-119
