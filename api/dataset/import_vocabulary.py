"""What the importer (`api/dataset/importer.py`) understands in a curator's export of the list.

The first half is data, so a curator can read and extend it without reading code; the second half is the
small functions that read the export's file and text with it (the importer then makes a release of them).
Every entry is written in its natural spelling; the entry and the export's text are folded the same way
before comparing (case-folded, accents and other combining marks removed, so `Мінск`, `МИНСК`,
`Mahilioŭ` and `Mahiliou` compare as written here).
English, Belarusian and Russian spellings sit side by side.

How each table is matched:
- `FIELDS`, `DROPPED_FIELDS`: a column header is the whole alias (punctuation and `_` count as spaces).
- `GENDERS`, `MONTH_NAMES`, `NUMBER_WORDS`, `MINSK_CITY_FORMS`, `REGION_WORDS`: a whole word.
- `PLACE_STEMS`: a word of the place text that *starts with* the stem, so that grammatical cases match
  (`Брэст`, `Бреста`, `Брестская`); the first word that matches decides. A Minsk word is Minsk city
  (BY-HM) only when it is one of `MINSK_CITY_FORMS` and not next to one of `REGION_WORDS` (`р-н` counts).
- `SENTENCE_KINDS`, `RELEASE_KINDS`, `RELEASED_STATUS`: a word that starts with the stem; rules are tried
  in order and the first that matches wins, which is why the more specific rules come first.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from api.dataset import files

# The tables keep several entries on a line, as a reader scans them.
# fmt: off
FIELDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "full name", "person", "фио", "ф.и.о.", "имя", "фамилия имя отчество", "фамилия",
        "імя", "прозвішча", "прозвішча імя", "прозвішча імя імя па бацьку",
    ),
    "status": ("status", "state", "статус", "состояние", "стан"),
    "gender": ("gender", "sex", "пол", "гендер", "стать", "пол/gender"),
    "birthday": (
        "birthday", "birth date", "date of birth", "dob", "born", "birth year", "year of birth",
        "дата рождения", "год рождения", "день рождения", "дата нараджэння", "год нараджэння",
        "дзень нараджэння",
    ),
    "arrested": (
        "arrest date", "arrested", "arrested on", "date of arrest", "detention date", "date of detention",
        "detained", "detained on", "дата задержания", "дата ареста", "задержан", "задержание",
        "дата затрымання", "затрыманы", "затрыманне", "дата арышту",
    ),
    "recognized": (
        "recognized", "recognised", "recognized date", "recognized on", "recognition date",
        "date of recognition", "date recognized", "recognized as political prisoner",
        "дата признания", "признан", "признан политзаключенным", "дата признания политзаключенным",
        "дата прызнання", "прызнаны", "прызнаны палітвязнем", "дата прызнання палітвязнем",
    ),
    "articles": (
        "articles", "article", "criminal code articles", "статьи", "статья", "статьи ук", "артыкулы",
        "артыкул", "артыкулы кк",
    ),
    "region": ("region", "oblast", "voblast", "область", "регион", "вобласць", "рэгіён"),
    "city": ("city", "town", "город", "населенный пункт", "горад", "населены пункт"),
    "place": (
        "place", "place of detention", "detention place", "place of arrest", "место задержания",
        "место ареста", "месца затрымання", "месца арышту",
    ),
    "penalty": (
        "penalty", "sentence", "punishment", "наказание", "мера наказания", "приговор", "пакаранне",
        "мера пакарання", "прысуд",
    ),
    "verdict": (
        "verdict date", "date of verdict", "sentenced on", "sentence date", "дата приговора",
        "дата вынесения приговора", "дата прысуду",
    ),
    "released": (
        "release date", "released", "released on", "date of release", "дата освобождения",
        "освобожден", "освобождение дата", "дата вызвалення", "вызвалены",
    ),
    "release_reason": (
        "release reason", "reason for release", "reason of release", "release kind", "release type",
        "how released", "основание освобождения", "причина освобождения", "освобождение",
        "падстава вызвалення", "прычына вызвалення", "вызваленне",
    ),
}
"""Canonical input field -> accepted column headers. `name` and `arrested` are required."""

DROPPED_FIELDS: tuple[str, ...] = (
    "id", "url", "link", "photo", "image", "description", "bio", "comment", "comments", "notes", "note",
    "prison", "colony", "place of imprisonment", "judge", "court", "decision", "appeal date",
    "date of appeal", "appeal", "contacts", "address", "фото", "описание", "комментарий", "примечание",
    "ссылка", "колония", "место отбывания наказания", "место заключения", "судья", "суд", "решение",
    "дата апелляции", "апелляция", "адрес", "фота", "апісанне", "каментар", "заўвага", "спасылка",
    "калонія", "месца адбывання пакарання", "суддзя", "рашэнне", "дата апеляцыі", "апеляцыя", "адрас",
)
"""Columns dropped without a warning: direct identifiers and free text the dataset never holds."""

GENDERS: dict[str, tuple[str, ...]] = {
    "female": ("f", "female", "woman", "w", "ж", "жен", "женский", "женщина", "жанчына", "жаночы"),
    "male": ("m", "male", "man", "м", "муж", "мужской", "мужчина", "мужчына", "мужчынскі", "мужскі"),
    "unknown": ("unknown", "неизвестно", "невядома"),
}

MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "январь", "января", "янв", "студзень", "студзеня", "студз"),
    2: ("february", "feb", "февраль", "февраля", "фев", "люты", "лютага", "лют"),
    3: ("march", "mar", "март", "марта", "мар", "сакавік", "сакавіка", "сак"),
    4: ("april", "apr", "апрель", "апреля", "апр", "красавік", "красавіка", "крас"),
    5: ("may", "май", "мая", "травень", "траўня", "трав"),
    6: ("june", "jun", "июнь", "июня", "июн", "чэрвень", "чэрвеня", "чэрв"),
    7: ("july", "jul", "июль", "июля", "июл", "ліпень", "ліпеня", "ліп"),
    8: ("august", "aug", "август", "августа", "авг", "жнівень", "жніўня", "жнів", "жн"),
    9: ("september", "sep", "sept", "сентябрь", "сентября", "сен", "сент", "верасень", "верасня", "вер"),
    10: ("october", "oct", "октябрь", "октября", "окт", "кастрычнік", "кастрычніка", "кастр"),
    11: ("november", "nov", "ноябрь", "ноября", "ноя", "лістапад", "лістапада", "ліст"),
    12: ("december", "dec", "декабрь", "декабря", "дек", "снежань", "снежня", "снеж"),
}

NUMBER_WORDS: dict[str, str] = {
    **dict.fromkeys(("one", "один", "одна", "одного", "адзін", "адна"), "1"),
    **dict.fromkeys(("two", "два", "две", "двух", "дзве"), "2"),
    **dict.fromkeys(("three", "три", "трех", "тры"), "3"),
    **dict.fromkeys(("four", "четыре", "четырех", "чатыры"), "4"),
    **dict.fromkeys(("five", "пять", "пяти", "пяць"), "5"),
    **dict.fromkeys(("six", "шесть", "шести", "шэсць"), "6"),
    **dict.fromkeys(("seven", "семь", "семи", "сем"), "7"),
    **dict.fromkeys(("eight", "восемь", "восьми", "восем"), "8"),
    **dict.fromkeys(("nine", "девять", "девяти", "дзевяць"), "9"),
    **dict.fromkeys(("ten", "десять", "десяти", "дзесяць"), "10"),
    **dict.fromkeys(("eleven", "одиннадцать", "адзінаццаць"), "11"),
    **dict.fromkeys(("twelve", "двенадцать", "дванаццаць"), "12"),
    **dict.fromkeys(("fifteen", "пятнадцать", "пятнаццаць"), "15"),
    **dict.fromkeys(("twenty", "двадцать", "дваццаць"), "20"),
    **dict.fromkeys(("полтора", "полутора", "паўтара", "паўтары"), "1.5"),
}
"""Numbers written in words in a sentence; `X and a half`, `X с половиной`, `X з паловай` add 0.5."""

PLACE_STEMS: dict[str, tuple[str, ...]] = {
    "BY-HM": ("minsk", "mensk", "минск", "мінск", "менск"),
    "BY-MI": (
        "barysa", "borisov", "борисов", "барыса", "maladzech", "maladziech", "molodechn", "молодечн",
        "маладзечн", "salihorsk", "soligorsk", "солигорск", "салігорск", "zhodin", "zhodzin", "zodzin",
        "жодин", "жодзін", "slutsk", "sluck", "слуцк", "dzerzhinsk", "dzyarzhynsk", "dziarzynsk",
        "дзержинск", "дзяржынск", "vileyk", "vilejk", "vileik", "вилейк", "вілейк", "smaliavich",
        "smolevich", "смолевич", "смалявіч", "fanipal", "fanipol", "фаниполь", "фаніпаль", "заслаў",
        "заслав", "zaslaw", "zaslau", "zaslav",
    ),
    "BY-BR": (
        "brest", "брест", "брэст", "брэсц", "pinsk", "пинск", "пінск", "baranavich", "baranovich",
        "baranavic", "баранович", "баранавіч", "kobryn", "kobrin", "кобрин", "кобрын", "biaroz", "bereza",
        "береза", "бяроз", "luninets", "luninec", "лунинец", "лунінец", "ivatsevich", "ivacevic",
        "ивацевич", "івацэвіч", "pruzhan", "pruzan", "пружан", "stolin", "столин", "столін",
    ),
    "BY-HO": (
        "homiel", "homel", "homyel", "gomel", "гомел", "mazyr", "mozyr", "мозыр", "мазыр", "rechyts",
        "rechits", "recyc", "речиц", "рэчыц", "zhlobin", "zlobin", "жлобин", "жлобін", "svetlahorsk",
        "svetlogorsk", "svietlahorsk", "светлогорск", "светлагорск", "kalinkavich", "kalinkovich",
        "калинкович", "калінкавіч",
    ),
    "BY-HR": (
        "hrodn", "grodn", "horadn", "гродн", "гродз", "гарадн", "lida", "лида", "лиде", "лиду", "лидск",
        "ліда", "лідз", "лідск", "slonim", "слоним", "слонім", "vawkavysk", "vaukavysk", "volkovysk",
        "волковыск", "ваўкавыск", "navahrud", "novogrud", "новогруд", "навагрудк", "smarhon", "smorgon",
        "сморгон", "смаргон", "shchuchyn", "shchuchin", "scucyn", "щучин", "шчучын",
    ),
    "BY-MA": (
        "mahil", "mogil", "могил", "магіл", "babruisk", "babrujsk", "babruysk", "bobruisk", "бобруйск",
        "бабруйск", "krychau", "krichev", "кричев", "крычаў", "asipovich", "osipovich", "осипович",
        "асіпович", "асіповіч",
    ),
    "BY-VI": (
        "viciebsk", "vitebsk", "vitsebsk", "витебск", "віцебск", "polatsk", "polotsk", "polack", "полоцк",
        "полацк", "navapolatsk", "novopolotsk", "navapolack", "новополоцк", "наваполацк", "orsha",
        "vorsha", "орша", "орше", "оршу", "оршанск", "аршанск", "hlybok", "glubok", "глубок", "глыбок",
        "pastav", "postav", "постав", "пастав", "lepel", "лепел",
    ),
}
"""ISO 3166-2:BY code -> stems of the regional centre, Minsk city and major towns (Latin, ru, be spellings).

