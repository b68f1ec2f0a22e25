"""The demonstration release: deterministic, equal to the committed files, calibrated, valid, scalable."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from api.dataset import calibration, demo, files, published_targets
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR

RELEASE_DIR = DEMO_RECORDS_DIR / demo.DEMO_RELEASE_ID
CALIBRATION_MD = RELEASE_DIR / "CALIBRATION.md"
SCALED_RECORDS = 20_000
TABLE_START, TABLE_END = "<!-- calibration-table:start -->\n", "<!-- calibration-table:end -->"
Row = dict[str, str]


def read_rows(folder: Path) -> list[Row]:
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default release as the generator writes it now."""
    return demo.write_demo_release(tmp_path_factory.mktemp("generated") / demo.DEMO_RELEASE_ID)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release scaled to SCALED_RECORDS rows."""
    folder = tmp_path_factory.mktemp("scaled") / demo.DEMO_RELEASE_ID
    return demo.write_demo_release(folder, records=SCALED_RECORDS)


@pytest.fixture(scope="module")
def committed_rows() -> list[Row]:
    return read_rows(RELEASE_DIR)


@pytest.fixture(scope="module")
def measured(committed_rows: list[Row]) -> dict[str, float]:
    return calibration.measure(committed_rows)


# --- Determinism and the committed files --------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(generated: Path, tmp_path: Path) -> None:
    again = demo.write_demo_release(tmp_path / demo.DEMO_RELEASE_ID)
    for name in ("cases.csv", "release.json"):
        assert (again / name).read_bytes() == (generated / name).read_bytes(), name


def test_another_seed_writes_another_release(generated: Path, tmp_path: Path) -> None:
    other = demo.write_demo_release(tmp_path / demo.DEMO_RELEASE_ID, seed=demo.DEMO_SEED + 1)
    assert (other / "cases.csv").read_bytes() != (generated / "cases.csv").read_bytes()


@pytest.mark.parametrize("name", ["cases.csv", "release.json"])
def test_committed_file_is_what_the_generator_writes(generated: Path, name: str) -> None:
    assert (RELEASE_DIR / name).read_bytes() == (generated / name).read_bytes(), (
        f"regenerate: prisoners-api generate-demo dataset/demo/{demo.DEMO_RELEASE_ID}, then publish it"
    )


def test_generate_cases_returns_the_written_rows(generated: Path) -> None:
    assert demo.generate_cases() == read_rows(generated)


def test_columns_are_those_of_the_schema() -> None:
    schema = json.loads((DATASET_DIR / "schema" / "cases.schema.json").read_text(encoding="utf-8"))
    assert tuple(field["name"] for field in schema["fields"]) == demo.COLUMNS


# --- Metadata and validation --------------------------------------------------------------------------------


def test_release_json_follows_its_schema_and_says_synthetic() -> None:
    metadata = json.loads((RELEASE_DIR / "release.json").read_text(encoding="utf-8"))
    schema = json.loads((DATASET_DIR / "schema" / "release.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(metadata)
    assert metadata["synthetic"] is True and "not real records" in metadata["synthetic_note"]
    assert metadata["generator"] == {
        "name": "prisoners-api generate-demo",
        "version": "1",
        "seed": demo.DEMO_SEED,
        "records": 4535,
    }


def test_project_validator_accepts_the_committed_release(committed_rows: list[Row]) -> None:
    metadata, count = files.validate_release(RELEASE_DIR, DATASET_DIR)
    assert metadata.synthetic and count == len(committed_rows)


def test_project_validator_accepts_a_scaled_release(scaled: Path) -> None:
    assert files.validate_release(scaled, DATASET_DIR)[1] == SCALED_RECORDS


# --- Calibration --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", calibration.CALIBRATION_TARGETS, ids=lambda target: target.name)
def test_calibration_target_is_met(target: calibration.CalibrationTarget, measured: dict[str, float]) -> None:
    value = measured[target.name]
    assert target.lower - 1e-9 <= value <= target.upper + 1e-9, (
        f"{target.name}: generated {value:g}, published {target.published} ({target.qualifier}, "
        f"{target.tolerance}) from {target.source}"
    )


def _series_at_counts(rows: list[Row]) -> list[tuple[published_targets.PublishedCount, float]]:
    tally = calibration.Tally()
    for row in rows:
        tally.add(row)
    month_ends = {month: float(tally.in_custody(month)) for month in demo.MONTHS}
    events = published_targets.release_events()
    read = []
    for count in published_targets.exact_in_custody_counts():
        index = demo.MONTHS.index(count.month)
        previous = demo.MONTHS[index - 1] if index else None
        read.append((count, published_targets.series_at(month_ends, events, count.date, previous)))
    return read


def test_in_custody_series_is_within_2_percent_of_every_exact_published_count(
    committed_rows: list[Row],
) -> None:
    """Every exact published count in custody (figures table, qualifier exact) against the demo's monthly
    series read at the count's date (`published_targets.series_at`: a count of 5 February is compared
    with the end of January less the releases of 1–4 February and a sixth of February's other change)."""
    read = _series_at_counts(committed_rows)
    assert len(read) >= 35 and {c.date[:4] for c, _ in read} >= {"2021", "2024", "2025", "2026"}
    off = [(c.figure_id, c.value, round(value)) for c, value in read if abs(value - c.value) > 0.02 * c.value]
    assert not off, off


