"""scripts/check, the README's test command and CI's, run with every tool it calls replaced by a stub
that records how it was called: what the real run would hand to pytest."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.utils.dockerfile import ROOT

STUB = """#!/bin/sh
echo "$(basename "$0") $* THOROUGH=${PRISONERS_TESTS_THOROUGH:-unset}" >> "$CALLS"
"""


def _stub(folder: Path, name: str) -> None:
    path = folder / name
    path.write_text(STUB, encoding="utf-8")
    path.chmod(0o755)


def test_check_runs_the_linters_and_the_whole_suite_thoroughly_on_every_core(tmp_path: Path) -> None:
    """The generated-examples switch must reach pytest (a bare assignment before a comment once did
    not), after ruff, ruff format and mypy, with the scheduling the README describes."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "check", checkout / "scripts" / "check")
    venv_bin, path_bin = checkout / ".venv" / "bin", tmp_path / "bin"
    venv_bin.mkdir(parents=True)
    path_bin.mkdir()
    for name in ("pip", "ruff", "mypy", "python"):
        _stub(venv_bin, name)
    # python3 (it would make the virtual environment) and the system tools the script installs when
    # they are missing: on PATH as stubs, so the run neither installs nor builds anything.
    for name in ("python3", "java", "nginx", "apt-get", "sudo"):
        _stub(path_bin, name)
    calls = tmp_path / "calls.txt"
    env = {
        "PATH": f"{path_bin}:/usr/bin:/bin",
        "CALLS": str(calls),
        "HOME": str(tmp_path),
    }  # and no PRISONERS_TESTS_THOROUGH: the script must set it itself
    result = subprocess.run(
        ["bash", str(checkout / "scripts" / "check"), "-x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = calls.read_text(encoding="utf-8").splitlines()
    ran = [line.split(" THOROUGH=")[0].strip() for line in lines if not line.startswith(("apt-get", "sudo"))]
    assert ran == [
        "python3 -m venv .venv",
        "pip install -q -e .[test]",
        "ruff check .",
        "ruff format --check .",
        "mypy",
        "python -m pytest -n auto --dist load --maxschedchunk 1 --durations 25 -x",
    ]
    assert lines[-1].endswith("THOROUGH=1")
