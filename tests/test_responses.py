"""The representation cache: bounded, and identical concurrent misses built once (single flight)."""

from __future__ import annotations

import threading
import time

import pytest

from api.problems import ProblemError
from api.responses import MAX_WAITERS, Representation, RepresentationCache


def test_identical_concurrent_misses_are_built_once() -> None:
    cache, builds, results = RepresentationCache(), [], []

    def build() -> Representation:
        builds.append(1)
        time.sleep(0.3)
        return Representation(b"drawn", "image/png")

    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_build(("png",), build))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and [r.body for r in results] == [b"drawn"] * 8


def test_a_failed_build_fails_its_waiters_and_is_not_cached() -> None:
    cache, errors = RepresentationCache(), []

    def refused() -> Representation:
        time.sleep(0.2)
        raise ProblemError(503, "busy")

    def ask() -> None:
        try:
            cache.get_or_build(("png",), refused)
        except ProblemError as error:
            errors.append(error.status)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [503, 503, 503]
    with pytest.raises(ProblemError):
        cache.get_or_build(("png",), refused)
    assert cache.get_or_build(("png",), lambda: Representation(b"ok", "image/png")).body == b"ok"


def test_waiters_for_one_build_are_bounded_and_the_rest_refused_at_once() -> None:
    """Each waiter holds a server thread: past MAX_WAITERS, a 503 with Retry-After instead of a wait."""
    cache, statuses, started = RepresentationCache(), [], threading.Event()

    def slow() -> Representation:
        started.set()
        time.sleep(1)
        return Representation(b"drawn", "image/png")

    def ask() -> None:
        try:
            cache.get_or_build(("png",), slow)
            statuses.append(200)
        except ProblemError as error:
            assert int(error.headers["Retry-After"]) >= 1
            statuses.append(error.status)

    leader = threading.Thread(target=ask)
    leader.start()
    started.wait()
    others = [threading.Thread(target=ask) for _ in range(MAX_WAITERS + 4)]
    for thread in others:
        thread.start()
    for thread in [leader, *others]:
        thread.join()
    assert sorted(statuses) == [200] * (MAX_WAITERS + 1) + [503] * 4
