"""The render pool: drawings in worker processes, refused at once when full, one client's share, and
workers replaced after a number of drawings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.problems import ProblemError
from api.render.pool import RenderPool, current_client

HOLD_SECONDS = 1
"""How long a held drawing keeps its slot: the refusals are asked at once (the slot counts as busy from
admission, before the worker even starts), so a second is plenty, and each test waits it out."""


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(slots=2, per_client=1, renders_per_worker=2)
    yield pool
    pool.close()


def _hold(pool: RenderPool, client: str, seconds: float) -> threading.Thread:
    """A drawing that keeps a slot for `seconds`, started in a thread as `client`."""

    def run() -> None:
        current_client.set(client)
        pool.run(time.sleep, seconds)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _refusal(pool: RenderPool, client: str) -> ProblemError:
    current_client.set(client)
    with pytest.raises(ProblemError) as refused:
        pool.run(os.getpid)
    return refused.value


def _wait_busy(pool: RenderPool, slots: int) -> None:
    deadline = time.monotonic() + 30
    while pool._busy.total() < slots and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_drawing_runs_in_a_worker_process(pool: RenderPool) -> None:
    assert pool.run(os.getpid) != os.getpid()


def test_a_client_over_its_share_gets_429_with_retry_after(pool: RenderPool) -> None:
    held = _hold(pool, "greedy", HOLD_SECONDS)
    _wait_busy(pool, 1)
    refused = _refusal(pool, "greedy")
    assert refused.status == 429 and int(refused.headers["Retry-After"]) >= 1
    current_client.set("modest")
    assert pool.run(os.getpid) > 0  # another client still has a slot
    held.join()


def test_a_full_pool_answers_503_at_once_instead_of_queueing(pool: RenderPool) -> None:
    held = [_hold(pool, "one", HOLD_SECONDS), _hold(pool, "two", HOLD_SECONDS)]
    _wait_busy(pool, 2)
    started = time.monotonic()
    refused = _refusal(pool, "three")
    assert refused.status == 503 and int(refused.headers["Retry-After"]) >= 1
    assert time.monotonic() - started < 0.5
    for thread in held:
        thread.join()


def test_workers_are_replaced_after_their_drawings(pool: RenderPool) -> None:
    pids = {pool.run(os.getpid) for _ in range(6)}
    assert len(pids) >= 3  # at most 2 drawings per worker


SERVER = """
import os, sys
from api.render.pool import RenderPool
pool = RenderPool(slots=1, per_client=1)
print(pool.run(os.getpid), flush=True)
sys.stdin.read()
"""


# A real server killed, then waiting for its workers to end.
@pytest.mark.slow
def test_workers_end_when_the_server_is_killed() -> None:
    """A worker blocked on its task queue must not outlive a server killed without a shutdown."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    worker = int(server.stdout.readline())
    server.kill()
    server.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = Path(f"/proc/{worker}").exists()
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive
