"""The words of the chart gallery (`/charts`) and of the chart pages (`/charts/{chart}`), in English,
Belarusian and Russian. Chart titles, descriptions and labels come from `api.charts.wording`."""

from __future__ import annotations

from api.labels import Lang

_INDEX: dict[Lang, int] = {"en": 0, "be": 1, "ru": 2}

_TEXT: dict[str, tuple[str, str, str]] = {
    "gallery.title": ("Charts", "Графікі", "Графики"),
    "gallery.lead": (
        "Every chart of this service. Open one to change what it shows, read its numbers as a table, see "
        "its sources, and copy the code to embed it or links to download it.",
        "Усе графікі гэтага сэрвісу. Адкрыйце графік, каб змяніць тое, што ён паказвае, прачытаць яго "
        "лічбы ў табліцы, убачыць крыніцы і скапіраваць код для ўбудавання або спасылкі для спампоўвання.",
        "Все графики этого сервиса. Откройте график, чтобы изменить то, что он показывает, прочитать его "
        "числа в таблице, увидеть источники и скопировать код для встраивания или ссылки для скачивания.",
    ),
    "gallery.real": (
        "Real published figures",
        "Сапраўдныя апублікаваныя лічбы",
        "Настоящие опубликованные цифры",
    ),
    "gallery.real_note": (
        "Figures published by the Human Rights Centre Viasna and the press; every point cites its source.",
        "Лічбы, апублікаваныя Праваабарончым цэнтрам «Вясна» і прэсай; кожная кропка спасылаецца на "
        "сваю крыніцу.",
        "Цифры, опубликованные Правозащитным центром «Весна» и прессой; каждая точка ссылается на свой "
        "источник.",
    ),
    "gallery.release": (
        "Charts of the dataset release {release}",
        "Графікі выпуску даных {release}",
        "Графики выпуска данных {release}",
    ),
    "gallery.release_demo": (
        "Demonstration data: charts of the synthetic release {release}",
        "Дэманстрацыйныя даныя: графікі сінтэтычнага выпуску {release}",
        "Демонстрационные данные: графики синтетического выпуска {release}",
    ),
    "demo.badge": ("Demonstration data", "Дэманстрацыйныя даныя", "Демонстрационные данные"),
    "no_release": (
        "No dataset release is loaded yet.",
        "Ніводны выпуск даных яшчэ не загружаны.",
        "Ни один выпуск данных ещё не загружен.",
    ),
    "languages": ("Language", "Мова", "Язык"),
    "home": ("Home", "Галоўная", "Главная"),
    "all_charts": ("All charts", "Усе графікі", "Все графики"),
    "skip": ("Skip to content", "Перайсці да зместу", "Перейти к содержанию"),
    # The chart page.
    "page.summary": ("In short", "Коратка", "Коротко"),
    "page.chart": ("Chart", "Графік", "График"),
    "page.view": ("Change the view", "Змяніць выгляд", "Изменить вид"),
    "page.apply": ("Show", "Паказаць", "Показать"),
    "page.any": ("any", "любы", "любой"),
    "page.default_by": ("default", "па змаўчанні", "по умолчанию"),
    "page.none": ("none", "няма", "нет"),
    "page.table": ("Table", "Табліца", "Таблица"),
    "page.table_scroll": (
        "Table (scrolls sideways)",
        "Табліца (пракручваецца ўбок)",
        "Таблица (прокрутка вбок)",
    ),
    "page.hidden_note": (
        "“{hidden}” marks a value hidden to protect people (it counts fewer than {k} people, or would "
        "reveal such a value by subtraction).",
        "«{hidden}» — значэнне, схаванае для абароны людзей (яно меншае за {k} чалавек або дазваляе "
        "вылічыць такое значэнне адыманнем).",
        "«{hidden}» — значение, скрытое для защиты людей (оно меньше {k} человек или позволяет вычислить "
        "такое значение вычитанием).",
    ),
    "page.sources": ("Sources", "Крыніцы", "Источники"),
    "page.release": ("Release", "Выпуск", "Выпуск"),
    "page.as_of": ("Data as of", "Даныя на", "Данные на"),
    "page.latest_point": ("Latest point", "Апошняя кропка", "Последняя точка"),
    "page.licence": ("Licence", "Ліцэнзія", "Лицензия"),
    "page.citation": ("How to cite", "Як цытаваць", "Как цитировать"),
    "page.download": ("Download and embed", "Спампаваць і ўбудаваць", "Скачать и встроить"),
    "page.snippet": (
        "Embed code (resizes to fit; the release is pinned)",
        "Код для ўбудавання (сам падбірае вышыню; выпуск замацаваны)",
        "Код для встраивания (сам подбирает высоту; выпуск закреплён)",
    ),
    "page.snippet_published": (
        "Embed code (resizes to fit)",
        "Код для ўбудавання (сам падбірае вышыню)",
        "Код для встраивания (сам подбирает высоту)",
    ),
    "page.fixed": (
        "Embed code with a fixed height (for sites that strip scripts)",
        "Код з фіксаванай вышынёй (для сайтаў, якія выдаляюць скрыпты)",
        "Код с фиксированной высотой (для сайтов, которые удаляют скрипты)",
    ),
    "page.oembed": (
        "oEmbed address (paste the chart link into a CMS that supports oEmbed)",
        "Адрас oEmbed (устаўце спасылку на графік у CMS з падтрымкай oEmbed)",
        "Адрес oEmbed (вставьте ссылку на график в CMS с поддержкой oEmbed)",
    ),
    "page.files": ("Files", "Файлы", "Файлы"),
    "page.copy": ("Copy", "Капіраваць", "Копировать"),
    "page.copied": ("Copied", "Скапіравана", "Скопировано"),
    "page.png": ("Image (PNG)", "Выява (PNG)", "Изображение (PNG)"),
    "page.svg": ("Image (SVG)", "Выява (SVG)", "Изображение (SVG)"),
    "page.csv": ("Data (CSV)", "Даныя (CSV)", "Данные (CSV)"),
    "page.xlsx": ("Data (XLSX)", "Даныя (XLSX)", "Данные (XLSX)"),
    "page.json": ("Data (JSON)", "Даныя (JSON)", "Данные (JSON)"),
    "page.spec": ("Vega-Lite spec", "Спецыфікацыя Vega-Lite", "Спецификация Vega-Lite"),
    "page.embed_page": ("Embed page", "Старонка для ўбудавання", "Страница для встраивания"),
    "param.release": ("Release", "Выпуск", "Выпуск"),
    "param.latest": ("latest", "апошні", "последний"),
    "param.by": ("Split by", "Падзяліць па", "Разделить по"),
    "param.from": ("From (month)", "З месяца", "С месяца"),
    "param.to": ("To (month)", "Па месяц", "По месяц"),
    "param.lang": ("Language", "Мова", "Язык"),
    "param.theme": ("Theme", "Тэма", "Тема"),
    "param.width": ("Width of images, px", "Шырыня выяў, px", "Ширина изображений, px"),
    "param.population": ("Who is counted", "Каго лічыць", "Кого считать"),
    "theme.light": ("light", "светлая", "светлая"),
    "theme.dark": ("dark", "цёмная", "тёмная"),
    "theme.auto": ("reader's setting", "як у чытача", "как у читателя"),
    "month_hint": ("YYYY-MM", "ГГГГ-ММ", "ГГГГ-ММ"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The sentence `key` in `lang`, with `{placeholders}` filled from `values`."""
    template = _TEXT[key][_INDEX[lang]]
    return template.format(**values) if values else template
