"""The figures the demonstration release is calibrated to, and how each is measured from rows.

`CALIBRATION_TARGETS` lists every published figure (or documented assumption) the generator in
api.dataset.demo aims at; `measure` computes each one from the rows of a release, and
`calibration_table` renders the comparison committed as dataset/demo/demo-2026-03/CALIBRATION.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from api.dataset import published_targets
from api.dataset.demo import (
    FIRST_MONTH,
    LAST_MONTH,
    MONTHS,
    PARDON_TOTALS,
    REGION_SHARES_BY_DETENTION_YEAR,
    RELEASE_EVENTS,
    death_events,
    month_index,
    period_months,
)

# --- Measuring a release ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts gathered in one pass over the rows of a release; every target is measured from them."""

    stock: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    women_stock: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    recognized: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    women_recognized: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    releases: Counter[tuple[str, str]] = field(default_factory=Counter)
    detained: Counter[tuple[int, str, str]] = field(default_factory=Counter)
    prison_months: dict[str, list[int]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, row: Mapping[str, str]) -> None:
        """Counts one row."""
        recognized, female = month_index(row["recognized_on"]), row["gender"] == "female"
        self.stock[recognized] += 1
        self.women_stock[recognized] += female
        self.recognized[recognized] += 1
        self.women_recognized[recognized] += female
        year, kind, articles = int(row["detained_on"][:4]), row["sentence_kind"], row["articles"].split(";")
        self.counts.update(
            [f"gender {row['gender']}", f"age_band {row['age_band']}", f"region {row['region']}"]
        )
        self.detained.update((year, "article", a) for a in articles)
        self.detained.update([(year, "region", row["region"]), (year, "gender", row["gender"])])
        if kind == "prison":
            for article in articles:
                self.prison_months.setdefault(article, []).append(int(row["sentence_months"]))
        status = "in custody"
        if row["released_on"]:
            status = "released"
            self.stock[month_index(row["released_on"])] -= 1
            self.women_stock[month_index(row["released_on"])] -= female
            self.releases[(row["released_on"], row["release_kind"])] += 1
        self.counts.update(["rows", status, f"{status} {kind}"])

    def in_custody(self, month: str, women: bool = False) -> int:
        """People (or women) in custody at the end of `month`."""
        return sum((self.women_stock if women else self.stock)[: month_index(month) + 1])

    def in_custody_at(self, date: str) -> float:
        """The monthly series in custody read at a date (`YYYY-MM-DD`, or `YYYY-MM`: the month's end) the
        way `published_targets.series_at` reads it."""
        index = month_index(date[:7])
        previous = MONTHS[index - 1] if index else None
        ends = {month: float(self.in_custody(month)) for month in MONTHS[max(0, index - 1) : index + 1]}
        return published_targets.series_at(ends, published_targets.release_events(), date, previous)

    def women_share(self, month: str) -> float:
        return self.in_custody(month, women=True) / self.in_custody(month)

    def recognitions(self, first: str, last: str, women: bool = False) -> int:
        """People (or women) recognized in the months `first` … `last`."""
        counts = self.women_recognized if women else self.recognized
        return sum(counts[month_index(first) : month_index(last) + 1])

    def released(self, kinds: Iterable[str], first: str, last: str) -> int:
        """Releases of the given kinds in the months `first` … `last`."""
        wanted = set(kinds)
        return sum(n for (m, k), n in self.releases.items() if k in wanted and first <= m <= last)

    def article_ranking(self, first: int, last: int) -> list[str]:
        """Articles by how many rows detained in the years `first` … `last` carry them, most first."""
        counts: Counter[str] = Counter()
        for (year, what, value), n in self.detained.items():
            if what == "article" and first <= year <= last:
                counts[value] += n
        return sorted(counts, key=lambda article: (-counts[article], article))

    def rank(self, article: str, first: int, last: int) -> int:
        return self.article_ranking(first, last).index(article) + 1

    def detained_share(self, year: int, what: str, value: str) -> float:
        """Share of rows detained in `year` whose `what` (gender, region) is `value`; a region's share is
        among known regions."""
        group = [(v, n) for (y, w, v), n in self.detained.items() if y == year and w == what]
        total = sum(n for v, n in group if what != "region" or v != "unknown")
        return self.detained[(year, what, value)] / total if total else 0.0

    def share(self, part: str, whole: str, minus: str | None = None) -> float:
        """counts[part] / (counts[whole] − counts[minus])."""
        whole_count = self.counts[whole] - (self.counts[minus] if minus else 0)
        return self.counts[part] / whole_count if whole_count else 0.0

    def median_prison_months(self, article: str) -> float:
        values = sorted(self.prison_months.get(article, [0]))
        middle = len(values) // 2
        return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


