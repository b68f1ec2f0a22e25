"""Subprocess of the growth benchmark: apply one data migration and print how long it took (seconds).

`python -m bench.load_release URL DATASET_DIR MIGRATIONS_DIR REVISION`; its peak RSS is read by the
parent through /usr/bin/time, so this process holds nothing but the migration. The database is at the
project's head already: an upgrade to it first, untimed, does nothing but import and set up Alembic and
the migration environment (over a second on a loaded machine, more than the load of a publication),
so the time printed is the data migration's own work.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from api import migrate

if __name__ == "__main__":
    url, dataset, migrations, revision = sys.argv[1:5]
    migrate.upgrade(url, migrate.head_revision(), Path(dataset), Path(migrations))
    started = time.perf_counter()
    migrate.upgrade(url, revision, Path(dataset), Path(migrations))
    print(f"{time.perf_counter() - started:.3f}")
