"""One bounded, thread-safe least-recently-used map: the in-process caches' store
(docs/ARCHITECTURE.md, "The caches").

Bounded in entries and, when given a `weight` of a value (its bytes), in their total weight; the least
recently used entries go first. A value is only ever computed by the caller: this map never builds,
so a lookup never waits on another thread's work (`RepresentationCache` adds single flight on top).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """Keys to values, at most `max_entries` of them and (with `weight`) at most `max_weight` in all."""

    def __init__(
        self, max_entries: int, max_weight: int | None = None, weight: Callable[[V], int] | None = None
    ) -> None:
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._weight = weight or (lambda _: 0)
        self._items: OrderedDict[K, V] = OrderedDict()
        self.total_weight = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        """The value of `key`, now the most recently used; None when absent."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` as the most recently used, then drop the least recently used beyond the bounds."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.total_weight -= self._weight(old)
            self._items[key] = value
            self.total_weight += self._weight(value)
            while self._items and (len(self._items) > self.max_entries or self._too_heavy()):
                _, evicted = self._items.popitem(last=False)
                self.total_weight -= self._weight(evicted)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total_weight = 0

    def _too_heavy(self) -> bool:
        return self.max_weight is not None and self.total_weight > self.max_weight