A region named outright (`Брестская область`, `Hrodna region`) matches through its centre's stem."""

MINSK_CITY_FORMS: tuple[str, ...] = (
    "minsk", "mensk", "минск", "минска", "минске", "минску", "минском", "мінск", "мінска", "мінску",
    "мінскам", "менск", "менска", "менску",
)
"""Forms of the city's name; other Minsk-stem words (`Минская`, `Мінскі`, `Minskaya`) are the region."""

REGION_WORDS: tuple[str, ...] = (
    "region", "oblast", "voblast", "voblasts", "voblasc", "district", "raion", "rajon", "rayon",
    "область", "области", "областью", "обл", "район", "района", "вобласць", "вобласці", "вобл",
    "раён", "раёна",
)
"""Words that turn `Minsk` into Minsk region (BY-MI): `Минская обл.`, `Minsk district`, `Мінскі раён`."""

SENTENCE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pending", ("pending", "awaiting trial", "not sentenced", "no verdict", "under investigation",
                 "под следствием", "до суда", "приговор не вынесен", "ожидает суда", "чакае суда",
                 "пад следствам", "да суда")),
    ("compulsory_treatment", ("compulsory treatment", "forced treatment", "psychiatr", "принудительн",
                              "лечени", "психиатр", "прымусов", "лячэнн", "псіхіятр")),
    # Life imprisonment and the death penalty have no length in months; suspended and deferred
    # sentences keep the person out of custody: all understood, all `other`.
    ("other", ("life", "пожизнен", "пажыццёв", "death", "смертн", "расстрел", "смяротн", "suspended",
               "deferred", "probation", "условн", "отсрочк", "адтэрмін", "умоўн", "correctional",
               "community service", "исправительн", "обязательн", "выпраўлен", "абавязков")),
    ("restricted_freedom", ("restricted freedom", "restriction of freedom", "restriction of liberty",
                            "restricted liberty", "ограничени", "абмежаван", "хими", "хімі",
                            "открытого типа", "адкрытага тыпу")),
    ("home_confinement", ("home confinement", "house arrest", "домашн", "хатн")),
    ("prison", ("prison", "imprison", "jail", "colony", "deprivation of liberty", "лишени", "колони",
                "тюрьм", "арест", "позбаўлен", "калоні", "турм", "арышт")),
    # Last: with a prison term a fine is an additional penalty (`3 года и штраф` is prison).
    ("fine", ("fine", "штраф")),
)
"""Penalty text -> sentence_kind. A bare term (`2 years 6 months`, `3 года`) is prison: see parse_sentence."""

