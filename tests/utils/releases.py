"""Later record-level releases made from the bundled demonstration records, for tests that publish a
sequence of releases: the same people one or more months later, with chosen changes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from api.paths import DEMO_RECORDS_DIR

BUNDLED_RELEASE = "demo-2026-03"
NEW_RELEASE = "demo-2026-06"
Row = dict[str, str]


def read_cases(folder: Path) -> tuple[list[str], list[Row]]:
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames is not None
        return list(reader.fieldnames), list(reader)


def write_release(
    folder: Path, release_id: str, valid_as_of: str, fields: list[str], rows: list[Row], base: Path
) -> Path:
    """A record-level release folder: `base`'s release.json with a new id and date, and `rows`."""
    folder.mkdir(parents=True, exist_ok=True)
    metadata = json.loads((base / "release.json").read_text(encoding="utf-8"))
    metadata |= {"id": release_id, "title": f"Test release {release_id}", "valid_as_of": valid_as_of}
    (folder / "release.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "cases.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder


def later_release(
    out: Path,
    change: Callable[[list[Row]], None],
    release_id: str = "demo-2026-04",
    valid_as_of: str = "2026-04-30",
    base: Path = DEMO_RECORDS_DIR / BUNDLED_RELEASE,
) -> Path:
    """`base` one month later (by default), its rows changed in place by `change`, written to
    out/<release_id> (a private folder, never the dataset)."""
    fields, rows = read_cases(base)
    change(rows)
    return write_release(out / release_id, release_id, valid_as_of, fields, rows, base)


def pardon(count: int, month: str = "2026-04", **match: str) -> Callable[[list[Row]], None]:
    """Pardon the first `count` people in custody with a prison sentence whose columns match."""

    def change(rows: list[Row]) -> None:
        chosen = [
            row
            for row in rows
            if not row["released_on"]
            and row["sentence_kind"] == "prison"
            and all(row[k] == v for k, v in match.items())
        ][:count]
        assert len(chosen) == count, f"only {len(chosen)} people match {match}"
        for row in chosen:
            row["released_on"], row["release_kind"] = month, "pardon"

    return change


def recognize_late(month: str = "2026-04") -> Callable[[list[Row]], None]:
    """Add one person recognized in `month` but detained in 2021 (recognition often comes months or
    years after the arrest): a copy of the first such prisoner with a new case id."""

    def change(rows: list[Row]) -> None:
        person = next(
            row
            for row in rows
            if not row["released_on"]
            and row["detained_on"].startswith("2021")
            and row["sentence_kind"] == "prison"
        )
        rows.append({**person, "case_id": "laterecognition1", "recognized_on": month})

    return change


def add_later_release(dataset: Path, out: Path, pardoned: int = 40) -> Path:
    """releases/demo-2026-06: the bundled release three months later, `pardoned` prisoners pardoned,
    published into `dataset` (its record-level folder goes to `out`, outside the dataset).

    Published as if it were the first release (no joint audit with the bundled one): a new release
    for the deployment's tests to serve, in a fraction of the time. Publishing after the bundled
    release is tests/publication/test_across.py's."""
    from api.publication.publish import publish
    from api.settings import Settings

    records = later_release(out, pardon(pardoned, "2026-05"), NEW_RELEASE, "2026-06-30")
    settings = Settings(dataset_dir=dataset)
    publish(settings, records, dataset / "releases" / NEW_RELEASE, publications=out / "no-publications")
    return dataset / "releases" / NEW_RELEASE
