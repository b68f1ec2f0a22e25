"""The in-process caches' store: least recently used first out, bounded in entries and in weight."""

from __future__ import annotations

import threading

from api.lru import BoundedLRU


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: BoundedLRU[str, int] = BoundedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_the_weight_bound_evicts_until_the_values_fit() -> None:
    cache: BoundedLRU[str, bytes] = BoundedLRU(100, max_weight=10, weight=len)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    cache.put("c", b"1")
    assert cache.get("a") is None and cache.total_weight == 6
    cache.put("big", b"x" * 11)  # heavier than the bound: kept by nobody
    assert len(cache) == 0 and cache.total_weight == 0


def test_replacing_a_value_counts_its_weight_once() -> None:
    cache: BoundedLRU[str, bytes] = BoundedLRU(10, max_weight=100, weight=len)
    cache.put("a", b"1234")
    cache.put("a", b"12")
    assert len(cache) == 1 and cache.total_weight == 2
    cache.clear()
    assert len(cache) == 0 and cache.total_weight == 0


def test_threads_never_exceed_the_bounds() -> None:
    cache: BoundedLRU[int, bytes] = BoundedLRU(50, max_weight=400, weight=len)

    def fill(offset: int) -> None:
        for i in range(500):
            cache.put(offset + i, b"x" * 10)
            cache.get(offset + i // 2)

    threads = [threading.Thread(target=fill, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 40 and cache.total_weight == 10 * len(cache)