RELEASE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("died_in_custody", ("died", "death", "dead", "умер", "смерт", "погиб", "скончал", "памёр", "памерл",
                         "загінул", "загінуў")),
    # An expulsion is always by pardon in the list, so a word of removal alone is enough.
    ("pardon_expelled", ("expel", "deport", "exile", "forced abroad", "taken abroad",
                         "вывез", "вывоз", "выслан", "высыл", "выдвор", "депорт", "за границ", "выдвар",
                         "дэпарт", "за мяжу")),
    ("pardon", ("pardon", "помил", "памілав")),
    ("acquitted", ("acquit", "оправда", "апраўда")),
    ("other", ("preventive measure", "bail", "мера пресечения", "меры пресечения", "подписк", "залог",
               "мера стрымання", "amnest", "амнист", "амніст", "parole", "удо", "досрочн", "датэрмін")),
    ("sentence_changed", ("sentence changed", "changed", "commut", "replaced", "non-custodial", "замен",
                          "изменен", "смягч", "змянен", "замяне", "змякч", "переведен", "перевод")),
    ("end_of_term", ("end of term", "term", "served", "expired", "отбыл", "отбыв", "срок", "окончан",
                     "истечени", "адбыў", "адбыл", "тэрмін")),
)
"""Release reason (or status) -> release_kind, first match wins."""

