"""How the landing page writes numbers and dates in English, Belarusian and Russian (its words are in
the catalogue, `api.translations`)."""

from __future__ import annotations

from datetime import date

from api.labels import Lang

_MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "be": (
        "студзеня",
        "лютага",
        "сакавіка",
        "красавіка",
        "мая",
        "чэрвеня",
        "ліпеня",
        "жніўня",
        "верасня",
        "кастрычніка",
        "лістапада",
        "снежня",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
}


_MONTHS_EN = _MONTHS["en"]


def format_partial_date(value: str, lang: Lang) -> str:
    """A date of the precision a source gives: 31 March 2026, March 2026 (03.2026 in be/ru), 2026."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return format_date(date(parts[0], parts[1], parts[2]), lang)
    if len(parts) == 2:
        return f"{_MONTHS_EN[parts[1] - 1]} {parts[0]}" if lang == "en" else f"{parts[1]:02d}.{parts[0]}"
    return str(parts[0])


def format_date(day: date, lang: Lang) -> str:
    """31 March 2026 / 31 сакавіка 2026 / 31 марта 2026."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
