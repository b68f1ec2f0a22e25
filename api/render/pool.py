"""Where charts are drawn: a few worker processes, admission without a queue, one client's share.

vl-convert takes a core for tens to hundreds of milliseconds per drawing and its V8 heap grows with
every distinct chart. So drawings run here, never in the request's thread:

* at most `slots` drawings at once (the cores less one, at least one), in worker processes: the event
  loop and the JSON answers keep a core however many charts are asked for;
* nothing waits for a slot: a drawing that finds every slot busy is refused at once, 503 with
  `Retry-After`, and a client already holding `per_client` slots gets 429 (the client is the one the
  rate limit counts, `current_client`);
* each worker is replaced after `renders_per_worker` drawings, which gives the heap back.

Identical drawings asked for at once are drawn once: the representation cache's single flight
(api/responses.py) lets one of them in here and the others wait for its bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from api.problems import ProblemError
from api.render.drawing import exit_with_parent
from api.translations import Sentence

T = TypeVar("T")
RETRY_AFTER_SECONDS = 2
RENDER_SECONDS = 60
"""Longest a drawing may take before its request is answered 503 (a stuck worker is replaced)."""

current_client: ContextVar[str] = ContextVar("current_client", default="unknown")
"""Whose request is drawing: set by the limits middleware, copied into the route's thread."""


def default_slots() -> int:
    return max(1, (os.cpu_count() or 1) - 1)


class RenderPool:
    def __init__(self, slots: int, per_client: int, renders_per_worker: int = 100) -> None:
        self.slots = slots
        self.per_client = per_client
        self.renders_per_worker = renders_per_worker
        self._busy: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker process, or a 503/429 problem at once when there is no room."""
        with self._admitted(current_client.get()):
            future = self._pool().submit(function, *args)
            try:
                return future.result(timeout=RENDER_SECONDS)
            except (BrokenProcessPool, TimeoutError):
                self._replace_pool()
                raise _busy(503, Sentence("problem.drawing_failed")) from None

    @contextmanager
    def _admitted(self, client: str) -> Iterator[None]:
        with self._lock:
            if self._busy[client] >= self.per_client:
                raise _busy(429, Sentence("problem.client_drawing", {"count": self._busy[client]}))
            if self._busy.total() >= self.slots:
                raise _busy(503, Sentence("problem.renderers_busy"))
            self._busy[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy[client] -= 1
                if not self._busy[client]:
                    del self._busy[client]

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.slots,
                    mp_context=multiprocessing.get_context("spawn"),  # no copy of the server's threads
                    initializer=exit_with_parent,
                    initargs=(os.getpid(),),
                    max_tasks_per_child=self.renders_per_worker,
                )
            return self._executor

    def _replace_pool(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (the app's shutdown); a later drawing starts new ones."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _busy(status: int, detail: Sentence) -> ProblemError:
    kind = "/problems/client-busy" if status == 429 else "/problems/renderers-busy"
    return ProblemError(status, detail, problem_type=kind, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


POOL = RenderPool(default_slots(), per_client=max(1, default_slots() // 2))
