"""`python -m bench.small_releases [COUNT] [SEED]`: publish COUNT random releases of 20-60 people and
count how many `publish` protects and how many it refuses (naming the tables), with the time each took.
The figures are the ones docs/PRIVACY.md quotes under "Small releases"."""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from api.paths import DEMO_RECORDS_DIR
from api.publication.publish import PublishRefused, publish
from api.settings import Settings

MONTHS = ("2021-01", "2021-06", "2022-03", "2023-11", "2024-05")
COLUMNS = [
    *("case_id", "gender", "age_band", "region", "detained_on", "recognized_on", "articles"),
    *("sentence_kind", "sentence_months", "released_on", "release_kind"),
]


def person(rng: random.Random, index: int) -> dict[str, str]:
    """One plausible person: few values per column, as in tests/utils/generated.py."""
    detained = rng.choice(MONTHS[:-1])
    released = rng.choice([None, *(m for m in MONTHS if m > detained)])
    kind = rng.choice(("prison", "prison", "restricted_freedom", "pending"))
    return {
        "case_id": f"s{index:07d}",
        "gender": rng.choice(("female", "male")),
        "age_band": rng.choice(("under_25", "35_44", "65_plus")),
        "region": rng.choice(("BY-BR", "BY-HM", "BY-VI")),
        "detained_on": detained,
        "recognized_on": detained,
        "articles": ";".join(rng.sample(("342", "361-1", "369"), rng.randint(1, 2))),
        "sentence_kind": kind,
        "sentence_months": "" if kind == "pending" else str(rng.randint(1, 240)),
        "released_on": released or "",
        "release_kind": "" if released is None else rng.choice(("end_of_term", "pardon")),
    }


def write_release(folder: Path, people: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True)
    metadata = json.loads((DEMO_RECORDS_DIR / "demo-2026-03" / "release.json").read_text(encoding="utf-8"))
    metadata |= {"id": folder.name, "valid_as_of": "2024-05-31", "title": "random small release"}
    (folder / "release.json").write_text(json.dumps(metadata), encoding="utf-8")
    with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(people)
    return folder


def main(count: int, seed: int) -> None:
    rng = random.Random(seed)
    outcomes = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(count):
            size = rng.randint(20, 60)
            folder = write_release(
                Path(scratch) / f"small-{number:03d}", [person(rng, i) for i in range(size)]
            )
            started = time.monotonic()
            try:
                result = publish(Settings(), folder, Path(scratch) / "published" / folder.name)
                outcome = f"published ({result.listed} sets listed)"
            except PublishRefused as refused:
                outcome = f"refused: {str(refused)[:120]}"
            seconds = time.monotonic() - started
            outcomes.append(outcome.startswith("published"))
            print(f"{folder.name}: {size} people, {seconds:.1f} s, {outcome}", flush=True)
    print(f"published {sum(outcomes)} of {count}, refused {count - sum(outcomes)} (seed {seed})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
