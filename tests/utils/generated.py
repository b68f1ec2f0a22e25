"""Generated people for property tests of the disclosure policy: few values per column, so small
counts (the ones the policy must hide) turn up often."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

GENDERS = ("female", "male")
REGIONS = ("BY-BR", "BY-HM", "BY-VI")
AGES = ("under_25", "35_44", "65_plus")
ARTICLES = ("342", "361-1", "369")
MONTHS = ("2021-01", "2021-06", "2022-03", "2023-11", "2024-05")


@st.composite
def case_records(
    draw: st.DrawFn, release_kinds: tuple[str, ...] = ("end_of_term", "pardon", "pardon_expelled")
) -> dict[str, Any]:
    """One person as the case table holds them, `articles` as a list."""
    detained = draw(st.sampled_from(MONTHS[:-1]))
    released = draw(st.one_of(st.none(), st.sampled_from([m for m in MONTHS if m > detained])))
    kind = draw(st.sampled_from(("prison", "prison", "restricted_freedom", "pending")))
    return {
        "gender": draw(st.sampled_from(GENDERS)),
        "age_band": draw(st.sampled_from(AGES)),
        "region": draw(st.sampled_from(REGIONS)),
        "detained_on": detained,
        "recognized_on": detained,
        "articles": draw(st.lists(st.sampled_from(ARTICLES), min_size=1, max_size=2, unique=True)),
        "sentence_kind": kind,
        "sentence_months": None if kind == "pending" else draw(st.integers(1, 240)),
        "released_on": released,
        "release_kind": None if released is None else draw(st.sampled_from(release_kinds)),
    }
