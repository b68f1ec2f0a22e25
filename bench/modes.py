"""How long and how large each mode measures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    name: str
    wrk_seconds: float
    repetitions: int
    sizes: tuple[int, ...]
    """Records per synthetic release, for loading and uncached queries."""
    query_samples: int
    """Uncached computations per endpoint and size (p50/p95 of these)."""


MODES = {
    "small": Mode("small", wrk_seconds=1, repetitions=3, sizes=(10_000,), query_samples=5),
    "full": Mode("full", wrk_seconds=30, repetitions=3, sizes=(10_000, 100_000, 1_000_000), query_samples=7),
}
