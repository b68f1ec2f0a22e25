"""The cost curve: load time and uncached p95 against the number of records, as a PNG.

Drawn by matplotlib in the peers' venv (`.bench/venv`), which this module runs as a subprocess on the
saved growth figures: the project itself does not depend on matplotlib.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.environment import PEERS_PYTHON, RESULTS, ROOT
from bench.modes import Mode

DRAW = Path(__file__).with_name("draw_growth.py")


def output_for(mode: Mode) -> Path:
    return ROOT / "docs" / "benchmark-growth.png" if mode.name == "full" else RESULTS / "growth-small.png"


def run(mode: Mode) -> None:
    figures = RESULTS / f"growth-{mode.name}.json"
    if not figures.exists():
        print(f"  no {figures}: run the growth step first; skipped")
        return
    output = output_for(mode)
    subprocess.run([str(PEERS_PYTHON), str(DRAW), str(figures), str(output)], check=True)
    print(f"  wrote {output}")