# --- Calibration targets ------------------------------------------------------------------------------------

Qualifier = Literal["exact", "about", "at least", "more than", "derived", "shape"]
INFINITY = float("inf")


@dataclass(frozen=True)
class CalibrationTarget:
    """A figure the demonstration release is calibrated to, and how close the generated value must come.

    `published` is the figure as its source gives it (shares as fractions; None for a shape without a single
    figure); `qualifier` is how the source qualifies it (`derived` when computed from published figures,
    `shape` for a stated shape or a design choice); `lower` … `upper` is the accepted generated value,
    which `tolerance` says in words; `measured_as` says how the value is measured from the rows, and
    `value` measures it from a Tally.
    """

    name: str
    published: float | None
    qualifier: Qualifier
    source: str
    measured_as: str
    lower: float
    upper: float
    tolerance: str
    value: Callable[[Tally], float] = field(repr=False, compare=False)

    def accepts(self, value: float) -> bool:
        """Whether a generated value meets the target."""
        return self.lower - 1e-9 <= value <= self.upper + 1e-9


Measure = Callable[[Tally], float]


def percent(
    name: str, value: float, q: Qualifier, source: str, measured: str, pct: float, of: Measure
) -> CalibrationTarget:
    """A target met within ± `pct` % of the published value."""
    low, high = value * (1 - pct / 100), value * (1 + pct / 100)
    return CalibrationTarget(name, value, q, source, measured, low, high, f"±{pct:g} %", of)


def points(
    name: str, share: float, q: Qualifier, source: str, measured: str, pp: float, of: Measure
) -> CalibrationTarget:
    """A share met within ± `pp` percentage points."""
    low, high = share - pp / 100, share + pp / 100
    return CalibrationTarget(name, share, q, source, measured, low, high, f"±{pp:g} pp", of)


def bounds(
    name: str,
    value: float | None,
    q: Qualifier,
    source: str,
    measured: str,
    low: float,
    high: float,
    of: Measure,
) -> CalibrationTarget:
    """A target met from `low` to `high` (a lower bound when `high` is infinite, exact when equal)."""
    words = f"≥ {low:g}" if high == INFINITY else f"= {low:g}" if low == high else f"{low:g} … {high:g}"
    return CalibrationTarget(name, value, q, source, measured, low, high, words, of)


def key(month: str) -> str:
    """`YYYY_MM` of a month, as target names spell it."""
    return month.replace("-", "_")


IN_CUSTODY = "rows with recognized_on ≤ m and released_on empty or > m"
PARDONS = ("pardon", "pardon_expelled")
PARDONED = "rows with release_kind pardon or pardon_expelled"
VIASNA_2022 = "Viasna via pozirk.online/en/news/45223 (2023-01-06); spring96.org/be/news/110307"
MOST_USED = "notes: most-used articles"
BRIEF = "brief: plausible shape"
DESIGN = "design: a small share unknown"
AT_DATE = "the series of month ends read at the count's date (published_targets.series_at)"


