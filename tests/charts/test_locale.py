"""Months and dates (api/charts/locale.py), the one place that writes them in every language."""

from __future__ import annotations

from datetime import date

import pytest

from api.charts.locale import format_day, format_month, format_partial_date, time_locale
from api.dataset.import_vocabulary import MONTH_NAMES
from api.labels import LANGS, Lang


def test_belarusian_may_is_travien_and_of_a_day_trauna() -> None:
    assert format_month("2024-05", "be") == "травень 2024"
    assert format_day(date(2026, 5, 1), "be") == "1 траўня 2026 г."
    assert time_locale("be")["months"][4] == "травень"  # type: ignore[index]


@pytest.mark.parametrize(
    ("lang", "day", "month"),
    [
        ("en", "31 March 2026", "March 2026"),
        ("be", "31 сакавіка 2026 г.", "сакавік 2026"),
        ("ru", "31 марта 2026 г.", "март 2026"),
    ],
)
def test_a_date_of_each_precision(lang: Lang, day: str, month: str) -> None:
    assert format_partial_date("2026-03-31", lang) == day
    assert format_partial_date("2026-03", lang) == month
    assert format_partial_date("2026", lang) == "2026"


@pytest.mark.parametrize("lang", LANGS)
def test_the_importer_reads_every_month_name_the_service_writes(lang: Lang) -> None:
    short: list[str] = time_locale(lang)["shortMonths"]  # type: ignore[assignment]
    for month in range(1, 13):
        written = {
            format_month(f"2024-{month:02d}", lang).split()[0],
            format_day(date(2024, month, 1), lang).split()[1],
            short[month - 1],
        }
        assert {name.lower() for name in written} <= set(MONTH_NAMES[month]), (lang, month)