RELEASED_STATUS: tuple[str, ...] = (
    "released", "free", "at liberty", "освобожд", "на свобод", "вызвален", "на волі", "на волю",
)
"""Status words that say the person left custody (a `RELEASE_KINDS` match says so too)."""

# fmt: on

REQUIRED_FIELDS = ("name", "arrested")
AGE_LIMITS = ((25, "under_25"), (35, "25_34"), (45, "35_44"), (55, "45_54"), (65, "55_64"))
PLAUSIBLE_AGE = range(14, 101)
"""An age at detention outside this range is a wrong birthday (criminal liability starts at 14)."""


# --- Reading the export's text with the tables above ---------------------------------------------


def fold(text: str) -> str:
    """Text as compared with the vocabulary: case-folded, without accents and other combining marks."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits; punctuation and `_` separate them)."""
    return re.findall(r"[^\W_]+", fold(text))


def _phrase(text: str) -> str:
    """Folded words separated by one space: headers and single-word values compare this way."""
    return " ".join(words(text))


def _stems(stems: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(r"\b" + re.escape(fold(stem)) for stem in stems))


_HEADERS = {_phrase(alias): name for name, aliases in FIELDS.items() for alias in aliases}
_DROPPED = {_phrase(alias) for alias in DROPPED_FIELDS}
_GENDERS = {_phrase(word): gender for gender, spellings in GENDERS.items() for word in spellings}
_MONTH_NAMES = {fold(word): month for month, spellings in MONTH_NAMES.items() for word in spellings}
_NUMBER_WORDS = {fold(word): number for word, number in NUMBER_WORDS.items()}
_PLACES = [(fold(stem), code) for code, stems in PLACE_STEMS.items() for stem in stems]
_MINSK_CITY = {fold(word) for word in MINSK_CITY_FORMS}
_REGION_WORDS = {fold(word) for word in REGION_WORDS}
_SENTENCE_KINDS = [(kind, _stems(stems)) for kind, stems in SENTENCE_KINDS]
_RELEASE_KINDS = [(kind, _stems(stems)) for kind, stems in RELEASE_KINDS]
_RELEASED_STATUS = _stems(RELEASED_STATUS)