def qualifier_of(row_qualifier: str) -> Qualifier:
    """The qualifier of a figures-table row (`at_least`, `more_than` …) as targets spell it."""
    words: dict[str, Qualifier] = {
        "exact": "exact",
        "about": "about",
        "at_least": "at least",
        "more_than": "more than",
    }
    return words[row_qualifier]


def published(figure_id: str) -> tuple[int, Qualifier, str]:
    """Value, qualifier and source of one figure of the figures table."""
    row = published_targets.figure(figure_id)
    source = f"{row['source_publisher']}, {row['source_url']} ({figure_id})"
    return int(row["value"]), qualifier_of(row["qualifier"]), source


SENTENCE_MEDIAN_RANGES = {
    "342": (12, 36),
    "361-1": (36, 180),
    "357": (36, 180),
    "369": (12, 24),
    "368": (12, 24),
}
"""Plausible range of the median prison sentence (months) of rows carrying an article."""

LATER_ARTICLES = ("361-1", "369", "368", "130", "367")
REGIONS_2022 = REGION_SHARES_BY_DETENTION_YEAR[2022]


def in_custody_target(count: published_targets.PublishedCount) -> CalibrationTarget:
    """A published count in custody (figures table): within 2 % when exact or about, else a lower bound."""
    name = "in_custody_" + key(count.figure_id.removeprefix("in-custody-"))
    measured, qualifier = f"{IN_CUSTODY}; {AT_DATE}, {count.date}", qualifier_of(count.qualifier)

    def of(t: Tally) -> float:
        return t.in_custody_at(count.date)

    if qualifier in ("at least", "more than"):
        low = count.value + (qualifier == "more than")
        return bounds(name, count.value, qualifier, count.source, measured, low, INFINITY, of)
    return percent(name, count.value, qualifier, count.source, measured, 2, of)


def women_target(
    women: published_targets.PublishedCount, total: published_targets.PublishedCount
) -> CalibrationTarget:
    """A published count of women in custody over the total of its date: the share at the month's end."""
    month = women.month
    measured = f"share of women among {IN_CUSTODY}, m = {month}"
    return points(f"women_in_custody_share_{key(month)}", women.value / total.value, "exact", women.source,
                  measured, 1, lambda t: t.women_share(month))  # fmt: skip


def event_target(month: str, kind: str, count: int, source: str) -> CalibrationTarget:
    """A published release event (or a death): the releases of its kind in its month equal its size."""
    measured = f"rows with release_kind {kind} and released_on = {month}"
    name = f"{kind}_{key(month)}"
    return bounds(
        name, count, "exact", source, measured, count, count, lambda t: t.released([kind], month, month)
    )


def event_targets() -> list[CalibrationTarget]:
    """Every published release event and death in custody, summed by month and kind."""
    sizes: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for event in (*RELEASE_EVENTS, *death_events()):
        count, sources = sizes.get((event.month, event.kind), (0, []))
        sizes[(event.month, event.kind)] = (count + event.count, [*sources, event.source])
    return [event_target(m, k, n, "; ".join(s)) for (m, k), (n, s) in sizes.items()]


def pardon_total_target(figure_id: str) -> CalibrationTarget:
    """A published pardon total that the release meets (demo.PARDON_TOTALS), over its period's months."""
    value, qualifier, source = published(figure_id)
    row = published_targets.figure(figure_id)
    months = period_months(row["period_start"], row["period_end"])
    first, last = months[0], months[-1]
    measured = f"{PARDONED} and released_on in {first} … {last}"
    return bounds("pardoned_" + key(figure_id.removeprefix("released-pardon-")), value, qualifier, source,
                  measured, value, value, lambda t: t.released(PARDONS, first, last))  # fmt: skip


def total_target(
    name: str, figure_id: str, measured: str, of: Measure, pct: float | None = None
) -> CalibrationTarget:
    """A published total: within `pct` % when given, else a bound by its qualifier (exact: equal)."""
    value, qualifier, source = published(figure_id)
    if pct is not None:
        return percent(name, value, qualifier, source, measured, pct, of)
    low = value + (qualifier == "more than")
    high = value if qualifier == "exact" else INFINITY
    return bounds(name, value, qualifier, source, measured, low, high, of)


