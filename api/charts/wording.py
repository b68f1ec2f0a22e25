"""Every sentence a chart or an embed page shows, in English, Belarusian and Russian.

Numbers stand after a colon wherever they count something, so no sentence needs plural forms.
Labels of dimension values (regions, articles, kinds of release…) come from `api.labels` and the
reference tables instead.
"""

from __future__ import annotations

from api.labels import Lang

_INDEX: dict[Lang, int] = {"en": 0, "be": 1, "ru": 2}

_TEXT: dict[str, tuple[str, str, str]] = {
    # Titles and one-sentence descriptions of the charts.
    "in-custody.title": (
        "Political prisoners in custody, month by month",
        "Палітвязні пад вартай па месяцах",
        "Политзаключённые под стражей по месяцам",
    ),
    "in-custody.description": (
        "The number of people recognized as political prisoners who were in custody at the end of each "
        "month.",
        "Колькасць людзей, прызнаных палітвязнямі, якія былі пад вартай у канцы кожнага месяца.",
        "Число людей, признанных политзаключёнными, которые находились под стражей в конце каждого месяца.",
    ),
    "in-custody.y": ("People in custody", "Пад вартай, чалавек", "Под стражей, человек"),
    "flows.title": (
        "Recognitions and releases per month",
        "Прызнанні і вызваленні па месяцах",
        "Признания и освобождения по месяцам",
    ),
    "flows.description": (
        "People recognized as political prisoners each month (line) and people released each month by how "
        "they left custody (bars), with pardons followed by forced expulsion shown apart.",
        "Колькі чалавек кожны месяц прызнавалі палітвязнямі (лінія) і колькі вызвалялі паводле спосабу "
        "вызвалення (слупкі); памілаванні з прымусовай высылкай паказаны асобна.",
        "Сколько человек каждый месяц признавали политзаключёнными (линия) и сколько освобождали по способу "
        "освобождения (столбцы); помилования с принудительной высылкой показаны отдельно.",
    ),
    "flows.y": ("People per month", "Чалавек за месяц", "Человек в месяц"),
    "sentences.title": (
        "Length of sentences: {kind}",
        "Тэрміны пакарання: {kind}",
        "Сроки наказания: {kind}",
    ),
    "sentences.description": (
        "How many people were sentenced for how long, in bands of months ({kind}).",
        "Колькі чалавек на які тэрмін асудзілі, па інтэрвалах у месяцах ({kind}).",
        "Сколько человек на какой срок осудили, по интервалам в месяцах ({kind}).",
    ),
    "sentences.x": ("Sentence, months", "Тэрмін, месяцаў", "Срок, месяцев"),
    "sentences.median": (
        "Median: {median} months (people: {n})",
        "Медыяна: {median} мес. (чалавек: {n})",
        "Медиана: {median} мес. (человек: {n})",
    ),
    "breakdown.title": ("Political prisoners {by}", "Палітвязні {by}", "Политзаключённые {by}"),
    "breakdown.description": (
        "People recognized as political prisoners since 2020, in custody or released, {by}.",
        "Людзі, прызнаныя палітвязнямі з 2020 года, пад вартай або вызваленыя, {by}.",
        "Люди, признанные политзаключёнными с 2020 года, под стражей или освобождённые, {by}.",
    ),
    "breakdown.articles": (
        "A person charged under several articles counts under each.",
        "Чалавек, абвінавачаны па некалькіх артыкулах, улічаны пад кожным.",
        "Человек, обвиняемый по нескольким статьям, учтён под каждой.",
    ),
    "releases-by-kind.title": (
        "How political prisoners were released",
        "Як вызваляліся палітвязні",
        "Как освобождались политзаключённые",
    ),
    "releases-by-kind.description": (
        "People released from custody, by how they left: at the end of their term, pardoned, pardoned and "
        "forced abroad, or otherwise.",
        "Вызваленыя з-пад варты паводле спосабу вызвалення: па канцы тэрміну, памілаваныя, памілаваныя і "
        "прымусова высланыя за мяжу, або іначай.",
        "Освобождённые из-под стражи по способу освобождения: по окончании срока, помилованные, "
        "помилованные и принудительно высланные за границу, или иначе.",
    ),
    # Series of real published figures (api.charts.published).
    "published.in-custody.title": (
        "Political prisoners in custody, as published",
        "Палітвязні пад вартай паводле апублікаваных лічбаў",
        "Политзаключённые под стражей по опубликованным данным",
    ),
    "published.in-custody.description": (
        "The number of political prisoners in custody on each date a source published it.",
        "Колькасць палітвязняў пад вартай на кожную дату, калі крыніца яе апублікавала.",
        "Число политзаключённых под стражей на каждую дату, когда источник его опубликовал.",
    ),
    "published.women-in-custody.title": (
        "Women political prisoners in custody, as published",
        "Жанчыны-палітвязні пад вартай паводле апублікаваных лічбаў",
        "Женщины-политзаключённые под стражей по опубликованным данным",
    ),
    "published.women-in-custody.description": (
        "The number of women among the political prisoners in custody, on each date a source published it.",
        "Колькасць жанчын сярод палітвязняў пад вартай на кожную дату, калі крыніца яе апублікавала.",
        "Число женщин среди политзаключённых под стражей на каждую дату, когда источник его опубликовал.",
    ),
    "published.release-events.title": (
        "Releases of political prisoners, event by event",
        "Вызваленні палітвязняў, па падзеях",
        "Освобождения политзаключённых, по событиям",
    ),
    "published.release-events.description": (
        "The size of each published release (mostly pardons) and, where a source says so, how many of "
        "those released were taken out of Belarus.",
        "Колькасць вызваленых у кожнай апублікаванай падзеі (пераважна памілаванні) і, калі крыніца гэта "
        "кажа, колькі з іх вывезлі з Беларусі.",
        "Число освобождённых в каждом опубликованном событии (в основном помилования) и, если источник "
        "это сообщает, сколько из них вывезли из Беларуси.",
    ),
    "published.deaths-in-custody.title": (
        "Deaths of political prisoners in custody, as published",
        "Смерці палітвязняў пад вартай паводле апублікаваных лічбаў",
        "Смерти политзаключённых под стражей по опубликованным данным",
    ),
    "published.deaths-in-custody.description": (
        "Running totals of political prisoners who died in custody, and deaths known in a month or a year.",
        "Агульная колькасць палітвязняў, якія памерлі пад вартай, і смерці, вядомыя за месяц або год.",
        "Общее число политзаключённых, умерших под стражей, и смерти, известные за месяц или год.",
    ),
    "published.recognitions-per-year.title": (
        "People recognized as political prisoners, per year",
        "Прызнаныя палітвязнямі, па гадах",
        "Признанные политзаключёнными, по годам",
    ),
    "published.recognitions-per-year.description": (
        "People newly recognized as political prisoners during each year a source counted.",
        "Колькі чалавек прызналі палітвязнямі за кожны год, які палічыла крыніца.",
        "Сколько человек признали политзаключёнными за каждый год, посчитанный источником.",
    ),
    "published.recognitions-per-month.title": (
        "People recognized as political prisoners, per month",
        "Прызнаныя палітвязнямі, па месяцах",
        "Признанные политзаключёнными, по месяцам",
    ),
    "published.recognitions-per-month.description": (
        "People newly recognized as political prisoners during each month a source counted.",
        "Колькі чалавек прызналі палітвязнямі за кожны месяц, які палічыла крыніца.",
        "Сколько человек признали политзаключёнными за каждый месяц, посчитанный источником.",
    ),
    "measure.in_custody": ("In custody", "Пад вартай", "Под стражей"),
    "measure.in_custody_women": ("Women in custody", "Жанчыны пад вартай", "Женщины под стражей"),
    "measure.released": ("Released", "Вызваленыя", "Освобождены"),
    "measure.expelled": ("Taken out of Belarus", "Вывезеныя з Беларусі", "Вывезены из Беларуси"),
    "measure.running_total": (
        "Died in custody, in all",
        "Памерлі пад вартай, усяго",
        "Умерли под стражей, всего",
    ),
    "measure.in_month": ("Died during the month", "Памерлі за месяц", "Умерли за месяц"),
    "measure.in_period": ("Died during the period", "Памерлі за перыяд", "Умерли за период"),
    "measure.recognized": ("Recognized", "Прызнаныя", "Признаны"),
    "date": ("Date", "Дата", "Дата"),
    "measure": ("Figure", "Лічба", "Показатель"),
    "year": ("Year", "Год", "Год"),
    "release_event": ("Release", "Вызваленне", "Освобождение"),
    "source_column": ("Source", "Крыніца", "Источник"),
    "qualifier.at_least": ("at least {n}", "не менш за {n}", "не менее {n}"),
    "qualifier.more_than": ("more than {n}", "больш за {n}", "более {n}"),
    "qualifier.about": ("about {n}", "каля {n}", "около {n}"),
    "qualifier.exact": ("{n}", "{n}", "{n}"),
    "published.source": (
        "Sources: {publishers} (each point cites its own page) · published figures, not a dataset release "
        "· {licence}",
        "Крыніцы: {publishers} (кожная кропка спасылаецца на сваю старонку) · апублікаваныя лічбы, не "
        "выпуск набору даных · {licence}",
        "Источники: {publishers} (каждая точка ссылается на свою страницу) · опубликованные цифры, не "
        "выпуск набора данных · {licence}",
    ),
    "published.more": ("and {n} more", "і яшчэ {n}", "и ещё {n}"),
    "published.conflicts": (
        "Figures from different sources that disagree are drawn side by side; hollow points are lower "
        'bounds or approximate ("at least", "about").',
        "Лічбы розных крыніц, якія не супадаюць, паказаны побач; пустыя кропкі — ніжняя мяжа або "
        "прыблізныя лічбы («не менш за», «каля»).",
        "Цифры разных источников, которые расходятся, показаны рядом; пустые точки — нижняя граница или "
        "приблизительные цифры («не менее», «около»).",
    ),
    # Axes and legends.
    "people": ("People", "Чалавек", "Человек"),
    "month": ("Month", "Месяц", "Месяц"),
    "recognized": ("Recognized", "Прызнаныя", "Признаны"),
    "gender": ("Gender", "Пол", "Пол"),
    "age_band": ("Age band", "Узрост", "Возраст"),
    "region": ("Region", "Рэгіён", "Регион"),
    "article": ("Article", "Артыкул", "Статья"),
    "sentence_kind": ("Kind of sentence", "Від пакарання", "Вид наказания"),
    "release_kind": ("How released", "Спосаб вызвалення", "Способ освобождения"),
    "status": ("Status", "Статус", "Статус"),
    "year_detained": ("Year of detention", "Год затрымання", "Год задержания"),
    # "by …" phrases of breakdown titles.
    "by.gender": ("by gender", "па полу", "по полу"),
    "by.age_band": ("by age band", "па ўзросце", "по возрасту"),
    "by.region": ("by region", "па рэгіёнах", "по регионам"),
    "by.article": ("by article", "па артыкулах", "по статьям"),
    "by.sentence_kind": ("by kind of sentence", "па відах пакарання", "по видам наказания"),
    "by.release_kind": ("by how released", "паводле спосабу вызвалення", "по способу освобождения"),
    "by.status": ("by status", "па статусе", "по статусу"),
    "by.year_detained": ("by year of detention", "па годзе затрымання", "по году задержания"),
    "by.none": ("in total", "усяго", "всего"),
    "and": ("and", "і", "и"),
    # Provenance, suppression and the demonstration label.
    "only": ("Only: {filters}", "Толькі: {filters}", "Только: {filters}"),
    "source": (
        "Source: {sources} · release {release}, data as of {as_of} · {licence}",
        "Крыніца: {sources} · выпуск {release}, даныя на {as_of} · {licence}",
        "Источник: {sources} · выпуск {release}, данные на {as_of} · {licence}",
    ),
    # A synthetic release never says "Source:" under its numbers: they are calibrated, not counted.
    "source.synthetic": (
        "Demonstration data calibrated to figures published by {sources} — not real counts · release "
        "{release}, data as of {as_of} · {licence}",
        "Дэманстрацыйныя даныя, падагнаныя пад лічбы, апублікаваныя {sources}, — не сапраўдныя лікі · "
        "выпуск {release}, даныя на {as_of} · {licence}",
        "Демонстрационные данные, подогнанные под цифры, опубликованные {sources}, — не настоящие "
        "подсчёты · выпуск {release}, данные на {as_of} · {licence}",
    ),
    # Names of sources as release.json gives them in English (the part before the first comma).
    "source:Human Rights Centre Viasna": (
        "Human Rights Centre Viasna",
        "Праваабарончы цэнтр «Вясна»",
        "Правозащитный центр «Весна»",
    ),
    "synthetic": (
        "Demonstration data generated to match published totals — not real records.",
        "Дэманстрацыйныя даныя, створаныя паводле апублікаваных агульных лічбаў, — не сапраўдныя запісы.",
        "Демонстрационные данные, созданные по опубликованным итоговым цифрам, — не реальные записи.",
    ),
    "synthetic.short": ("synthetic", "сінтэтычныя даныя", "синтетические данные"),
    "hidden": ("hidden", "схавана", "скрыто"),
    "hidden.note": (
        "Values hidden to protect people: {n}. A value is hidden when it counts fewer than {k} people or "
        "would reveal such a value by subtraction; hidden values are gaps, not zeros.",
        "Схавана значэнняў для абароны людзей: {n}. Значэнне хаваецца, калі яно меншае за {k} чалавек або "
        "дазваляе вылічыць такое значэнне адыманнем; схаваныя значэнні — гэта пропускі, а не нулі.",
        "Скрыто значений для защиты людей: {n}. Значение скрывается, если оно меньше {k} человек или "
        "позволяет вычислить такое значение вычитанием; скрытые значения — это пропуски, а не нули.",
    ),
    # Generated descriptions of a chart view (api.charts.describe).
    "describe.demo": (
        "Demonstration data, not real counts.",
        "Дэманстрацыйныя даныя, не сапраўдныя лікі.",
        "Демонстрационные данные, не настоящие подсчёты.",
    ),
    "describe.latest": ("Latest: {what}.", "Апошняе: {what}.", "Последнее: {what}."),
    "describe.highest": ("Highest: {what}.", "Найбольшае: {what}.", "Наибольшее: {what}."),
    "describe.lowest": (
        "Lowest shown: {what}.",
        "Найменшае з паказаных: {what}.",
        "Наименьшее из показанных: {what}.",
    ),
    "describe.hidden": (
        "Values hidden to protect people: {n}.",
        "Схавана значэнняў для абароны людзей: {n}.",
        "Скрыто значений для защиты людей: {n}.",
    ),
    "describe.none": (
        "Every value of this view is hidden to protect people.",
        "Усе значэнні гэтага выгляду схаваныя для абароны людзей.",
        "Все значения этого вида скрыты для защиты людей.",
    ),
    "hidden.marked": (
        "▲ at the foot of a month: some of its releases are hidden (the month is not empty).",
        "▲ пад месяцам: частка яго вызваленняў схаваная (месяц не пусты).",
        "▲ под месяцем: часть его освобождений скрыта (месяц не пустой).",
    ),
    # The embed page around the chart.
    "permalink": ("Permalink", "Пастаянная спасылка", "Постоянная ссылка"),
    "data_csv": ("Data (CSV)", "Даныя (CSV)", "Данные (CSV)"),
    "image_png": ("Image (PNG)", "Выява (PNG)", "Изображение (PNG)"),
    "table_caption": ("Data of the chart: {title}", "Даныя графіка: {title}", "Данные графика: {title}"),
    "opens_new": ("(opens in a new tab)", "(адкрываецца ў новай укладцы)", "(открывается в новой вкладке)"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The sentence `key` in `lang`, with `{placeholders}` filled from `values`."""
    template = _TEXT[key][_INDEX[lang]]
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    return key in _TEXT
