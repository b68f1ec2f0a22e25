"""Where the benchmarks keep their files, and the separate venv of the peers (never the project's deps)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
RESULTS = WORK / "results"
PEERS_VENV = WORK / "venv"
PEERS_PYTHON = PEERS_VENV / "bin" / "python"
PROJECT_PYTHON = Path(sys.executable)
PEER_PACKAGES = ("datasette>=0.65", "matplotlib>=3.8", "uvloop", "httptools")
"""Datasette gets uvicorn's fast loop and parser too, as the API does: the comparison is of the apps."""


def ensure_peers_venv() -> None:
    """Create .bench/venv with Datasette and matplotlib the first time (pip, from PyPI)."""
    if PEERS_PYTHON.exists():
        return
    print(f"creating {PEERS_VENV} (datasette, matplotlib)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run([str(PEERS_PYTHON), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)


def require_tools() -> None:
    missing = [tool for tool in ("wrk", "sqlite3", "psql") if not _which(tool)]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install -y wrk sqlite3 postgresql-client")


def _which(tool: str) -> bool:
    return any((Path(folder) / tool).exists() for folder in os.environ.get("PATH", "").split(os.pathsep))


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite,
        "postgresql": postgres,
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
