"""Every count a response shows a reader, whatever its representation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx

# Columns and keys that hold counts of people (values, not codes or statistics of lengths).
_COUNT_KEYS = {"count", "value", "recognized"}


def _is_count_key(key: str) -> bool:
    return key in _COUNT_KEYS or (key.startswith("released_") and not key.endswith("_suppressed"))


def _from_json(node: Any, parent: dict[str, Any] | None = None) -> Iterator[int]:
    if isinstance(node, dict):
        is_statistic = (
            node.get("measure") in {"quantiles", "prison_sentence_months"} and node.get("statistic") != "n"
        )
        for key, value in node.items():
            if key == "meta" or key == "links":
                continue
            if (
                _is_count_key(key)
                and isinstance(value, int)
                and not isinstance(value, bool)
                and not is_statistic
            ):
                yield value
            else:
                yield from _from_json(value, node)
    elif isinstance(node, list):
        for item in node:
            yield from _from_json(item, parent)


def _from_csv(text: str) -> Iterator[int]:
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        is_statistic = (
            row.get("measure") in {"quantiles", "prison_sentence_months"} and row.get("statistic") != "n"
        )
        for key, value in row.items():
            if _is_count_key(key) and value and value.lstrip("-").isdigit() and not is_statistic:
                yield int(value)


def visible_counts(response: httpx.Response) -> list[int]:
    """The counts of people visible in a JSON or CSV statistics response."""
    if response.headers["content-type"].startswith("text/csv"):
        return list(_from_csv(response.text))
    return list(_from_json(response.json()))
