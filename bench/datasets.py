"""Synthetic releases of 10k, 100k and 1M records (never committed), and the databases they load into."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api import migrate
from api.dataset.demo import write_demo_release
from api.paths import DATASET_DIR, MIGRATIONS_DIR
from bench.environment import WORK

DATASET = WORK / "data" / "dataset"
"""A dataset folder like the bundled one, plus the synthetic releases."""
MIGRATIONS = WORK / "migrations"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def release_id(records: int) -> str:
    return f"bench-{records // 1000}k"


def ensure_release(records: int) -> Path:
    """releases/bench-<n>k/ in the bench dataset folder, generated once."""
    if not (DATASET / "schema").exists():
        DATASET.mkdir(parents=True, exist_ok=True)
        for part in ("schema", "reference", "figures", "releases/demo-2026-03"):
            shutil.copytree(DATASET_DIR / part, DATASET / part, dirs_exist_ok=True)
    folder = DATASET / "releases" / release_id(records)
    if not (folder / "release.json").exists():
        print(f"generating {records} synthetic records into {folder}", flush=True)
        write_demo_release(folder, records=records, release_id=release_id(records))
    return folder


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
