"""Migrations and workspace loads run in a child process, so a test can read the peak memory of the
load alone."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The child prints the DatasetError it met (or null) and the peak resident set size of its address
# space (VmHWM), read after the load has finished or failed. Not ru_maxrss: Linux carries that over
# from the parent across fork and exec, so it would report the test process's own peak.
_UPGRADE = """
import json, re, sys
from pathlib import Path
from api import migrate
from api.dataset.validation import DatasetError
from api.publication.workspace import create_workspace
try:
    if len(sys.argv) > 3:
        create_workspace(sys.argv[1], Path(sys.argv[2]), [Path(sys.argv[3])])
    else:
        migrate.upgrade(sys.argv[1], dataset_dir=Path(sys.argv[2]))
    error = None
except DatasetError as raised:
    error = str(raised)
status = open("/proc/self/status").read()
peak_kib = int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1))
print(json.dumps({"error": error, "peak_mib": peak_kib / 1024}))
"""


@dataclass(frozen=True)
class Upgrade:
    error: str | None
    """The DatasetError's message, or None when the upgrade succeeded."""
    peak_mib: float
    seconds: float


def upgrade_in_child(url: str, dataset: Path, records: Path | None = None, timeout: float = 300) -> Upgrade:
    """`migrate.upgrade(url, "head", dataset)` in a fresh interpreter — or, given a record-level folder
    `records`, the loading of a workspace with it; any exception but a DatasetError fails."""
    started = time.monotonic()
    extra = [str(records)] if records is not None else []
    result = subprocess.run(
        [sys.executable, "-c", _UPGRADE, url, str(dataset), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, f"the child crashed ({result.returncode}):\n{result.stderr[-4000:]}"
    report = json.loads(result.stdout.splitlines()[-1])
    return Upgrade(report["error"], report["peak_mib"], seconds)