def test_a_pardon_total_below_its_published_events_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """207 pardoned by 2024-12-28 (AP) is fewer than the 227 of that period's published events: the
    generator refuses to meet it instead of dropping a published event (CALIBRATION.md, rule 2)."""
    demo.assumed_pardons.cache_clear()
    monkeypatch.setattr(demo, "PARDON_TOTALS", (*demo.PARDON_TOTALS, "released-pardon-2024-07-2024-12-28"))
    try:
        with pytest.raises(ValueError, match="released-pardon-2024-07-2024-12-28: 207 cannot be met"):
            demo.assumed_pardons()
    finally:
        demo.assumed_pardons.cache_clear()


def test_every_published_release_event_and_dated_death_is_scheduled() -> None:
    """The generator takes its events from the figures table: each one is scheduled in its month."""
    scheduled = {(e.month, e.kind, e.count) for e in demo.scheduled_releases()}
    for event in published_targets.release_events():
        assert (event.month, event.kind, event.count) in scheduled, event.figure_id
    deaths = [e.month for e in demo.scheduled_releases() if e.kind == "died_in_custody"]
    assert {d.month for d in published_targets.death_months()} <= set(deaths)


def test_target_names_are_unique() -> None:
    names = [target.name for target in calibration.CALIBRATION_TARGETS]
    assert len(names) == len(set(names))


def test_calibration_md_shows_the_current_table(measured: dict[str, float]) -> None:
    text = CALIBRATION_MD.read_text(encoding="utf-8")
    table = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    assert table == calibration.calibration_table(measured), "paste calibration_table(measure(rows))"


# --- Cross-field rules --------------------------------------------------------------------------------------

ARTICLE_CODES = files.article_codes(DATASET_DIR)
WITH_LENGTH = {"prison", "restricted_freedom", "home_confinement"}
CASE_ID = re.compile(r"[0-9a-z]{12}")


def months_between(first: str, last: str) -> int:
    return demo.month_index(last) - demo.month_index(first)


def in_range(row: Row) -> bool:
    months = [row["detained_on"], row["recognized_on"], row["released_on"] or demo.LAST_MONTH]
    return demo.FIRST_MONTH <= months[0] <= months[1] <= months[2] <= demo.LAST_MONTH


def sentence_length(row: Row) -> bool:
    kind, months = row["sentence_kind"], row["sentence_months"]
    if (kind in WITH_LENGTH and not months) or (kind in ("pending", "fine") and months):
        return False
    return not months or 1 <= int(months) <= 300


def end_of_term_matches_sentence(row: Row) -> bool:
    if row["release_kind"] != "end_of_term":
        return True
    served = months_between(row["detained_on"], row["released_on"])
    return abs(served - int(row["sentence_months"])) <= 1


def term_outlasts_the_release(row: Row) -> bool:
    """A person in custody serving a sentence of known length has not reached its end."""
    if row["released_on"] or not row["sentence_months"]:
        return True
    return months_between(row["detained_on"], demo.LAST_MONTH) < int(row["sentence_months"])


RULES: dict[str, Callable[[Row], bool]] = {
    "case_id is 12 base-36 characters": lambda row: bool(CASE_ID.fullmatch(row["case_id"])),
    "months in order and in 2020-05 … 2026-03": in_range,
    "release_kind exactly when released_on": lambda row: (
        bool(row["released_on"]) == bool(row["release_kind"])
    ),
    "articles known and not repeated": lambda row: (
        set(row["articles"].split(";")) <= ARTICLE_CODES
        and len(row["articles"].split(";")) == len(set(row["articles"].split(";")))
    ),
    "sentence_months required, empty or in range": sentence_length,
    "end of term at detention + sentence (±1 month)": end_of_term_matches_sentence,
    "a term in progress ends after 2026-03": term_outlasts_the_release,
    "pending only while in custody": lambda row: row["sentence_kind"] != "pending" or not row["released_on"],
    "deaths in custody only in prison": lambda row: (
        row["release_kind"] != "died_in_custody" or row["sentence_kind"] == "prison"
    ),
}


@pytest.fixture(scope="module")
def releases(committed_rows: list[Row], scaled: Path) -> dict[str, list[Row]]:
    return {"committed": committed_rows, "scaled": read_rows(scaled)}


@pytest.mark.parametrize("release", ["committed", "scaled"])
@pytest.mark.parametrize("rule", RULES)
def test_cross_field_rule_holds(rule: str, release: str, releases: dict[str, list[Row]]) -> None:
    broken = [row for row in releases[release] if not RULES[rule](row)]
    assert not broken, f"{len(broken)} rows break '{rule}', e.g. {broken[0]}"


@pytest.mark.parametrize("release", ["committed", "scaled"])
def test_case_ids_are_unique(release: str, releases: dict[str, list[Row]]) -> None:
    rows = releases[release]
    assert len({row["case_id"] for row in rows}) == len(rows)


# --- Scaling ------------------------------------------------------------------------------------------------

COUNT_PREFIXES = (
    "in_custody_",
    "recognized_",
    "women_recognized_",
    "pardon",
    "end_of_term_",
    "died_in_custody",
)


def test_scaled_release_keeps_the_proportions(
    releases: dict[str, list[Row]], measured: dict[str, float]
) -> None:
    rows = releases["scaled"]
    assert len(rows) == SCALED_RECORDS
    factor = SCALED_RECORDS / measured["recognized_total"]
    at_scale = calibration.measure(rows)
    off = {}
    for name, value in measured.items():
        if name.startswith(COUNT_PREFIXES):
            # The scaled run draws its people anew: a count of ~1,600 varies by ~2.5 % (one sigma).
            if abs(at_scale[name] / factor - value) > max(0.05 * value, 1.0):
                off[name] = (value, at_scale[name] / factor)
        elif "share" in name and abs(at_scale[name] - value) > 0.02:
            off[name] = (value, at_scale[name])
    assert not off, f"default vs scaled (counts divided by {factor:.3f}): {off}"
