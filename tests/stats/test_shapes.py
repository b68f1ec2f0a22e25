"""Shaping a published answer: nothing hidden is ever used, margins are dropped only when asked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.query import StatQuery
from api.stats.result import StatResult, Value
from api.stats.shapes import TableShape, shaped, table_shape

LEVELS = ("a", "b", "c", "total")
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000))


def _breakdown(values: list[int | None]) -> StatResult:
    rows: tuple[dict[str, Value], ...] = tuple(
        {"gender": level, "count": value, "suppressed": value is None}
        for level, value in zip(LEVELS, values, strict=True)
    )
    return StatResult(("gender", "count", "suppressed"), ("gender",), rows, sum(v is None for v in values))


@given(st.lists(counts, min_size=4, max_size=4))
def test_a_share_exists_only_where_its_count_and_its_total_are_published(values: list[int | None]) -> None:
    result = shaped("breakdown", _breakdown(values), TableShape(totals=True, long=False, part=None))
    total = values[-1]
    for row, value in zip(result.rows, values, strict=True):
        if value is None or total is None or total == 0:
            assert row["share"] is None
        else:
            assert row["share"] == round(value / total, 3)


@given(st.lists(counts, min_size=4, max_size=4))
def test_without_totals_only_the_margin_goes_and_hidden_cells_are_recounted(values: list[int | None]) -> None:
    result = shaped("breakdown", _breakdown(values), TableShape(totals=False, long=False, part=None))
    assert [row["gender"] for row in result.rows] == ["a", "b", "c"]
    assert result.suppressed_cells == sum(v is None for v in values[:3])


def test_each_format_has_its_defaults_and_a_parameter_overrides_them() -> None:
    query = StatQuery(release="latest")
    assert table_shape(query, "json") == TableShape(totals=True, long=False, part=None)
    assert table_shape(query, "csv") == TableShape(totals=False, long=True, part="histogram")
    assert table_shape(query, "xlsx") == TableShape(totals=False, long=True, part=None)
    asked = StatQuery(release="latest", totals=True, shape="wide", part="quantiles")
    assert table_shape(asked, "csv") == TableShape(totals=True, long=False, part="quantiles")