def field_of_header(column: str) -> str | None:
    """The canonical field a column header means, or None."""
    return _HEADERS.get(_phrase(column))


def is_dropped_header(column: str) -> bool:
    """A column the importer drops on purpose (identifiers, free text), without a warning."""
    return _phrase(column) in _DROPPED


def gender_of(text: str) -> str | None:
    return _GENDERS.get(_phrase(text))


def status_release_kind(status: str) -> str | None:
    """The release_kind a status names outright; a status such as `отбывает срок` names none."""
    kind = release_kind_of(status)
    return kind if kind in {"died_in_custody", "pardon_expelled", "pardon", "acquitted"} else None


def says_released(status: str) -> bool:
    """The status says the person left custody (released, died, pardoned …)."""
    return bool(_RELEASED_STATUS.search(fold(status))) or status_release_kind(status) is not None


class PartialDate(NamedTuple):
    """A date of the export, as precise as it was written."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def month_text(self) -> str:
        return f"{self.year:04d}-{self.month or 0:02d}"

    @property
    def text(self) -> str:
        return "-".join(f"{part:02d}" for part in self if part is not None)


_NUMERIC_DATES = (
    (re.compile(r"(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?"), (1, 2, 3)),  # 2021-03-15, 2021-03
    (re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"), (3, 2, 1)),  # 15.03.2021, 15/03/2021: day first
    (re.compile(r"(\d{1,2})[./](\d{4})"), (2, 1, 0)),  # 03.2021
    (re.compile(r"(\d{4})"), (1, 0, 0)),
)
_WORD_DATE = re.compile(r"(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})")  # March 2021, 15 марта 2021
_DATE_NOISE = re.compile(r"(?:[t\s]\d{1,2}:\d{2}.*|\s*\b(?:г|год|года)\.?)$")  # a time; `2021 г.`


def parse_date(text: str) -> PartialDate | None:
    """A date in one of the export's formats, or None; day-first when the day and month are numbers."""
    value = _DATE_NOISE.sub("", fold(text).strip())
    for pattern, (year, month, day) in _NUMERIC_DATES:
        if match := pattern.fullmatch(value):
            parts = [int(match[i]) if i and match[i] else None for i in (month, day)]
            return _checked(int(match[year]), parts[0], parts[1])
    match = _WORD_DATE.fullmatch(value)
    if match and match[2] in _MONTH_NAMES:
        return _checked(int(match[3]), _MONTH_NAMES[match[2]], int(match[1]) if match[1] else None)
    return None


