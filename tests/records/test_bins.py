"""The bins of the two distributions in months, named from their lowest months."""

from __future__ import annotations

import pytest

from api.records.held import HELD_BINS
from api.records.sentences import OPEN_BIN_END, SENTENCE_BINS


def test_the_labels_the_published_tables_and_their_schema_name() -> None:
    assert SENTENCE_BINS.labels == ("1-11", "12-23", "24-35", "36-59", "60-119", "120-179", "180+")
    assert HELD_BINS.labels == ("0-5", "6-11", "12-23", "24-35", "36-59", "60+")


def test_every_month_falls_in_exactly_one_bin_and_the_top_one_is_open() -> None:
    for bins in (SENTENCE_BINS, HELD_BINS):
        for months in range(bins.lowest[0], 600):
            assert sum(low <= months <= high for _, low, high in bins.bins) == 1
        assert bins.of(OPEN_BIN_END - 1) == bins.labels[-1]
    assert (
        SENTENCE_BINS.of(11) == "1-11" and SENTENCE_BINS.of(12) == "12-23" and SENTENCE_BINS.of(180) == "180+"
    )
    assert HELD_BINS.of(0) == "0-5" and HELD_BINS.of(59) == "36-59"


def test_interpolation_edges_are_half_open_and_the_top_is_unbounded() -> None:
    assert SENTENCE_BINS.edges[0] == (1.0, 12.0)
    assert SENTENCE_BINS.edges[-1] == (180.0, None)
    assert HELD_BINS.edges[:2] == ((0.0, 6.0), (6.0, 12.0))


def test_a_month_outside_every_bin_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="outside the bins of bin_months"):
        SENTENCE_BINS.of(0)  # a sentence length starts at one month
    with pytest.raises(ValueError, match="outside the bins of held_months"):
        HELD_BINS.of(OPEN_BIN_END + 1)