def released_target(
    name: str, figure_id: str, kind: str, until: str, whole_year: bool = False
) -> CalibrationTarget:
    """A published total of people released one way (`kind`): from the first month of the data to
    `until`, or over the calendar year of `until` (`whole_year`)."""
    since = f"{until[:4]}-01" if whole_year else FIRST_MONTH
    period = f"in {until[:4]}" if whole_year else f"≤ {until}"
    return total_target(name, figure_id, f"rows with release_kind {kind} and released_on {period}",
                        lambda t: t.released([kind], since, until))  # fmt: skip


def rank_target(article: str, rank: int) -> CalibrationTarget:
    measured = f"rank of {article} by rows carrying it, among rows detained in 2022"
    return bounds(f"article_rank_{article}_detained_2022", rank, "shape", VIASNA_2022, measured, rank, rank,
                  lambda t: t.rank(article, 2022, 2022))  # fmt: skip


def region_target(region: str, count: float) -> CalibrationTarget:
    measured = f"share of {region} among rows detained in 2022 with a known region"
    share = count / sum(REGIONS_2022.values())
    return points(f"region_share_{region}_detained_2022", share, "exact", VIASNA_2022, measured, 2,
                  lambda t: t.detained_share(2022, "region", region))  # fmt: skip


def median_target(article: str, low: int, high: int) -> CalibrationTarget:
    measured = f"median sentence_months of prison rows carrying {article}"
    return bounds(f"median_prison_months_{article}", None, "shape", BRIEF, measured, low, high,
                  lambda t: t.median_prison_months(article))  # fmt: skip


def unknown_target(column: str, low: float, high: float) -> CalibrationTarget:
    measured = f"share of {column} unknown among all rows"
    return bounds(f"{column}_unknown_share", None, "shape", DESIGN, measured, low, high,
                  lambda t: t.share(f"{column} unknown", "rows"))  # fmt: skip


# fmt: off
FLOW_TARGETS = (
    total_target("recognized_total", "recognized-since-2020-2026-03-05", "all rows (recognized_on ≤ 2026-03)",
                 lambda t: t.recognitions(FIRST_MONTH, LAST_MONTH), pct=1),
    total_target("recognized_by_2024_05", "recognized-since-2020-2024-05-21",
                 "rows with recognized_on ≤ 2024-05", lambda t: t.recognitions(FIRST_MONTH, "2024-05")),
    total_target("women_recognized_by_2024_05", "recognized-women-since-2020-2024-05-21",
                 "women with recognized_on ≤ 2024-05",
                 lambda t: t.recognitions(FIRST_MONTH, "2024-05", women=True), pct=2),
    total_target("recognized_in_2025", "recognized-in-year-2025", "rows with recognized_on in 2025",
                 lambda t: t.recognitions("2025-01", "2025-12"), pct=1),
    *(pardon_total_target(figure_id) for figure_id in PARDON_TOTALS),
    released_target("end_of_term_2020_to_2025", "released-end-of-term-2020-2025-12", "end_of_term",
                    "2025-12"),
    released_target("end_of_term_2025", "released-end-of-term-2025", "end_of_term", "2025-12",
                    whole_year=True),
    released_target("died_in_custody_by_2024_07", "deaths-in-custody-2024-viasna-ap", "died_in_custody",
                    "2024-07"),
    released_target("died_in_custody_by_2025_05", "deaths-in-custody-2025-05-21", "died_in_custody",
                    "2025-05"),
    released_target("died_in_custody_2025", "deaths-in-custody-2025", "died_in_custody", "2025-12",
                    whole_year=True),
)
"""Recognitions, pardons, ends of term and deaths in custody over periods."""