def _checked(year: int, month: int | None, day: int | None) -> PartialDate | None:
    if not 1900 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def age_band(birthday: PartialDate | None, detained: PartialDate) -> str | None:
    """Band of the age in completed years on the day of detention; None when unknown or implausible."""
    if birthday is None:
        return None
    born = (birthday.month or 7, birthday.day or (15 if birthday.month else 1))  # year alone: 1 July
    at = (detained.month or 7, detained.day or 15)
    age = detained.year - birthday.year - (at < born)
    if age not in PLAUSIBLE_AGE:
        return None
    return next((band for limit, band in AGE_LIMITS if age < limit), "65_plus")


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ARTICLE_PARTS = re.compile(r"\b(?:ч|часть|части|частка|part|pt|п|пункт|пп)\b\.?\s*\d+")
_ARTICLE = re.compile(r"(?<![\d.])(\d{1,3})(?:\s*([-–.])\s*(\d{1,2}))?(?!\d)")


def parse_articles(text: str, known: set[str]) -> list[str]:
    """Article codes in order, deduplicated; parts dropped, codes not in `known` folded into `other`.

    `361¹` and `361-1` are article 361-1; `342.1` is article 342-1 when that is a known code and
    article 342, part 1, otherwise.
    """
    text = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "-" + m[0].translate(_SUPERSCRIPTS), text)
    codes: list[str] = []
    for number, separator, suffix in _ARTICLE.findall(_ARTICLE_PARTS.sub(" ", fold(text))):
        code = f"{number}-{suffix}" if suffix else number
        if separator == "." and code not in known:
            code = number
        code = code if code in known else "other"
        if code not in codes:
            codes.append(code)
    return codes


_TERM_REWRITES = (
    (re.compile(r"\b(?:полгода|паугода|half a year)\b"), "6 months"),
    (re.compile(r"(\d+)\s+(?:and a half|с половинои|з паловаи)\b"), r"\1.5"),
)
_YEARS = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d+)?)\s*(?:years?|yrs?|y|год[аы]?|лет|г|гады|гадоу)(?!\w)")
_MONTHS = re.compile(r"(?<![\d.,])(\d{1,3})\s*(?:months?|mos?|мес(?:яц\w*)?)(?!\w)")


def term_months(text: str) -> int | None:
    """Length of a term in whole months (`2 г. 6 мес.`, `1,5 года`, `three years`), or None."""
    value = re.sub(r"\w+", lambda m: _NUMBER_WORDS.get(m[0], m[0]), fold(text))
    for pattern, replacement in _TERM_REWRITES:
        value = pattern.sub(replacement, value)
    years, months = _YEARS.search(value), _MONTHS.search(value)
    if not years and not months:
        return None
    return round((float(years[1].replace(",", ".")) * 12 if years else 0) + (int(months[1]) if months else 0))


