"""Synthetic releases of 10k, 100k and 1M records, their publications, and the databases they load into.

A synthetic release's record-level folder is what a curator keeps private: it is generated into
`PRIVATE`, a scratch folder outside the repository (never into `dataset/` or `.bench/`), and so is the
record-level database Datasette reads. Its publication, made by `prisoners-api publish`, goes into a
dataset folder like the bundled one under `.bench/` (git-ignored), from where the data migration loads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api import migrate
from api.dataset.demo import write_demo_release
from api.paths import DATASET_DIR, MIGRATIONS_DIR
from bench.environment import PROJECT_PYTHON, ROOT, WORK

DATASET = WORK / "data" / "dataset"
"""A dataset folder like the bundled one, plus the synthetic releases' publications."""
MIGRATIONS = WORK / "migrations"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PRIVATE = Path(
    os.environ.get("PRISONERS_BENCH_PRIVATE") or Path(tempfile.gettempdir()) / "prisoners-api-bench"
)
"""Record-level files (synthetic, but handled as a curator handles real ones): outside the repository."""
if PRIVATE.resolve().is_relative_to(ROOT):
    raise SystemExit(
        f"PRISONERS_BENCH_PRIVATE={PRIVATE} is inside the repository: record-level data stays out"
    )


def release_id(records: int) -> str:
    return f"bench-{records // 1000}k"


def ensure_records(records: int) -> Path:
    """The record-level release of `records` synthetic people in the private folder, generated once."""
    folder = PRIVATE / "records" / release_id(records)
    if not (folder / "release.json").exists():
        print(f"generating {records} synthetic records into {folder}", flush=True)
        write_demo_release(folder, records=records, release_id=release_id(records))
    return folder


def _dataset() -> None:
    if not (DATASET / "schema").exists():
        DATASET.mkdir(parents=True, exist_ok=True)
        for part in ("schema", "reference", "figures", "releases/demo-2026-03"):
            shutil.copytree(DATASET_DIR / part, DATASET / part, dirs_exist_ok=True)


def publish(records: int) -> dict[str, Any]:
    """`prisoners-api publish` the synthetic release (no earlier release) into the bench dataset folder,
    under `/usr/bin/time`: wall time, CPU time, peak RSS, and the load average before and after."""
    _dataset()
    folder = ensure_records(records)
    out = DATASET / "releases" / release_id(records)
    shutil.rmtree(out, ignore_errors=True)
    none = PRIVATE / "no-earlier-publications"
    none.mkdir(parents=True, exist_ok=True)
    command = ["/usr/bin/time", "-f", "%M %U %S", str(PROJECT_PYTHON), "-m", "api.cli", "publish",
               str(folder), "--out", str(out), "--publications", str(none)]  # fmt: skip
    before = _load_average()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    rss, user, system = done.stderr.split()[-3:]
    return {
        "records": records,
        "wall_seconds": wall,
        "cpu_seconds": float(user) + float(system),
        "peak_rss_mib": int(rss) / 1024,
        "load_average": [before, _load_average()],
        "output": done.stdout.strip().splitlines()[-1],
    }


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def ensure_release(records: int) -> Path:
    """releases/bench-<n>k/ in the bench dataset folder: the synthetic release's publication, made once."""
    _dataset()
    folder = DATASET / "releases" / release_id(records)
    if not (folder / "release.json").exists():
        print(f"publishing {records} synthetic records into {folder}", flush=True)
        publish(records)
    return folder


def records_database(records: int) -> Path:
    """A SQLite database of the synthetic release's records (the `case` tables of a curator's workspace),
    in the private folder: what a Datasette user with the raw records would query."""
    path = PRIVATE / "db" / f"{release_id(records)}-records.sqlite3"
    if not path.exists():
        from api.publication.workspace import create_workspace

        path.parent.mkdir(parents=True, exist_ok=True)
        create_workspace(f"sqlite:///{path}", DATASET_DIR, [ensure_records(records)]).dispose()
    return path


def migrations_for(records: int) -> tuple[Path, str]:
    """A copy of migrations/ with one more data migration that loads the synthetic release."""
    folder = MIGRATIONS / release_id(records)
    revision = f"bench_{records // 1000}k"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (folder / "versions" / f"{revision}.py").write_text(
        f'"""data: synthetic benchmark release {release_id(records)}"""\n\n'
        "from alembic import op\n\n"
        "from api.dataset import loader\n"
        "from api.migrate import migration_dataset_dir\n\n"
        f"revision = {revision!r}\n"
        f"down_revision = {head!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        f"    loader.load_release(op.get_bind(), migration_dataset_dir(), {release_id(records)!r})\n\n\n"
        "def downgrade() -> None:\n"
        f"    loader.unload_release(op.get_bind(), {release_id(records)!r})\n"
    )
    return folder, revision


@contextmanager
def fresh_database(engine: str, name: str, keep: bool = False) -> Iterator[str]:
    """A new empty database of `engine` (SQLite file or PostgreSQL database) named `name`."""
    if engine == "sqlite":
        path = WORK / "db" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        if not keep:
            path.unlink(missing_ok=True)
        return
    database = name.replace("-", "_") if keep else f"{name.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
