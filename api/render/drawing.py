"""vl-convert calls as the render pool's worker processes run them.

Kept apart from api.render.images so that a worker imports vl-convert and nothing else of the service
(no web framework, no database layer): each worker is a process of its own, and its memory counts.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import vl_convert

NO_NETWORK: list[str] = []
"""Allowed base URLs for data: none. Every chart has its data inline."""


def draw_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document."""
    return str(vl_convert.vegalite_to_svg(spec, allowed_base_urls=NO_NETWORK))


def draw_png(spec: dict[str, Any], scale: int) -> bytes:
    """The chart as a PNG, `scale` image pixels per chart pixel."""
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=NO_NETWORK))


def exit_with_parent(parent: int) -> None:
    """Run first in each worker: end it when the server that started it is gone, however it went
    (a worker blocked on its task queue would otherwise outlive a killed server, its memory with it)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