SHAPE_TARGETS = (
    bounds("article_rank_342_detained_2020_2021", 1, "shape", MOST_USED,
           "rank of 342 by rows carrying it, among rows detained in 2020–2021", 1, 1,
           lambda t: t.rank("342", 2020, 2021)),
    *(rank_target(article, rank) for rank, article in enumerate(("342", "369", "368"), start=1)),
    bounds("later_articles_in_top_6_detained_2023_2026", 5, "shape", MOST_USED,
           f"how many of {', '.join(LATER_ARTICLES)} are among the 6 articles most carried by rows "
           "detained in 2023–2026", 5, 5,
           lambda t: len(set(LATER_ARTICLES) & set(t.article_ranking(2023, 2026)[:6]))),
    points("women_share_detained_2022", 300 / 1242, "about", f"{VIASNA_2022}: convictions, used loosely",
           "share of women among rows detained in 2022", 5,
           lambda t: t.detained_share(2022, "gender", "female")),
    points("minsk_city_share_detained_2023", 0.57, "about",
           "Viasna via gazetaby: 2023 convictions, 'in Minsk' read as Minsk city",
           "share of BY-HM among rows detained in 2023 with a known region", 5,
           lambda t: t.detained_share(2023, "region", "BY-HM")),
    bounds("prison_share_in_custody_2026_03", None, "shape", BRIEF,
           f"share of prison among {IN_CUSTODY}, m = 2026-03, sentence_kind not pending", 0.75, 1,
           lambda t: t.share("in custody prison", "in custody", minus="in custody pending")),
    bounds("pending_share_in_custody_2026_03", None, "shape", "assumed: people awaiting trial are few",
           f"share of pending among {IN_CUSTODY}, m = 2026-03", 0.02, 0.12,
           lambda t: t.share("in custody pending", "in custody")),
    bounds("restricted_freedom_share_released", None, "shape", BRIEF,
           "share of restricted_freedom among released rows", 0.02, 0.3,
           lambda t: t.share("released restricted_freedom", "released")),
    bounds("home_confinement_share_released", None, "shape", BRIEF,
           "share of home_confinement among released rows", 0.005, 0.2,
           lambda t: t.share("released home_confinement", "released")),
)
"""Most-used articles, women and regions of 2022 and 2023, and kinds of sentence."""
# fmt: on

CALIBRATION_TARGETS: list[CalibrationTarget] = [
    *(in_custody_target(count) for count in published_targets.in_custody_counts()),
    *(women_target(*pair) for pair in published_targets.women_in_custody_counts()),
    *FLOW_TARGETS,
    *event_targets(),
    *SHAPE_TARGETS,
    *(region_target(region, count) for region, count in REGIONS_2022.items()),
    *(median_target(article, low, high) for article, (low, high) in SENTENCE_MEDIAN_RANGES.items()),
    unknown_target("gender", 0.0, 0.0),
    unknown_target("age_band", 0.02, 0.04),
    unknown_target("region", 0.01, 0.03),
]
"""Every figure the demonstration release is calibrated to; CALIBRATION.md tabulates them."""


def measure(rows: Iterable[Mapping[str, str]]) -> dict[str, float]:
    """The generated value of every calibration target, by target name, for the rows of a release."""
    tally = Tally()
    for row in rows:
        tally.add(row)
    return {target.name: float(target.value(tally)) for target in CALIBRATION_TARGETS}


def calibration_table(values: Mapping[str, float]) -> str:
    """Markdown table of every target: published figure, tolerance, generated value, whether it is met."""
    lines = [
        "| target | published | qualifier | tolerance | generated | met | source | measured as |",
        "|---|---:|---|---|---:|---|---|---|",
    ]
    for target in CALIBRATION_TARGETS:
        value = values[target.name]
        published = "—" if target.published is None else f"{target.published:.4g}"
        cells = [target.name, published, target.qualifier, target.tolerance, f"{value:.4g}",
                 "yes" if target.accepts(value) else "**no**", target.source, target.measured_as]  # fmt: skip
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
