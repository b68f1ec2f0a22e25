"""Changes between releases: counts protected like any other, and not derivable from the headlines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from api.records.changes import protect_changes


def _shown(rows: Sequence[Mapping[str, object]]) -> dict[str, object]:
    return {str(row["measure"]): row["value"] for row in rows}


def test_small_counts_are_hidden_and_zero_and_large_are_shown() -> None:
    rows = protect_changes({"added": 40, "removed": 0, "released_since": 30, "back_in_custody": 3}, 5)
    assert _shown(rows) == {"added": 40, "removed": 0, "released_since": None, "back_in_custody": None}
    rows = protect_changes({"added": 40, "removed": 0, "released_since": 30, "back_in_custody": 0}, 5)
    assert _shown(rows) == {"added": 40, "removed": 0, "released_since": 30, "back_in_custody": 0}


def test_released_since_and_back_in_custody_are_hidden_together() -> None:
    # Nobody added or removed: in custody(then) - in custody(now) = released_since - back_in_custody is
    # published by the headlines, so 3 released with 0 back would otherwise read straight off them.
    rows = protect_changes({"added": 0, "removed": 0, "released_since": 3, "back_in_custody": 0}, 5)
    assert _shown(rows) == {"added": 0, "removed": 0, "released_since": None, "back_in_custody": None}


def test_added_and_removed_are_hidden_together() -> None:
    # recognized(now) - recognized(then) = added - removed is published: 3 added with 0 removed would
    # otherwise read straight off the headlines.
    rows = protect_changes({"added": 3, "removed": 0, "released_since": 50, "back_in_custody": 0}, 5)
    assert _shown(rows) == {"added": None, "removed": None, "released_since": 50, "back_in_custody": 0}
    assert all(row["suppressed"] for row in rows if row["measure"] in {"added", "removed"})
