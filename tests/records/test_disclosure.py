"""Tests of the disclosure-control policy: focused cases, then properties over generated tables."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog  # type: ignore[import-untyped]

from api.disclosure import (
    BIN_WITHHELD,
    MEAN_WITHHELD,
    MIN_THRESHOLD,
    OPEN_BIN_WITHHELD,
    SIZE_WITHHELD,
    protect_counts,
    protect_quantiles,
)
from api.table import TOTAL, CountTable, GroupHistogram, Key, PublishedEntry, PublishedTable
from tests.utils.examples import examples

T = TOTAL
QUANTILES = {"p10": 0.1, "p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9}

# Not a global profile (that would change every other test module's settings): one for this file.
PROPERTY = settings(
    max_examples=examples(200, 1000), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def table(
    levels: dict[str, tuple[str, ...]],
    counts: dict[Key, int],
    periods: tuple[str, ...] | None = None,
    exact_totals: bool = False,
) -> CountTable:
    return CountTable("test", tuple(levels), levels, counts, periods, exact_totals)


def by_key(published: PublishedTable, period: str | None = None) -> dict[Key, PublishedEntry]:
    return {cell.key: cell for cell in published.cells if cell.period == period}


def hidden(published: PublishedTable) -> set[Key]:
    return {cell.key for cell in published.cells if cell.suppressed}


def lines(levels: list[tuple[str, ...]]) -> list[list[Key]]:
    """Every equation of a grid, each as its members with the margin last (written apart from the code)."""
    if len(levels) == 1:
        return [[*((value,) for value in levels[0]), (T,)]]
    if len(levels) == 2:
        rows, columns = levels
        equations: list[list[Key]] = [[*((a, b) for b in columns), (a, T)] for a in rows]
        equations += [[*((a, b) for a in rows), (T, b)] for b in columns]
        equations += [[*((a, T) for a in rows), (T, T)], [*((T, b) for b in columns), (T, T)]]
        return equations
    return []


# --- settings floor -------------------------------------------------------------------------------


def test_threshold_below_minimum_is_refused() -> None:
    assert MIN_THRESHOLD == 3
    with pytest.raises(ValueError, match="minimum threshold 3"):
        protect_counts(table({}, {(): 7}), threshold=2)


def test_quantiles_refuse_a_minimum_group_below_the_minimum_threshold() -> None:
    with pytest.raises(ValueError, match="minimum threshold 3"):
        protect_quantiles([], EDGES, min_group=2, quantiles=QUANTILES)


@pytest.mark.parametrize(
    ("levels", "counts"),
    [
        ({"a": ("x",), "b": ("y",), "c": ("z",)}, {}),  # three dimensions
        ({"gender": ("female", T)}, {}),  # a level named like the margins
        ({"gender": ("female",)}, {("male",): 3}),  # a count outside the grid would be lost
        ({"gender": ("female",)}, {("female",): -1}),
    ],
)
def test_tables_the_policy_cannot_protect_are_refused(
    levels: dict[str, tuple[str, ...]], counts: dict[Key, int]
) -> None:
    with pytest.raises(ValueError):
        protect_counts(table(levels, counts), threshold=5)


# --- shape and order ------------------------------------------------------------------------------


def test_zero_dimensional_table_is_one_cell_suppressed_below_threshold() -> None:
    assert by_key(protect_counts(table({}, {(): 4}), 5)) == {(): PublishedEntry((), None, True)}
    assert by_key(protect_counts(table({}, {(): 5}), 5)) == {(): PublishedEntry((), 5, False)}


def test_zero_dimensional_exact_total_is_published_whatever_its_size() -> None:
    assert protect_counts(table({}, {(): 2}, exact_totals=True), 5).cells == (PublishedEntry((), 2, False),)


def test_one_dimensional_cells_in_level_order_then_total_with_missing_keys_as_zero() -> None:
    published = protect_counts(table({"gender": ("male", "female", "unknown")}, {("male",): 9}), 5)
    assert [(c.key, c.value, c.is_margin) for c in published.cells] == [
        (("male",), 9, False),
        (("female",), 0, False),
        (("unknown",), 0, False),
        ((T,), 9, True),
    ]


def test_two_dimensional_rows_with_row_totals_then_column_totals_then_grand_total() -> None:
    published = protect_counts(table({"g": ("f", "m"), "r": ("x", "y")}, {("f", "x"): 10}), 5)
    assert [c.key for c in published.cells] == [
        ("f", "x"), ("f", "y"), ("f", T), ("m", "x"), ("m", "y"), ("m", T), (T, "x"), (T, "y"), (T, T),
    ]  # fmt: skip
    assert [c.key for c in published.cells if c.is_margin] == [("f", T), ("m", T), (T, "x"), (T, "y"), (T, T)]
    assert published.threshold == 5 and published.suppressed_cells == 0


def test_series_protects_each_period_on_its_own() -> None:
    counts: dict[Key, int] = {
        ("2021-01", "f"): 2, ("2021-01", "m"): 9,
        ("2021-02", "f"): 6, ("2021-02", "m"): 9,
    }  # fmt: skip
    published = protect_counts(table({"g": ("f", "m")}, counts, periods=("2021-01", "2021-02")), 5)
    assert [c.period for c in published.cells] == ["2021-01"] * 3 + ["2021-02"] * 3
    assert [c.value for c in published.cells] == [None, None, 11, 6, 9, 15]
    assert published.periods == ("2021-01", "2021-02")


# --- primary and secondary suppression -----------------------------------------------------------


def test_margins_below_threshold_are_suppressed_too() -> None:
    published = protect_counts(table({"g": ("f", "m", "u")}, {("f",): 1, ("m",): 2}), 5)
    assert [c.value for c in published.cells] == [None, None, 0, None]


def test_complement_is_the_smallest_non_zero_cell_first_in_level_order() -> None:
    counts: dict[Key, int] = {("a",): 2, ("b",): 7, ("c",): 6, ("d",): 6}
    published = protect_counts(table({"x": ("a", "b", "c", "d", "e")}, counts), 5)
    assert hidden(published) == {("a",), ("c",)}
    assert by_key(published)[("e",)].value == 0


def test_margin_is_hidden_when_the_line_has_no_other_non_zero_cell() -> None:
    published = protect_counts(table({"x": ("a", "b", "c")}, {("a",): 3, ("b",): 0}), 5)
    assert hidden(published) == {("a",), (T,)}


def test_exact_total_below_threshold_is_published_and_its_lone_cell_hidden_among_zeros() -> None:
    # The total (2) is public; showing the zeros would say where both people are.
    published = protect_counts(table({"x": ("a", "b", "c")}, {("a",): 2}, exact_totals=True), 5)
    assert [c.value for c in published.cells] == [None, None, None, 2]


def test_single_level_dimension_is_the_exact_total_itself() -> None:
    published = protect_counts(table({"x": ("a",)}, {("a",): 2}, exact_totals=True), 5)
    assert [c.value for c in published.cells] == [2, 2]


def test_row_total_cannot_be_recovered_from_the_grand_total() -> None:
    counts: dict[Key, int] = {
        ("r1", "c1"): 1, ("r1", "c2"): 1,
        ("r2", "c1"): 10, ("r2", "c2"): 10,
        ("r3", "c1"): 20,
    }  # fmt: skip
    published = protect_counts(table({"r": ("r1", "r2", "r3"), "c": ("c1", "c2")}, counts), 5)
    assert {("r1", T), ("r2", T)} <= hidden(published)  # not r1's total = grand total - r2 - r3
    assert by_key(published)[(T, T)].value == 42


def lp_bounds(published: PublishedTable, levels: list[tuple[str, ...]], target: Key) -> tuple[float, float]:
    """The audit's attack: the least and greatest value of `target` consistent with every published
    equation of the grid and non-negative cells (a linear program over the suppressed cells)."""
    cells = by_key(published)
    unknown = sorted(hidden(published))
    equations, constants = [], []
    for *interior, margin in lines(levels):
        signs = {key: 1.0 for key in interior} | {margin: -1.0}
        equations.append([signs.get(key, 0.0) for key in unknown])
        constants.append(
            -sum(signs[key] * (cells[key].value or 0) for key in signs if not cells[key].suppressed)
        )
    objective = [1.0 if key == target else 0.0 for key in unknown]
    low = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
    high = linprog([-c for c in objective], A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
    assert low.status == high.status == 0
    return low.fun, -high.fun


def test_attack_single_person_cannot_be_recovered() -> None:
    rows, columns = ("female", "male"), ("BY-BR", "BY-MI", "BY-VI")
    values = [[1, 20, 30], [40, 50, 60]]
    counts: dict[Key, int] = {
        (a, b): values[i][j] for (i, a), (j, b) in product(enumerate(rows), enumerate(columns))
    }
    published = protect_counts(table({"gender": rows, "region": columns}, counts), 5)
    cells = by_key(published)
    target = ("female", "BY-BR")
    assert cells[target].suppressed
    for line in lines([rows, columns]):
        if target in line:  # the equation has a second unknown, so subtraction cannot isolate the target
            assert sum(cells[key].suppressed for key in line) >= 2
    low, high = lp_bounds(published, [rows, columns], target)  # all the equations together
    assert high - low >= 5


def test_combined_lines_cannot_pin_a_cell() -> None:
    # Every line keeps >= 2 suppressed members, yet column b2 minus rows a0 and a2 (each equal to its
    # only hidden cell) minus the row-total line gives (a1, b2) = 7 - (13 - 9) = 3.
    levels: list[tuple[str, ...]] = [("a0", "a1", "a2"), ("b0", "b1", "b2")]
    counts: dict[Key, int] = {
        ("a0", "b2"): 1,
        ("a1", "b0"): 3, ("a1", "b1"): 3, ("a1", "b2"): 3,
        ("a2", "b2"): 3,
    }  # fmt: skip
    published = protect_counts(table({"a": levels[0], "b": levels[1]}, counts), 5)
    low, high = lp_bounds(published, levels, ("a1", "b2"))
    assert high > low


# --- quantiles ------------------------------------------------------------------------------------


EDGES = ((0.0, 10.0), (10.0, 20.0), (20.0, 40.0), (40.0, None))


def _quantiles(
    n: int | None, *counts: int | None, min_group: int = 10
) -> tuple[dict[str, float | None], dict[str, str]]:
    [result] = protect_quantiles([GroupHistogram(("f",), n, counts)], EDGES, min_group, QUANTILES)
    assert result.n == n
    return result.quantiles, result.reasons


def test_quantiles_interpolate_inside_the_bin_of_the_published_histogram() -> None:
    # 20 people: 4 in [0, 10), 8 in [10, 20), 8 in [20, 40). The median (10th) is in the second bin:
    # 10 + (10 - 4) / 8 * 10 = 17.5; p90 (18th) in the third: 20 + (18 - 12) / 8 * 20 = 35.
    values, reasons = _quantiles(20, 4, 8, 8, 0)
    assert values == {"p10": 5.0, "p25": 11.3, "median": 17.5, "p75": 27.5, "p90": 35.0, "mean": None}
    assert reasons == {"mean": MEAN_WITHHELD}  # 11.25 rounds half-up


def test_quantiles_withheld_below_min_group_or_with_a_hidden_size_but_the_size_is_published() -> None:
    values, reasons = _quantiles(9, 9, 0, 0, 0)
    assert values == dict.fromkeys([*QUANTILES, "mean"])
    assert reasons == dict.fromkeys(QUANTILES, "group smaller than 10") | {"mean": MEAN_WITHHELD}
    values, reasons = _quantiles(None, None, None, None, None)
    assert set(values.values()) == {None} and reasons["median"] == SIZE_WITHHELD


def test_a_quantile_needing_a_hidden_bin_is_withheld_and_one_the_visible_counts_fix_is_not() -> None:
    # Bins 2 and 4 hidden (2 people between them): p10 and p25 are in bin 1, below any hidden bin;
    # the median and above depend on how the 2 are split.
    values, reasons = _quantiles(20, 6, None, 12, None)
    assert values["p10"] == 3.3 and values["p25"] == 8.3
    assert values["median"] is values["p75"] is values["p90"] is None
    assert reasons["median"] == reasons["p75"] == reasons["p90"] == BIN_WITHHELD


def test_a_quantile_found_from_the_top_when_every_bin_above_is_visible() -> None:
    values, _ = _quantiles(20, None, None, 10, 0)
    # 10 people below bin 3 (20 - 10 - 0), known; the median (10th) is somewhere in bins 1-2.
    assert values["p75"] == 30.0 and values["p90"] == 36.0
    assert values["median"] is None and values["p10"] is None


def test_a_quantile_in_the_open_top_bin_is_withheld() -> None:
    values, reasons = _quantiles(10, 0, 0, 5, 5)
    assert values["median"] == 40.0 and values["p75"] is None and reasons["p75"] == OPEN_BIN_WITHHELD


def test_rounding_is_half_up() -> None:
    values, _ = _quantiles(10, 0, 8, 2, 0)
    assert values["p25"] == 13.1  # 10 + 2.5 / 8 * 10 = 13.125
    values, _ = _quantiles(40, 0, 40, 0, 0)
    assert values["p25"] == 12.5 and values["p10"] == 11.0  # round(12.5) would be 12


def test_bins_that_cannot_be_the_group_are_refused() -> None:
    with pytest.raises(ValueError, match="do not sum"):
        _quantiles(20, 4, 8, 8, 1)
    with pytest.raises(ValueError, match="counts for 4 bins"):
        protect_quantiles([GroupHistogram((), 1, (1,))], EDGES, 10, QUANTILES)


@PROPERTY
@given(st.lists(st.one_of(st.none(), st.integers(0, 30)), min_size=4, max_size=4), st.integers(0, 12))
def test_published_quantiles_are_functions_of_the_published_counts(
    counts: list[int | None], hidden_rest: int
) -> None:
    """Any two histograms that publish the same counts get the same quantiles: whatever the hidden bins
    hold (here: all of the rest in the lowest or the highest hidden bin), nothing else moves them."""
    hidden = [i for i, c in enumerate(counts) if c is None]
    n = sum(c or 0 for c in counts) + (hidden_rest if hidden else 0)
    published, _ = _quantiles(n, *counts, min_group=3)
    for chosen in hidden[:1] + hidden[-1:]:
        full = [hidden_rest if i == chosen else (c or 0) for i, c in enumerate(counts)]
        exact, _ = _quantiles(n, *full, min_group=3)
        assert all(v is None or v == exact[name] for name, v in published.items()), (full, published)


# --- properties over generated tables -------------------------------------------------------------

# Counts skewed to 0..10 so that primary and secondary suppression happen in most tables.
COUNTS = st.one_of(st.just(0), st.integers(1, 10), st.integers(0, 60))


@st.composite
def protected_tables(draw: st.DrawFn) -> tuple[CountTable, PublishedTable]:
    sizes = draw(st.lists(st.integers(1, 4), max_size=2))
    levels = {f"d{i}": tuple(f"d{i}v{j}" for j in range(size)) for i, size in enumerate(sizes)}
    periods = draw(
        st.none() | st.integers(1, 3).map(lambda n: tuple(f"2020-{m:02}" for m in range(1, n + 1)))
    )
    counts: dict[Key, int] = {}
    for period in periods or (None,):
        for cell in product(*levels.values()):
            n = draw(COUNTS)
            if n or draw(st.booleans()):  # a missing key means 0
                counts[(period, *cell) if period else cell] = n
    source = table(levels, counts, periods=periods, exact_totals=draw(st.booleans()))
    return source, protect_counts(source, draw(st.integers(3, 10)))


def exact_value(source: CountTable, cell: PublishedEntry) -> int:
    """The sum of the grid cells a published key covers (TOTAL matches every level), from the counts."""
    grid = product(*source.levels.values())
    covered = (c for c in grid if all(k in (T, v) for k, v in zip(cell.key, c, strict=True)))
    return sum(source.count(c, cell.period) for c in covered)


def is_exact_total(source: CountTable, key: Key) -> bool:
    """A key published exactly: one that covers the whole grid of an `exact_totals` table."""
    return source.exact_totals and all(
        k == T or len(source.levels[d]) == 1 for d, k in zip(source.levels, key, strict=True)
    )


@PROPERTY
@given(protected_tables())
def test_every_grid_cell_and_margin_is_published_once_per_period(
    case: tuple[CountTable, PublishedTable],
) -> None:
    source, published = case
    for period in source.periods or (None,):
        keys = [c.key for c in published.cells if c.period == period]
        margins = {key for key in product(*((*v, T) for v in source.levels.values())) if T in key}
        assert sorted(keys) == sorted(set(product(*source.levels.values())) | margins)


@PROPERTY
@given(protected_tables())
def test_no_visible_count_below_threshold(case: tuple[CountTable, PublishedTable]) -> None:
    source, published = case
    for cell in published.cells:
        if cell.value is not None and not is_exact_total(source, cell.key):
            assert not 1 <= cell.value < published.threshold


@PROPERTY
@given(protected_tables())
def test_visible_values_are_exact_and_zeros_are_shown(case: tuple[CountTable, PublishedTable]) -> None:
    source, published = case
    for cell in published.cells:
        exact = exact_value(source, cell)
        assert cell.suppressed or cell.value == exact
        assert exact != 0 or cell.suppressed or cell.value == 0


@PROPERTY
@given(protected_tables())
def test_suppressed_exactly_when_value_is_none(case: tuple[CountTable, PublishedTable]) -> None:
    _, published = case
    assert all(cell.suppressed == (cell.value is None) for cell in published.cells)


@PROPERTY
@given(protected_tables())
def test_no_line_has_a_single_suppressed_member(case: tuple[CountTable, PublishedTable]) -> None:
    source, published = case
    for period in source.periods or (None,):
        cells = by_key(published, period)
        for line in lines(list(source.levels.values())):
            assert sum(cells[key].suppressed for key in line) != 1, line


# --- a release's own list (api.cells.Withheld -> CountTable.decided_by_list) ------------------------


def _region_table(counts: dict[str, int], **fields: object) -> CountTable:
    return CountTable(
        "breakdown",
        ("region",),
        {"region": tuple(counts)},
        {(name,): n for name, n in counts.items()},
        exact_totals=True,
        **fields,  # type: ignore[arg-type]
    )


def _hidden(table: CountTable) -> set[str]:
    return {cell.key[0] for cell in protect_counts(table, 5).cells if cell.suppressed}


def test_a_listed_count_is_hidden_and_its_line_protected() -> None:
    counts = {"a": 20, "b": 30, "c": 40}
    assert _hidden(_region_table(counts)) == set()
    assert _hidden(_region_table(counts, decided_by_list={("c",): True})) == {"a", "c"}


def test_a_listed_show_frees_a_complement_but_never_shows_a_small_count() -> None:
    counts = {"a": 3, "b": 6, "c": 30}
    assert _hidden(_region_table(counts)) == {"a", "b"}  # b hides a from subtraction
    assert _hidden(_region_table(counts, decided_by_list={("b",): False})) == {"a", "c"}
    assert _hidden(_region_table(counts, decided_by_list={("a",): False})) == {
        "a",
        "b",
    }  # 3 < k: stays hidden


def test_another_table_s_decision_outranks_the_list() -> None:
    counts = {"a": 3, "b": 6, "c": 30}
    table = _region_table(counts, decided_by_list={("b",): False}, decided_by_tables={("b",): True})
    assert "b" in _hidden(table)
