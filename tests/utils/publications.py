"""Changing a copy of a publication folder as a test needs, keeping its datapackage.json consistent."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from api.publication.folder import PACKAGE_FILE


def refresh_package(folder: Path) -> None:
    """Record the current size and SHA-256 of every file datapackage.json lists."""
    path = folder / PACKAGE_FILE
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        data = (folder / resource["path"]).read_bytes()
        resource["bytes"], resource["hash"] = len(data), f"sha256:{hashlib.sha256(data).hexdigest()}"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def add_answers(folder: Path, count: int) -> None:
    """`count` more one-row breakdown answers under queries nobody asks (`bulk=<n>`)."""
    breakdown = (folder / "breakdown.csv").read_text(encoding="utf-8").splitlines()
    header = breakdown[0].split(",")
    blank = "," * (len(header) - 5)  # after query,row,omitted,count,suppressed: the dimensions
    with (folder / "breakdown.csv").open("a", encoding="utf-8") as table:
        table.writelines(f"bulk={n},0,,7,false{blank}\n" for n in range(count))
    with (folder / "answers.csv").open("a", encoding="utf-8") as index:
        index.writelines(f"breakdown,bulk={n},count suppressed,,0,[]\n" for n in range(count))
    refresh_package(folder)


def set_cell(folder: Path, file_name: str, line: int, column: str, value: str) -> None:
    """Replace one cell of a publication CSV (`line` counts the header as 1)."""
    lines = (folder / file_name).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    (folder / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
