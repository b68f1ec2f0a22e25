"""Human labels of dimension values in English, Belarusian and Russian.

Codes stay stable in every language; only labels change. Articles and regions take their titles
from the reference tables (dataset/reference/); the small vocabularies below are translated here.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "be", "ru"]
LANGS: tuple[Lang, ...] = ("en", "be", "ru")

_VOCABULARY: dict[str, tuple[str, str, str]] = {
    # code: (English, Belarusian, Russian)
    "total": ("Total", "Усяго", "Всего"),
    "female": ("Women", "Жанчыны", "Женщины"),
    "male": ("Men", "Мужчыны", "Мужчины"),
    "unknown": ("Unknown", "Невядома", "Неизвестно"),
    "under_25": ("Under 25", "Да 25", "До 25"),
    "25_34": ("25–34", "25–34", "25–34"),
    "35_44": ("35–44", "35–44", "35–44"),
    "45_54": ("45–54", "45–54", "45–54"),
    "55_64": ("55–64", "55–64", "55–64"),
    "65_plus": ("65 and over", "65 і больш", "65 и старше"),
    "prison": ("Prison", "Пазбаўленне волі", "Лишение свободы"),
    "restricted_freedom": ("Restricted freedom", "Абмежаванне волі", "Ограничение свободы"),
    "home_confinement": ("Home confinement", "Хатняя хімія", "Домашняя химия"),
    "fine": ("Fine", "Штраф", "Штраф"),
    "compulsory_treatment": ("Compulsory treatment", "Прымусовае лячэнне", "Принудительное лечение"),
    "pending": ("Awaiting verdict", "Чакае прысуду", "Ожидает приговора"),
    "other": ("Other", "Іншае", "Другое"),
    "end_of_term": ("End of term", "Па канцы тэрміну", "По окончании срока"),
    "pardon": ("Pardon", "Памілаванне", "Помилование"),
    "pardon_expelled": ("Pardon with expulsion", "Памілаванне з высылкай", "Помилование с высылкой"),
    "sentence_changed": ("Sentence changed", "Змена пакарання", "Изменение наказания"),
    "acquitted": ("Acquitted", "Апраўданне", "Оправдание"),
    "died_in_custody": ("Died in custody", "Памёр у зняволенні", "Умер в заключении"),
    "not_released": ("Not released", "Не вызвалены", "Не освобождён"),
    "in_custody": ("In custody", "Пад вартай", "Под стражей"),
    "released": ("Released", "Вызвалены", "Освобождён"),
    "recognized": ("Recognized", "Прызнаны", "Признан"),
}
_LANG_INDEX = {"en": 0, "be": 1, "ru": 2}


def vocabulary_label(code: str, lang: Lang) -> str | None:
    """The translated label of a vocabulary code, or None when the code is not in the vocabulary."""
    labels = _VOCABULARY.get(code)
    return labels[_LANG_INDEX[lang]] if labels else None
