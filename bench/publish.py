"""`prisoners-api publish` of each synthetic release (no earlier release): wall time, CPU time, peak RSS.

The record-level release is generated into the private scratch folder (`bench.datasets.PRIVATE`), the
publication written into the bench dataset folder, where growth loads and serves it. One run per size:
at 1M records a run takes minutes, and its figure is compared with a target (≤ 10 min, ≤ 2 GB), not
with a peer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.datasets import publish
from bench.environment import RESULTS
from bench.modes import Mode


def run(mode: Mode) -> dict[str, Any]:
    runs = []
    for records in mode.sizes:
        runs.append(publish(records))
        item = runs[-1]
        print(f"  {records:,} records: {item['wall_seconds']:.0f} s wall, {item['cpu_seconds']:.0f} s CPU, "
              f"peak RSS {item['peak_rss_mib']:.0f} MiB, load {item['load_average'][0]} -> "
              f"{item['load_average'][1]}; {item['output']}", flush=True)  # fmt: skip
    return {"runs": runs}


def save(results: dict[str, Any], mode: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"publish-{mode}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
