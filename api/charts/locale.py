"""Numbers, months and dates in English, Belarusian and Russian: the one place that writes them, for
the charts, their data tables and the pages.

The same names feed the d3 locales inside every Vega-Lite spec (so axes say `сак 2024`) and the
HTML data table (so screen readers hear `сакавік 2024`). d3 has no Belarusian locale, so these are ours.
"""

from __future__ import annotations

from datetime import date

from api.labels import Lang

_MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "be": (
        "студзень", "люты", "сакавік", "красавік", "травень", "чэрвень",
        "ліпень", "жнівень", "верасень", "кастрычнік", "лістапад", "снежань",
    ),
    "ru": (
        "январь", "февраль", "март", "апрель", "май", "июнь",
        "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    ),
}  # fmt: skip
# A day of a month takes the genitive in Belarusian and Russian ("31 сакавіка").
_MONTHS_OF_DAY: dict[Lang, tuple[str, ...]] = {
    "en": _MONTHS["en"],
    "be": (
        "студзеня", "лютага", "сакавіка", "красавіка", "траўня", "чэрвеня",
        "ліпеня", "жніўня", "верасня", "кастрычніка", "лістапада", "снежня",
    ),
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
}  # fmt: skip
_SHORT_MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "be": ("студз", "лют", "сак", "крас", "трав", "чэрв", "ліп", "жн", "вер", "кастр", "ліст", "снеж"),
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}
_DAYS: dict[Lang, tuple[str, ...]] = {
    "en": ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
    "be": ("нядзеля", "панядзелак", "аўторак", "серада", "чацвер", "пятніца", "субота"),
    "ru": ("воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"),
}
_THOUSANDS: dict[Lang, str] = {"en": ",", "be": "\u00a0", "ru": "\u00a0"}
_DECIMAL: dict[Lang, str] = {"en": ".", "be": ",", "ru": ","}


def format_count(value: int, lang: Lang) -> str:
    """`1,234` in English, `1 234` (no-break space) in Belarusian and Russian."""
    return f"{value:,}".replace(",", _THOUSANDS[lang])


def format_number(value: float, lang: Lang) -> str:
    """A derived statistic (e.g. a median of 36.5 months) with at most one decimal."""
    text = f"{value:,.1f}".removesuffix(".0")
    return text.replace(",", "\0").replace(".", _DECIMAL[lang]).replace("\0", _THOUSANDS[lang])


def format_month(month: str, lang: Lang) -> str:
    """`2024-03` as `March 2024`, `сакавік 2024`, `март 2024`."""
    return f"{_MONTHS[lang][int(month[5:7]) - 1]} {month[:4]}"


def format_day(day: date, lang: Lang) -> str:
    """`31 March 2026`, `31 сакавіка 2026 г.`, `31 марта 2026 г.`."""
    text = f"{day.day} {_MONTHS_OF_DAY[lang][day.month - 1]} {day.year}"
    return text if lang == "en" else f"{text} г."


def format_partial_date(value: str, lang: Lang) -> str:
    """A date of the precision a source gives it: `5 March 2026`, `March 2026` or `2026`."""
    if len(value) == 10:
        return format_day(date.fromisoformat(value), lang)
    return format_month(value, lang) if len(value) == 7 else value


def number_locale(lang: Lang) -> dict[str, object]:
    """A d3-format locale, as Vega-Lite's `config.locale.number` takes it."""
    return {"decimal": _DECIMAL[lang], "thousands": _THOUSANDS[lang], "grouping": [3], "currency": ["", ""]}


def time_locale(lang: Lang) -> dict[str, object]:
    """A d3-time-format locale, as Vega-Lite's `config.locale.time` takes it."""
    return {
        "dateTime": "%x, %X",
        "date": "%m/%d/%Y" if lang == "en" else "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": list(_DAYS[lang]),
        "shortDays": [day[:2] for day in _DAYS[lang]],
        "months": list(_MONTHS[lang]),
        "shortMonths": list(_SHORT_MONTHS[lang]),
    }