def parse_sentence(text: str, has_verdict: bool) -> tuple[str, int | None, str | None]:
    """(sentence_kind, sentence_months, column that could not be mapped or None).

    No penalty is `pending`, unless a verdict date says there was a verdict. A bare term is prison, the
    list's own shorthand for deprivation of liberty. A kind that needs a length but has none (or one
    outside 1..300 months) is `other`, as the schema forbids such a kind without its length.
    """
    value = fold(text).strip()
    if not value:
        return ("other", None, "sentence_kind") if has_verdict else ("pending", None, None)
    kind = next((kind for kind, pattern in _SENTENCE_KINDS if pattern.search(value)), None)
    months = term_months(value)
    if kind in (None, "fine") and months is not None:
        kind = "prison"
    if kind is None:
        return "other", None, "sentence_kind"
    if kind not in files.SENTENCE_KINDS_WITH_LENGTH:
        return kind, None, None
    if months is None or not 1 <= months <= 300:
        return "other", None, "sentence_months"
    return kind, months, None


def release_kind_of(text: str) -> str | None:
    """release_kind of a release reason (or status) text, or None when it is not understood."""
    value = fold(text)
    return next((kind for kind, pattern in _RELEASE_KINDS if pattern.search(value)), None)


def region_of(text: str) -> str | None:
    """ISO 3166-2:BY code of a place or region text, or None; the first word that names a place decides."""
    found = words(fold(text).replace("р-н", "раион"))  # `Минский р-н`: a district, i.e. the region
    if "-".join(found).upper() in PLACE_STEMS:  # already a code, e.g. `BY-HR`
        return "-".join(found).upper()
    for i, word in enumerate(found):
        code = next((code for stem, code in _PLACES if word.startswith(stem)), None)
        if code == "BY-HM" and (word not in _MINSK_CITY or _REGION_WORDS & {*found[max(i - 1, 0) : i + 2]}):
            return "BY-MI"
        if code is not None:
            return code
    return None


# --- Reading the export's file ------------------------------------------------------------------

Record = dict[str, str]
"""One person of the export: canonical field (a key of `FIELDS`) -> text."""


def _text(value: Any) -> str:
    """A JSON value as export text: lists (e.g. of articles) joined, nested objects not understood."""
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    return "" if value is None or isinstance(value, dict) else str(value)


def _raw_rows(source: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a JSON array of objects, or of a UTF-8 CSV separated by `,`, `;` or tabs."""
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{source.name} is not UTF-8 text: save it as UTF-8 (`CSV UTF-8`)") from None
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{source.name}: not JSON (line {error.lineno})") from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ValueError(f"{source.name}: expected a JSON array of objects, one per person")
        header = list(dict.fromkeys(str(key) for item in data for key in item))
        return header, [{str(k): _text(v) for k, v in item.items()} for item in data]
    delimiter = max(",;\t", key=text.partition("\n")[0].count)  # spreadsheets in ru/be locales write `;`
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[dict[str, str]] = []
    try:
        header = next(reader, [])
        for values in reader:
            if any(value.strip() for value in values[len(header) :]):
                raise ValueError(f"{source.name}, line {reader.line_num}: more values than header columns")
            if any(value.strip() for value in values):
                padded = (values + [""] * len(header))[: len(header)]
                rows.append(dict(zip(header, padded, strict=True)))
    except csv.Error as error:
        raise ValueError(f"{source.name}, line {reader.line_num}: malformed CSV ({error})") from None
    return header, rows


def read_export(source: Path) -> tuple[list[Record], list[str]]:
    """The export's records by canonical field, and the names of the columns it ignored."""
    header, rows = _raw_rows(source)
    fields: dict[str, str] = {}
    ignored = []
    for column in header:
        name = field_of_header(column)
        if name in fields.values():
            raise ValueError(f"{source.name}: two columns mean {name}; keep one")
        if name is not None:
            fields[column] = name
        elif not is_dropped_header(column):
            ignored.append(column)
    for name in REQUIRED_FIELDS:
        if name not in fields.values():
            accepted = ", ".join(FIELDS[name][:6])
            raise ValueError(f"{source.name}: no column for {name} (accepted headers include {accepted})")
    records = [{fields[c]: v.strip() for c, v in row.items() if c in fields} for row in rows]
    return records, ignored
