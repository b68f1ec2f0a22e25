"""The form of a chart page (`/charts/{chart}`): a control per parameter the chart takes, set to the
view shown, so that submitting it unchanged shows the same view (every option is a value the chart's
parser accepts; an empty one means "not given")."""

from __future__ import annotations

from api.charts.params import DRAWN_WIDTHS, EMBED_THEMES, ChartQuery
from api.labels import LANGS, Lang
from api.render.chart_page import Field
from api.stats.releases import ReleaseInfo
from api.stats.service import StatisticsService
from api.translations import LANGUAGE_NAMES, text


def common_fields(lang: Lang, width: int, theme: str) -> list[Field]:
    """Language, theme and image width: what every chart takes."""
    return [
        Field("lang", text("param.lang", lang), lang, options=tuple((c, LANGUAGE_NAMES[c]) for c in LANGS)),
        Field(
            "theme",
            text("param.theme", lang),
            theme,
            options=tuple((t, text(f"theme.{t}", lang)) for t in EMBED_THEMES),
        ),
        Field(
            "width",
            text("param.width", lang),
            str(width),
            options=tuple((str(w), str(w)) for w in DRAWN_WIDTHS),
        ),
    ]


def release_fields(service: StatisticsService, chart_query: ChartQuery, release: ReleaseInfo) -> list[Field]:
    """The release, filters, kind of sentence, split and months a release's chart takes, then the rest."""
    chart, query, lang = chart_query.chart, chart_query.query, chart_query.query.lang
    vocab, levels = service.vocab, service.levels()
    releases = [("latest", text("param.latest", lang))] + [
        (r.id, r.id) for r in reversed(service.catalog.all())
    ]
    fields = [Field("release", text("param.release", lang), query.release, options=tuple(releases))]
    for name in chart.spec.filters:
        labelled = [(level, vocab.label(name, level, lang)) for level in levels[name]]
        options = (("", text("page.any", lang)), *labelled)
        fields.append(Field(name, text(name, lang), query.filters.get(name, ""), options=options))
    if chart.spec.sentence_kind:
        options = tuple((k, vocab.label("sentence_kind", k, lang)) for k in levels["sentence_kind"])
        fields.append(
            Field("sentence_kind", text("sentence_kind", lang), query.sentence_kind or "", options=options)
        )
    if chart.spec.max_by and chart.spec.by_allowed:
        by = ",".join(query.by)
        choices = [("", text("page.default_by", lang))] + [(n, text(n, lang)) for n in chart.spec.by_allowed]
        if by and by not in dict(choices):
            choices.append((by, " + ".join(text(n, lang) for n in query.by)))
        fields.append(Field("by", text("param.by", lang), by, options=tuple(choices)))
    if chart.spec.months:
        first, last = release.first_recognized, release.as_of_month
        fields.append(
            Field("from", text("param.from", lang), query.month_from or "", "month", (), first, last)
        )
        fields.append(Field("to", text("param.to", lang), query.month_to or "", "month", (), first, last))
    return fields + common_fields(lang, chart_query.width, chart_query.theme)
