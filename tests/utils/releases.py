"""A second release made from the bundled one, for tests that publish a release."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

BUNDLED_RELEASE = "demo-2026-03"
NEW_RELEASE = "demo-2026-06"


def add_later_release(dataset: Path, pardoned: int = 40) -> Path:
    """releases/demo-2026-06: the bundled release three months later, `pardoned` prisoners pardoned."""
    folder = dataset / "releases" / NEW_RELEASE
    shutil.copytree(dataset / "releases" / BUNDLED_RELEASE, folder)
    metadata = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    metadata |= {
        "id": NEW_RELEASE,
        "title": "Test release made from the demonstration release (June 2026)",
        "valid_as_of": "2026-06-30",
    }
    (folder / "release.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    chosen = [row for row in rows if not row["released_on"] and row["sentence_kind"] == "prison"][:pardoned]
    assert len(chosen) == pardoned
    for row in chosen:
        row["released_on"], row["release_kind"] = "2026-05", "pardon"
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "cases.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder
