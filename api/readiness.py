"""Is the database this instance serves from usable? Reachable, migrated, and (SQLite) not damaged
(`PRAGMA quick_check`: a few milliseconds, as the database holds publications only). Answered within
a deadline, off the request pool.

A database that accepts connections and never answers must not hold a readiness probe (an orchestrator
would wait, not route traffic elsewhere) nor take a worker thread from the requests. The check runs in
a thread of its own, one at a time: probes arriving while it runs share its outcome, and a probe that
waits past the deadline is told "not ready" while the check ends by the database's own timeouts.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine

from api.db import sqlite_damage
from api.migrate import current_revision, head_revision, is_newer_than_code

DEADLINE_SECONDS = 1.5
"""How long a probe waits for the check: its 503 comes within 2 s."""


class NotReady(Exception):
    """The database cannot serve: unreachable, silent, or not migrated to the head revision."""


class ReadinessCheck:
    def __init__(self, engine: Engine, migrations_dir: Path) -> None:
        self.engine = engine
        self.migrations_dir = migrations_dir
        self._executor: ThreadPoolExecutor | None = None
        self._running: Future[str] | None = None
        self._lock = threading.Lock()

    async def revision(self) -> str:
        """The database's migration revision when it is ready; else NotReady, saying why."""
        with self._lock:
            if self._running is None or self._running.done():
                if self._executor is None:  # started on first use, again after a shutdown (a restarted app)
                    self._executor = ThreadPoolExecutor(1, thread_name_prefix="readiness")
                self._running = self._executor.submit(self._check)
            running = self._running
        try:
            # shield: a probe giving up must not cancel the check other probes share.
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(running)), DEADLINE_SECONDS)
        except TimeoutError:
            raise NotReady(f"The database did not answer within {DEADLINE_SECONDS} s.") from None

    def _check(self) -> str:
        try:
            damage = sqlite_damage(self.engine)
            revision = current_revision(self.engine)
        except Exception as error:
            raise NotReady("The database is not reachable.") from error
        if damage:
            raise NotReady(f"The database file is damaged: {damage}")
        head = head_revision(self.migrations_dir)
        if revision is not None and (revision == head or is_newer_than_code(revision, self.migrations_dir)):
            return revision
        raise NotReady(
            f"The database is at revision {revision or 'none'}, the code expects {head}: run the migrations."
        )

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
