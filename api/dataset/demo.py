"""Demonstration release: synthetic record-level cases calibrated to published totals.

No record-level copy of the real list is available, so the bundled release is generated. Nothing here
describes a real person: every row is drawn from a seeded random generator, and `release.json` says
`"synthetic": true`.

How a release is made (one month at a time, 2020-05 … 2026-03):
1. the month's recognitions (a schedule through the published cumulative totals) enter custody, each
   with a drawn gender, detention month, articles, sentence and *due* month (end of the sentence, or the
   verdict month for a sentence without custody);
2. the published release events (pardons, expulsions, deaths in custody) take people out of custody;
3. regular releases take the people whose due month comes first until the stock of people in custody
   equals the month's aim (a path through every published point-in-time count), women and men apart so
   that the share of women follows its published points. A release is `end_of_term` when it comes
   within two months of the due month (the sentence is then set to the time served), `sentence_changed`
   when earlier, and `other` for sentences without custody.

`CALIBRATION_TARGETS` lists every figure the release is calibrated to; `measure` computes each from rows;
`dataset/releases/demo-2026-03/CALIBRATION.md` compares the two. A `records` argument scales every count
(schedules, events, aims) to produce a larger release of the same shape for benchmarks.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

DEMO_RELEASE_ID = "demo-2026-03"
DEMO_SEED = 20260331
GENERATOR_NAME = "prisoners-api generate-demo"
GENERATOR_VERSION = "1"

COLUMNS = (
    "case_id",
    "gender",
    "age_band",
    "region",
    "detained_on",
    "recognized_on",
    "articles",
    "sentence_kind",
    "sentence_months",
    "released_on",
    "release_kind",
)
"""Columns of cases.csv, in the order of dataset/schema/cases.schema.json."""

FIRST_MONTH = "2020-05"
LAST_MONTH = "2026-03"


def month_index(month: str) -> int:
    """Months since FIRST_MONTH (0 for 2020-05) of a `YYYY-MM` string."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1 - (2020 * 12 + 4)


def month_name(index: int) -> str:
    """`YYYY-MM` of a month index (inverse of `month_index`)."""
    year, number = divmod(index + 2020 * 12 + 4, 12)
    return f"{year:04d}-{number + 1:02d}"


MONTHS = tuple(month_name(i) for i in range(month_index(LAST_MONTH) + 1))
"""Every month of the release, 2020-05 … 2026-03."""
LAST = len(MONTHS) - 1


# --- Schedules (published figures and documented assumptions) -------------------------------------------

IN_CUSTODY_AIMS: dict[str, int] = {
    "2020-05": 5,  # assumed: first recognitions of the 2020 campaign
    "2020-08": 40,  # assumed
    "2020-10": 95,  # assumed
    "2020-12": 169,
    "2021-02": 230,
    "2021-04": 360,
    "2021-08": 650,  # assumed
    "2022-01": 1022,
    "2022-03": 1111,
    "2022-12": 1437,
    "2023-02": 1452,
    "2023-07": 1488,
    "2023-10": 1489,
    "2023-12": 1430,
    "2024-01": 1412,
    "2024-05": 1380,  # between 1,374 (2024-05-21) and 1,401 (2024-06): within 2 % of both
    "2024-06": 1395,
    "2024-08": 1402,  # published: more than 1,395
    "2024-12": 1375,  # assumed
    "2025-06": 1270,  # published: at least 1,177 (uncertain); see CALIBRATION.md
    "2025-12": 1120,  # 1,135 on 2025-12-23, then 22 pardoned on 2025-12-30
    "2026-03": 850,  # after the 268 pardoned in March 2026
}
"""Stock in custody aimed at the end of a month; between two aims the stock plus the cumulative fixed
releases (events and deaths) is interpolated linearly, so that a pardon shows as a drop."""

RECOGNIZED_AIMS: dict[str, int] = {
    "2020-05": 6,
    "2020-08": 50,
    "2020-10": 150,
    "2020-12": 300,
    "2021-01": 370,
    "2021-04": 610,
    "2021-12": 1350,
    "2022-12": 2330,
    "2023-12": 3010,
    "2024-05": 3290,  # published: at least 3,200 by 2024-05-21
    "2024-12": 3886,
    "2025-06": 4116,
    "2025-12": 4395,  # 509 newly recognized in 2025
    "2026-03": 4535,  # 4,499 by 2026-03-05, then recognitions go on
}
"""Cumulative number recognized since 2020 at the end of a month (linear in between); all assumed except
the published figures noted."""

WOMEN_SHARE_AIMS: dict[str, float] = {
    "2020-05": 0.10,  # assumed
    "2022-06": 0.11,  # assumed
    "2023-07": 165 / 1488,
    "2023-12": 167 / 1430,
    "2024-05": 168 / 1374,
    "2025-11": 0.155,  # assumed, so that the share stays near 168 / 1,135 after the December pardons
    "2025-12": 0.143,  # (168 − 15) / (1,135 − 22) = 13.7 % after the 22 pardoned on 2025-12-30
    "2026-03": 0.14,  # assumed: the March 2026 pardons released many women
}
"""Share of women among people in custody at the end of a month (linear in between)."""

FEMALE_SHARE_BY_RECOGNITION_YEAR: dict[int, float] = {
    2020: 0.12,
    2021: 0.155,
    2022: 0.22,
    2023: 0.165,
    2024: 0.17,
    2025: 0.17,
    2026: 0.17,
}
"""Share of women among people recognized in a year, set so that 572 women are among those recognized
by 2024-05; 2022 is higher, after the 300 women among 1,242 people convicted in 2022."""

GENDER_UNKNOWN_SHARE = 0.004


ReleaseKind = Literal[
    "end_of_term", "pardon", "pardon_expelled", "sentence_changed", "acquitted", "died_in_custody", "other"
]


@dataclass(frozen=True)
class ReleaseEvent:
    """A batch of people who leave custody in one month for one reason, as published (or assumed)."""

    month: str
    kind: ReleaseKind
    count: int
    women: int | None
    source: str


VIASNA_2025 = "Viasna's 2025 summary, via reform.news"
RELEASE_EVENTS: tuple[ReleaseEvent, ...] = (
    ReleaseEvent("2024-07", "pardon", 18, None, "AP / Reuters, July 2024"),
    ReleaseEvent("2024-08", "pardon", 30, 14, "AP, Aug 2024"),
    ReleaseEvent("2024-08", "pardon", 13, None, "helm.news 2024-08-22"),
    ReleaseEvent("2025-02", "pardon_expelled", 3, None, "NYT, Feb 2025"),
    ReleaseEvent("2025-06", "pardon_expelled", 14, None, "reports of 2025-06-21"),
    ReleaseEvent("2025-09", "pardon_expelled", 52, None, "kauno.diena.lt 2025-09-11; PAP"),
    ReleaseEvent("2025-11", "pardon", 31, None, VIASNA_2025),
    ReleaseEvent("2025-12", "pardon_expelled", 123, None, "Viasna via fakti.bg 2025-12-14; spring96.org"),
    ReleaseEvent("2025-12", "pardon", 22, 15, "BNS/AFP via klaipeda.diena.lt 2025-12-30"),
    ReleaseEvent("2026-03", "pardon", 18, 11, "lb.ua 2026-03-05"),
    ReleaseEvent("2026-03", "pardon", 235, None, "reform.news, 2026-03-19"),
    ReleaseEvent("2026-03", "pardon_expelled", 15, None, "reform.news, 2026-03-19"),
)
"""Published release events, in their months, with their sizes and kinds."""

SPREAD_PARDONS: dict[str, int] = {
    "2021-09": 2,
    "2022-05": 2,
    "2022-11": 2,
    "2023-04": 2,
    "2023-09": 2,
    "2024-02": 2,
    "2024-04": 2,
    "2024-09": 35,
    "2024-10": 40,
    "2024-11": 36,
    "2024-12": 34,
    "2025-01": 30,
    "2025-03": 19,
    "2025-04": 15,
    "2025-05": 14,
    "2025-07": 14,
    "2025-08": 13,
    "2025-10": 13,
    "2026-01": 2,
    "2026-02": 2,
}
"""Assumed pardons outside the published events, so that the totals are met: 263 more in 2024-07 … 2025-12
(569 in all) and 18 more outside that window (605 by 2026-03-05, counting the 18 of that day)."""

DEATHS_IN_CUSTODY: tuple[str, ...] = ("2021-05", "2022-04", "2023-05", "2023-07", "2024-01", "2024-05")
"""Months of the reported deaths in custody (counts and months only); 2022-04 is assumed for the sixth."""


def fixed_releases() -> tuple[ReleaseEvent, ...]:
    """Every scheduled release: published events, spread pardons and deaths in custody."""
    spread = (ReleaseEvent(m, "pardon", n, None, "assumed spread") for m, n in SPREAD_PARDONS.items())
    deaths = (ReleaseEvent(m, "died_in_custody", 1, 0, "Viasna / AP 2024") for m in DEATHS_IN_CUSTODY)
    return (*RELEASE_EVENTS, *spread, *deaths)


# --- Attributes of a case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleProfile:
    """How an article is sentenced: share of prison sentences, prison months (low, median, high)."""

    prison_share: float
    months: tuple[int, int, int]
    companions: tuple[str, ...]


ARTICLES: dict[str, ArticleProfile] = {
    "130": ArticleProfile(0.90, (24, 38, 144), ("342", "361", "361-1", "369")),
    "188": ArticleProfile(0.65, (6, 14, 36), ("368", "369")),
    "243": ArticleProfile(0.75, (24, 38, 96), ("other",)),
    "293": ArticleProfile(0.97, (36, 48, 120), ("342", "364", "339")),
    "339": ArticleProfile(0.80, (12, 24, 72), ("342", "364")),
    "342": ArticleProfile(0.72, (12, 19, 48), ("339", "364", "363", "369")),
    "357": ArticleProfile(1.00, (60, 106, 300), ("361-1", "130", "361")),
    "361": ArticleProfile(0.90, (24, 38, 120), ("361-1", "130", "342")),
    "361-1": ArticleProfile(0.95, (36, 48, 180), ("361", "130", "342", "357")),
    "363": ArticleProfile(0.70, (6, 19, 48), ("342", "364")),
    "364": ArticleProfile(0.85, (18, 29, 72), ("342", "363", "339")),
    "367": ArticleProfile(0.80, (12, 24, 60), ("368", "130", "369")),
    "368": ArticleProfile(0.62, (6, 14, 36), ("369", "367", "130")),
    "369": ArticleProfile(0.62, (6, 14, 36), ("368", "342", "130")),
    "369-1": ArticleProfile(0.70, (12, 29, 60), ("361", "130")),
    "370": ArticleProfile(0.55, (6, 10, 24), ("342", "368")),
    "other": ArticleProfile(0.70, (6, 24, 120), ("342", "130")),
}
"""Every article code of the reference table, with an assumed sentencing profile."""

ARTICLE_WEIGHTS_BY_DETENTION_YEAR: dict[int, dict[str, float]] = {
    2020: {"342": 34, "293": 12, "364": 12, "363": 8, "339": 7, "130": 6, "369": 5, "368": 3, "361": 3,
           "357": 2, "243": 2, "other": 6},
    2021: {"342": 38, "130": 8, "369": 8, "368": 7, "361": 5, "364": 5, "361-1": 4, "339": 4, "363": 3,
           "293": 3, "370": 2, "357": 2, "188": 2, "243": 2, "other": 5},
    2022: {"342": 28, "369": 16, "368": 13, "130": 6, "361-1": 7, "361": 6, "367": 5, "370": 3, "364": 3,
           "188": 2, "339": 2, "357": 1, "293": 1, "other": 6},
    2023: {"361-1": 20, "342": 18, "369": 11, "368": 9, "130": 10, "367": 11, "361": 3, "369-1": 3, "370": 3,
           "357": 2, "364": 2, "188": 2, "243": 1, "other": 6},
    2025: {"361-1": 27, "342": 13, "369": 10, "368": 8, "130": 10, "367": 11, "361": 4, "369-1": 4, "370": 2,
           "357": 3, "188": 2, "other": 6},
}
"""Primary article by year of detention (a year missing uses the previous one); assumed from the notes'
most-used articles: 342 dominant in 2020–2021, 342, 369, 368 in 2022, 361-1 rising later."""

REGION_SHARES_BY_DETENTION_YEAR: dict[int, dict[str, float]] = {
    2020: {"BY-HM": 40, "BY-BR": 14, "BY-HO": 13, "BY-HR": 12, "BY-MI": 9, "BY-MA": 6, "BY-VI": 6},
    2022: {"BY-HM": 542, "BY-BR": 166, "BY-HO": 166, "BY-HR": 135, "BY-MI": 100, "BY-MA": 68, "BY-VI": 65},
    2023: {"BY-HM": 57, "BY-BR": 10, "BY-HO": 10, "BY-HR": 8, "BY-MI": 7, "BY-MA": 4, "BY-VI": 4},
}
"""Region by year of detention (a year missing uses the previous one): 2022 is Viasna's regional count of
convictions; 2023 reads the 57 % "in Minsk" as Minsk city; 2020 is assumed."""

REGION_UNKNOWN_SHARE = 0.02
AGE_BANDS: dict[str, float] = {
    "under_25": 13, "25_34": 30, "35_44": 29, "45_54": 15, "55_64": 8, "65_plus": 2, "unknown": 3,
}
"""Age band at detention (assumed)."""

RECOGNITION_LAG: dict[int, float] = {0: 30, 1: 25, 2: 15, 3: 8, 4: 5, 5: 4, 8: 5, 12: 4, 20: 2, 30: 2}
"""Months from detention to recognition (assumed)."""

NON_PRISON_KINDS: dict[str, float] = {
    "restricted_freedom": 60, "home_confinement": 12, "fine": 10, "compulsory_treatment": 3, "other": 15,
}
"""Kinds of sentence other than prison, in proportion (assumed)."""

RESTRICTED_IN_FACILITY_SHARE = 0.7
"""Share of restricted-freedom sentences served in an open-type facility (in custody to the term's end)."""

PENDING_BY_MONTHS_SINCE_DETENTION = (0.8, 0.7, 0.5, 0.3, 0.15, 0.05)
"""Chance that a person in custody at the last month still awaits trial, by months since detention."""

PRISON_FACTOR_BY_DETENTION_YEAR: dict[int, float] = {2020: 0.6, 2021: 0.95, 2022: 1.0, 2023: 1.05, 2024: 1.1}
"""Prison shares of the articles scaled by year of detention: in 2020, 45 of at least 103 sentences were
imprisonment (spring96.org/en/news/101216); recognition later went more often with imprisonment."""

END_OF_TERM_WINDOW = 6
"""A regular release up to this many months before the due month is an end of term, and the sentence is set
to the time served: the drawn length is a proposal that the stock path adjusts."""

WOMEN_SENTENCE_FACTOR = 0.85
WOMEN_PRISON_FACTOR = 0.8


# --- Small random helpers ---------------------------------------------------------------------------------


class WeightedChoice:
    """Draws keys of a weight table; `balanced` keeps every key within one of its expected count."""

    def __init__(self, weights: Mapping[str, float] | Mapping[int, float], balanced: bool = False) -> None:
        self.keys = list(weights)
        total = float(sum(weights.values()))
        self.shares = [w / total for w in weights.values()]
        self.cumulative = []
        running = 0.0
        for share in self.shares:
            running += share
            self.cumulative.append(running)
        self.counts = [0] * len(self.keys)
        self.drawn = 0
        self.balanced = balanced

    def draw(self, rng: random.Random):  # type: ignore[no-untyped-def]
        """One key; a balanced choice redraws a key already drawn more than its expected count + 1."""
        last = len(self.keys) - 1
        while True:
            i = min(bisect.bisect_right(self.cumulative, rng.random()), last)
            if not self.balanced or self.counts[i] < self.shares[i] * (self.drawn + 1) + 1:
                break
        self.counts[i] += 1
        self.drawn += 1
        return self.keys[i]


def by_year(table: Mapping[int, object], year: int) -> object:
    """The entry of `table` for `year`, or of the latest year before it."""
    return table[max(y for y in table if y <= year)] if year >= min(table) else table[min(table)]


def bounded_lognormal(rng: random.Random, low: int, median: float, high: int) -> int:
    """Whole months from a log-normal around `median`, clamped to [low, high]."""
    value = rng.lognormvariate(0.0, 0.45) * median
    return max(low, min(high, round(value)))


_MASK = (1 << 62) - 1
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def case_id(sequence: int, key: int) -> str:
    """Opaque 12-character id: a keyed bijection of the sequence number on 62 bits, in base 36.

    A bijection keeps ids unique without remembering them; the key comes from the seed.
    """
    x = (sequence + key) & _MASK
    x ^= x >> 31
    x = (x * 0x2545F4914F6CDD1D) & _MASK
    x ^= x >> 29
    x = (x * 0x1CE4E5B9BF58476D) & _MASK
    x ^= x >> 32
    digits = []
    for _ in range(12):
        x, r = divmod(x, 36)
        digits.append(_ALPHABET[r])
    return "".join(digits)


# --- Plan: the monthly schedules of one release --------------------------------------------------------


def interpolate(aims: Mapping[str, float], start: float = 0.0) -> list[float]:
    """Linear interpolation of month → value aims over every month (`start` before the first aim)."""
    points = [(-1, start)] + sorted((month_index(m), v) for m, v in aims.items())
    values = []
    for i in range(len(MONTHS)):
        j = bisect.bisect_left([p for p, _ in points], i)
        (a, va), (b, vb) = points[max(j - 1, 0)], points[min(j, len(points) - 1)]
        values.append(vb if a == b or i >= b else va + (vb - va) * (i - a) / (b - a))
    return values


def apportion(values: Sequence[float], total: int) -> list[int]:
    """Round non-negative values to integers that add up to `total` (largest remainders)."""
    scale = total / sum(values)
    floors = [int(v * scale) for v in values]
    order = sorted(range(len(values)), key=lambda i: floors[i] - values[i] * scale)
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


@dataclass(frozen=True)
class Plan:
    """Monthly schedules of one release: recognitions, stock aims and scheduled releases."""

    recognitions: list[int]
    stock: list[int]
    women_stock: list[int]
    events: dict[int, list[ReleaseEvent]] = field(default_factory=dict)


def make_plan(records: int | None = None) -> Plan:
    """The calibrated plan, or every count scaled so that the release has `records` rows."""
    cumulative = interpolate(RECOGNIZED_AIMS)
    total = round(cumulative[-1]) if records is None else records
    scale = total / cumulative[-1]
    rounded = [round(c * scale) for c in cumulative]
    recognitions = [b - a for a, b in zip([0, *rounded], rounded, strict=False)]
    events: dict[int, list[ReleaseEvent]] = {}
    fixed_by_month = [0.0] * len(MONTHS)
    for event in fixed_releases():
        scaled = ReleaseEvent(
            event.month, event.kind, round(event.count * scale),
            None if event.women is None else round(event.women * scale), event.source,
        )
        events.setdefault(month_index(event.month), []).append(scaled)
        fixed_by_month[month_index(event.month)] += scaled.count
    stock = stock_path(scale, fixed_by_month)
    women = [round(s * w) for s, w in zip(stock, interpolate(WOMEN_SHARE_AIMS), strict=True)]
    return Plan(recognitions, stock, women, events)


def stock_path(scale: float, fixed_by_month: Sequence[float]) -> list[int]:
    """Stock aims for every month: stock + cumulative fixed releases is linear between two aims."""
    cumulative_fixed = []
    running = 0.0
    for count in fixed_by_month:
        running += count
        cumulative_fixed.append(running)
    with_fixed = {m: v * scale + cumulative_fixed[month_index(m)] for m, v in IN_CUSTODY_AIMS.items()}
    return [round(v - c) for v, c in zip(interpolate(with_fixed), cumulative_fixed, strict=True)]


# --- Simulation ----------------------------------------------------------------------------------------


class Case:
    """One generated person while the release is simulated (months are indexes into MONTHS)."""

    __slots__ = (
        "age_band",
        "articles",
        "custodial",
        "detained",
        "due",
        "gender",
        "kind",
        "months",
        "recognized",
        "region",
        "release_kind",
        "released",
        "seq",
        "slot",
    )

    def __init__(self, seq: int, gender: str, recognized: int) -> None:
        self.seq = seq
        self.gender = gender
        self.recognized = recognized
        self.age_band = "unknown"
        self.region = "unknown"
        self.detained = recognized
        self.articles: list[str] = []
        self.kind = "prison"
        self.months: int | None = None
        self.custodial = True
        self.due = recognized
        self.released: int | None = None
        self.release_kind = ""
        self.slot = -1


class Custody:
    """People in custody of one gender group: a heap by due month, and a list for random picks."""

    def __init__(self) -> None:
        self.heap: list[tuple[int, int, Case]] = []
        self.live: list[Case] = []

    def __len__(self) -> int:
        return len(self.live)

    def add(self, case: Case) -> None:
        case.slot = len(self.live)
        self.live.append(case)
        heapq.heappush(self.heap, (case.due, case.seq, case))

    def remove(self, case: Case) -> None:
        last = self.live.pop()
        if last is not case:
            self.live[case.slot] = last
            last.slot = case.slot
        case.slot = -1

    def pop_due(self) -> Case:
        """The case whose due month comes first (entries of removed cases are skipped)."""
        while True:
            case = heapq.heappop(self.heap)[2]
            if case.slot >= 0:
                self.remove(case)
                return case

    def pick(self, rng: random.Random, accept: Callable[[Case], bool]) -> Case:
        """A random case that `accept`s (any case after 200 refusals), removed from custody."""
        for _ in range(200):
            case = self.live[rng.randrange(len(self.live))]
            if accept(case):
                break
        self.remove(case)
        return case


class Newcomers:
    """Draws the attributes of people recognized in a month."""

    def __init__(self) -> None:
        self.gender = {
            year: WeightedChoice(
                {"female": f, "male": 1 - f - GENDER_UNKNOWN_SHARE, "unknown": GENDER_UNKNOWN_SHARE}, True
            )
            for year, f in FEMALE_SHARE_BY_RECOGNITION_YEAR.items()
        }
        self.lag = WeightedChoice(RECOGNITION_LAG)
        self.age = WeightedChoice(AGE_BANDS)
        self.regions = {y: WeightedChoice(w, True) for y, w in REGION_SHARES_BY_DETENTION_YEAR.items()}
        self.articles = {y: WeightedChoice(w) for y, w in ARTICLE_WEIGHTS_BY_DETENTION_YEAR.items()}
        self.non_prison = WeightedChoice(NON_PRISON_KINDS)

    def draw(self, rng: random.Random, seq: int, month: int) -> Case:
        """A new case recognized in `month`."""
        year = int(MONTHS[month][:4])
        case = Case(seq, self.gender[year].draw(rng), month)
        case.age_band = self.age.draw(rng)
        detained = max(0, month - self.lag.draw(rng))
        detention_year = int(MONTHS[detained][:4])
        case.articles = self.draw_articles(rng, detention_year)
        duration = self.draw_sentence(rng, case, detention_year)
        case.detained = max(detained, month - duration)
        case.due = case.detained + duration
        if rng.random() >= REGION_UNKNOWN_SHARE:
            case.region = by_year(self.regions, int(MONTHS[case.detained][:4])).draw(rng)  # type: ignore[attr-defined]
        return case

    def draw_articles(self, rng: random.Random, year: int) -> list[str]:
        """Primary article by year of detention, then up to two companions."""
        articles = [by_year(self.articles, year).draw(rng)]  # type: ignore[attr-defined]
        for chance in (0.35, 0.1):
            if rng.random() >= chance:
                break
            extra = rng.choice(ARTICLES[articles[0]].companions)
            if extra not in articles:
                articles.append(extra)
        return articles

    def draw_sentence(self, rng: random.Random, case: Case, detention_year: int) -> int:
        """Sets the kind and length of the sentence; returns the months from detention to release."""
        female = case.gender == "female"
        severest = max(case.articles, key=lambda a: ARTICLES[a].months[1])
        prison_share = max(ARTICLES[a].prison_share for a in case.articles)
        prison_share *= by_year(PRISON_FACTOR_BY_DETENTION_YEAR, detention_year)  # type: ignore[operator]
        if rng.random() < prison_share * (WOMEN_PRISON_FACTOR if female else 1.0):
            low, median, high = ARTICLES[severest].months
            case.months = bounded_lognormal(rng, low, median * (WOMEN_SENTENCE_FACTOR if female else 1), high)
            return case.months
        case.kind = self.non_prison.draw(rng)
        verdict = rng.randint(1, 6)
        if case.kind == "restricted_freedom":
            case.months = bounded_lognormal(rng, 12, 24, 60)
            case.custodial = rng.random() < RESTRICTED_IN_FACILITY_SHARE
            return case.months if case.custodial else verdict
        case.custodial = case.kind == "compulsory_treatment"
        if case.kind == "home_confinement":
            case.months = bounded_lognormal(rng, 3, 10, 36)
        if case.kind == "other" and rng.random() < 0.05:
            case.release_kind = "acquitted"
        return rng.randint(12, 48) if case.custodial else verdict


def simulate(plan: Plan, rng: random.Random) -> Iterator[Case]:
    """Every case of the release: released ones as they leave custody, then those still in custody."""
    women, others = Custody(), Custody()
    newcomers = Newcomers()
    seq = 0
    for month in range(len(MONTHS)):
        for _ in range(plan.recognitions[month]):
            case = newcomers.draw(rng, seq, month)
            seq += 1
            (women if case.gender == "female" else others).add(case)
        for event in plan.events.get(month, ()):
            yield from release_event(event, month, women, others, rng)
        yield from regular_releases(month, plan, women, others)
    for case in sorted(women.live + others.live, key=lambda c: c.seq):
        yield keep_in_custody(case, rng)


def release_event(
    event: ReleaseEvent, month: int, women: Custody, others: Custody, rng: random.Random
) -> Iterator[Case]:
    """The people released by one event, picked at random among those in custody who fit it."""
    def fits(case: Case) -> bool:
        if event.kind == "died_in_custody":
            return case.kind == "prison" and case.age_band in ("45_54", "55_64", "65_plus")
        long_term = 24 if event.kind == "pardon_expelled" else 2
        return case.custodial and case.kind != "compulsory_treatment" and case.due >= month + long_term

    for i in range(event.count):
        female = (i < event.women) if event.women is not None else (
            rng.random() * (len(women) + len(others)) < len(women)
        )
        pool = women if female and len(women) else others
        case = pool.pick(rng, fits)
        case.released, case.release_kind = month, event.kind
        if case.months is not None:
            case.months = max(case.months, month - case.detained + 1)
        yield case


def regular_releases(month: int, plan: Plan, women: Custody, others: Custody) -> Iterator[Case]:
    """Releases of the people due first, until the stock (and the stock of women) meets its aim."""
    total = len(women) + len(others) - plan.stock[month]
    if total <= 0:
        return
    from_women = max(0, min(total, len(women) - plan.women_stock[month], len(women)))
    for pool, count in ((women, from_women), (others, min(total - from_women, len(others)))):
        for _ in range(count):
            yield settle_release(pool.pop_due(), month)


def settle_release(case: Case, month: int) -> Case:
    """Sets the kind of a regular release from the due month, and the served term of an end of term."""
    case.released = month
    if case.release_kind == "acquitted":
        return case
    if not case.custodial or case.kind == "compulsory_treatment":
        case.release_kind = "other"
    elif month >= case.due - END_OF_TERM_WINDOW:
        case.release_kind = "end_of_term"
        case.months = max(1, month - case.detained)
    else:
        case.release_kind = "sentence_changed"
    return case


def keep_in_custody(case: Case, rng: random.Random) -> Case:
    """A case still in custody at the last month: awaiting trial when recent, else serving its term."""
    case.release_kind = ""
    since = LAST - case.detained
    if since < len(PENDING_BY_MONTHS_SINCE_DETENTION) and rng.random() < PENDING_BY_MONTHS_SINCE_DETENTION[since]:
        case.kind, case.months = "pending", None
    elif not case.custodial:
        case.kind, case.custodial = "prison", True
        case.months = max(case.months or 0, LAST - case.detained + 1)
    elif case.months is not None:
        case.months = max(case.months, LAST - case.detained + 1)
    return case


# --- Rows and files --------------------------------------------------------------------------------------


def case_row(case: Case, key: int) -> list[str]:
    """The cases.csv fields of a case, in COLUMNS order."""
    return [
        case_id(case.seq, key),
        case.gender,
        case.age_band,
        case.region,
        MONTHS[case.detained],
        MONTHS[case.recognized],
        ";".join(case.articles),
        case.kind,
        "" if case.months is None else str(case.months),
        "" if case.released is None else MONTHS[case.released],
        case.release_kind,
    ]


def iter_case_rows(seed: int = DEMO_SEED, records: int | None = None) -> Iterator[list[str]]:
    """Rows of a demonstration release as lists of strings, streamed (see `generate_cases`)."""
    rng = random.Random(seed)
    key = rng.getrandbits(62)
    for case in simulate(make_plan(records), rng):
        yield case_row(case, key)


def iter_cases(seed: int = DEMO_SEED, records: int | None = None) -> Iterator[dict[str, str]]:
    """Rows of a demonstration release as dicts keyed by COLUMNS, streamed."""
    for row in iter_case_rows(seed, records):
        yield dict(zip(COLUMNS, row, strict=True))


def generate_cases(seed: int = DEMO_SEED, records: int | None = None) -> list[dict[str, str]]:
    """Every row of a demonstration release: the calibrated one, or `records` rows of the same shape."""
    return list(iter_cases(seed, records))


def release_metadata(release_id: str, seed: int, records: int) -> dict[str, object]:
    """release.json of a demonstration release (dataset/schema/release.schema.json)."""
    return {
        "id": release_id,
        "title": "Demonstration release generated to match published totals (March 2026)",
        "description": (
            "Synthetic record-level cases generated by a seeded program so that their aggregates match "
            "figures published by Human Rights Centre Viasna and the press (monthly number in custody, "
            "recognitions, pardons and expulsions, deaths in custody, share of women, most-used articles, "
            "regions of 2022 convictions). No row describes a real person. See CALIBRATION.md for every "
            "target, published against generated."
        ),
        "valid_as_of": "2026-03-31",
        "published": "2026-11-25",
        "synthetic": True,
        "synthetic_note": "Demonstration data generated to match published totals — not real records.",
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION, "seed": seed, "records": records},
        "licence": {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        },
        "sources": [
            {
                "title": "Human Rights Centre Viasna, published figures on political prisoners "
                "(see published_figures.csv)",
                "path": "https://spring96.org",
            }
        ],
        "contributors": [{"title": "prisoners-api maintainers", "role": "author"}],
    }


def write_demo_release(
    out_dir: Path, seed: int = DEMO_SEED, records: int | None = None, release_id: str = DEMO_RELEASE_ID
) -> Path:
    """Writes cases.csv (streamed) and release.json of a demonstration release into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in iter_case_rows(seed, records):
            writer.writerow(row)
            count += 1
    metadata = release_metadata(release_id, seed, count)
    text = json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "release.json").write_text(text, encoding="utf-8")
    return out_dir


# --- Calibration targets ---------------------------------------------------------------------------------

Qualifier = Literal["exact", "about", "at least", "more than", "derived", "shape"]


@dataclass(frozen=True)
class CalibrationTarget:
    """A figure the demonstration release is calibrated to, and how close the generated value must be.

    `published` is the figure as the source gives it (a share as a fraction); `lower` and `upper` bound
    the accepted generated value; `tolerance` says the same in words; `measured_as` says how `measure`
    computes the generated value from the rows.
    """

    name: str
    published: float
    qualifier: Qualifier
    source: str
    tolerance: str
    lower: float
    upper: float
    measured_as: str

    def accepts(self, value: float) -> bool:
        """Whether a generated value meets the target."""
        return self.lower - 1e-9 <= value <= self.upper + 1e-9


def within_percent(
    name: str, published: float, qualifier: Qualifier, source: str, measured_as: str, percent: float
) -> CalibrationTarget:
    """A target met within ± `percent` % of the published value."""
    spread = published * percent / 100
    return CalibrationTarget(
        name, published, qualifier, source, f"±{percent:g} %", published - spread, published + spread, measured_as
    )


def within_points(
    name: str, published: float, qualifier: Qualifier, source: str, measured_as: str, points: float
) -> CalibrationTarget:
    """A share met within ± `points` percentage points."""
    low, high = published - points / 100, published + points / 100
    return CalibrationTarget(name, published, qualifier, source, f"±{points:g} pp", low, high, measured_as)


def bounded(
    name: str, published: float, qualifier: Qualifier, source: str, measured_as: str,
    lower: float, upper: float = float("inf"),
) -> CalibrationTarget:
    """A target met between `lower` and `upper` (a lower bound, a range, or an exact value)."""
    words = f"≥ {lower:g}" if upper == float("inf") else f"= {lower:g}" if lower == upper else (
        f"{lower:g} … {upper:g}"
    )
    return CalibrationTarget(name, published, qualifier, source, words, lower, upper, measured_as)


def key(month: str) -> str:
    """`YYYY_MM` of a month, for target names."""
    return month.replace("-", "_")


IN_CUSTODY_POINTS: tuple[tuple[str, float, Qualifier, str], ...] = (
    ("2020-12", 169, "exact", "rada.vision, Viasna data valid at the end of 2020 (2020-12-31)"),
    ("2021-02", 230, "about", "Lithuanian Seimas press release, lrs.lt (2021-02-05)"),
    ("2021-04", 360, "exact", "belsat.eu (2021-04-29)"),
    ("2022-01", 1022, "exact", "Viasna monthly review for January 2022 (count of 2022-02-01)"),
    ("2022-03", 1111, "exact", "jurist.org (March 2022)"),
    ("2022-12", 1437, "exact", "bielarus.info citing prisoners.spring96.org (2022-12-14)"),
    ("2023-02", 1452, "exact", "Viasna via niezalezna.pl (2023-02-27)"),
    ("2023-07", 1488, "exact", "free-belarus.com (2023-07-31)"),
    ("2023-10", 1489, "exact", "spring96.org/en/news/113053 (2023-10-11)"),
    ("2023-12", 1430, "exact", "Viasna review of 2023 via voiceofbelarus.org (count of 2024-01-04)"),
    ("2024-01", 1412, "exact", "spring96.org/en/news/113970 (2024-01-15; a repost gives 1,413)"),
    ("2024-05", 1374, "exact", "spring96.org/en/news/115297 (2024-05-21)"),
    ("2024-06", 1401, "exact", "UN Special Rapporteur coverage, Reuters via devdiscourse.com (2024-06-07)"),
    ("2024-08", 1395, "more than", "Freedom House, 'The Revolving Door of Political Prisoners' (Aug 2024)"),
    ("2025-06", 1177, "at least", "Freedom House text via newstrenders.com (2025-06-21), UNCERTAIN"),
    ("2025-12", 1135, "exact", f"{VIASNA_2025} (2025-12-23)"),
    ("2026-03", 845, "derived", "1,135 (2025-12-23) − 22 (2025-12-30) − 268 pardoned in March 2026"),
)
"""Point-in-time counts of people in custody, mapped to the month whose end they describe."""

WOMEN_IN_CUSTODY_POINTS: tuple[tuple[str, int, int, str], ...] = (
    ("2023-07", 165, 1488, "free-belarus.com (2023-07-31)"),
    ("2023-12", 167, 1430, "Viasna review of 2023 via voiceofbelarus.org (2024-01-04)"),
    ("2024-05", 168, 1374, "spring96.org/en/news/115297 (2024-05-21)"),
    ("2025-12", 168, 1135, f"{VIASNA_2025} (2025-12-23)"),
)

SENTENCE_MEDIAN_RANGES: tuple[tuple[str, int, int], ...] = (
    ("342", 12, 36), ("361-1", 36, 180), ("357", 36, 180), ("369", 12, 24), ("368", 12, 24),
)

REGIONS_2022 = REGION_SHARES_BY_DETENTION_YEAR[2022]
IN_CUSTODY = "people with recognized_on ≤ month and (released_on empty or > month)"


def stock_targets() -> list[CalibrationTarget]:
    """The monthly number in custody through every published count, and the share of women."""
    targets = []
    for month, value, qualifier, source in IN_CUSTODY_POINTS:
        name = f"in_custody_{key(month)}"
        measured = f"{IN_CUSTODY}, at {month}"
        if qualifier == "at least":
            targets.append(bounded(name, value, qualifier, source, measured, value))
        elif qualifier == "more than":
            targets.append(bounded(name, value, qualifier, source, measured, value + 1))
        else:
            targets.append(within_percent(name, value, qualifier, source, measured, 2))
    for month, women, total, source in WOMEN_IN_CUSTODY_POINTS:
        measured = f"women among {IN_CUSTODY}, at {month}, as a share"
        targets.append(within_points(f"women_in_custody_share_{key(month)}", women / total, "exact", source,
                                     measured, 1))
    return targets


def flow_targets() -> list[CalibrationTarget]:
    """Recognitions, pardons, ends of term and deaths in custody."""
    pardoned = "rows with release_kind pardon or pardon_expelled"
    reform = "reform.news, 'Viasna: 605 pardoned and nearly 4,500 recognized' (2026-03-05)"
    may_2024 = "spring96.org/en/news/115297 (2024-05-21)"
    return [
        within_percent("recognized_total", 4499, "exact", reform, "all rows (recognized_on ≤ 2026-03)", 1),
        bounded("recognized_by_2024_05", 3200, "at least", may_2024, "rows with recognized_on ≤ 2024-05", 3200),
        within_percent("women_recognized_by_2024_05", 572, "exact", may_2024,
                       "women among rows with recognized_on ≤ 2024-05", 2),
        within_percent("recognized_in_2025", 509, "exact", VIASNA_2025, "rows with recognized_on in 2025", 1),
        within_percent("pardoned_through_2026_02", 587, "derived", f"605 ({reform}) − 18 of 2026-03-05",
                       f"{pardoned} and released_on ≤ 2026-02", 1),
        within_percent("pardoned_through_2026_03", 855, "derived", f"605 ({reform}) + 250 of 2026-03-19",
                       f"{pardoned} and released_on ≤ 2026-03", 1),
        within_percent("pardoned_2024_07_to_2025_12", 569, "exact", VIASNA_2025,
                       f"{pardoned} and released_on in 2024-07 … 2025-12", 1),
        bounded("end_of_term_2020_to_2025", 1700, "more than", VIASNA_2025,
                "rows with release_kind end_of_term and released_on ≤ 2025-12", 1701),
        bounded("end_of_term_2025", 300, "at least", VIASNA_2025,
                "rows with release_kind end_of_term and released_on in 2025", 300),
        bounded("died_in_custody_total", 6, "at least", "Viasna / AP (2024): at least 6",
                "rows with release_kind died_in_custody", 6),
    ]


def event_targets() -> list[CalibrationTarget]:
    """Each published release event: the month's releases of its kind equal the event's size."""
    sizes: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for event in RELEASE_EVENTS:
        count, sources = sizes.get((event.month, event.kind), (0, []))
        sizes[(event.month, event.kind)] = (count + event.count, [*sources, event.source])
    targets = [
        bounded(f"{kind}_{key(month)}", count, "exact", "; ".join(sources),
                f"rows with release_kind {kind} and released_on = {month}", count, count)
        for (month, kind), (count, sources) in sizes.items()
    ]
    for month in DEATHS_IN_CUSTODY:
        source = "assumed month of the sixth death" if month == "2022-04" else "named case reported (no name kept)"
        targets.append(bounded(f"died_in_custody_{key(month)}", 1, "at least", source,
                               f"rows with release_kind died_in_custody and released_on = {month}", 1))
    return targets


def shape_targets() -> list[CalibrationTarget]:
    """Articles, regions, gender of 2022, sentence lengths and kinds, unknown values."""
    notes = "published-figures notes: most-used articles"
    viasna_2022 = "Viasna via pozirk.online/en/news/45223 (2023-01-06); spring96.org/be/news/110307"
    detained_2022 = "rows detained in 2022 with a known region, as a share"
    targets = [
        bounded("article_rank_342_detained_2020_2021", 1, "shape", notes,
                "rank of 342 by rows detained in 2020–2021 that carry it", 1, 1),
        bounded("article_rank_342_detained_2022", 1, "shape", viasna_2022, "rank of 342 among 2022 detainees", 1, 1),
        bounded("article_rank_369_detained_2022", 2, "shape", viasna_2022, "rank of 369 among 2022 detainees", 2, 2),
        bounded("article_rank_368_detained_2022", 3, "shape", viasna_2022, "rank of 368 among 2022 detainees", 3, 3),
        bounded("articles_later_in_top6_detained_2023_2026", 5, "shape", notes,
                "how many of 361-1, 369, 368, 130, 367 are among the 6 articles most carried by rows "
                "detained in 2023–2026", 5, 5),
        bounded("article_361_1_convicted_by_2025_03", 258, "at least", "published-figures notes (March 2025)",
                "rows with 361-1, detained ≤ 2025-03, sentence_kind not pending", 258),
    ]
    total_2022 = sum(REGIONS_2022.values())
    for region, count in REGIONS_2022.items():
        targets.append(within_points(f"region_share_{region}_detained_2022", count / total_2022, "exact",
                                     viasna_2022, detained_2022, 2))
    targets += [
        within_points("women_share_detained_2022", 300 / 1242, "about", f"{viasna_2022} (convictions, loosely)",
                      "women among rows detained in 2022", 5),
        within_points("minsk_city_share_detained_2023", 0.57, "about", "Viasna via gazetaby (2023 convictions; "
                      "'in Minsk' read as Minsk city)", "BY-HM among rows detained in 2023 with a known region", 5),
    ]
    for article, low, high in SENTENCE_MEDIAN_RANGES:
        targets.append(bounded(f"median_prison_months_{article}", (low + high) / 2, "shape", "brief: plausible "
                               "lengths per article", f"median sentence_months of prison rows with {article}",
                               low, high))
    return targets + kind_targets()


def kind_targets() -> list[CalibrationTarget]:
    """Kinds of sentence and the small shares of unknown values."""
    at_end = f"{IN_CUSTODY}, at 2026-03"
    return [
        bounded("prison_share_in_custody_2026_03", 0.75, "shape", "brief: prison dominant in custody",
                f"sentence_kind prison among {at_end} with a verdict", 0.75, 1),
        bounded("pending_share_in_custody_2026_03", 0.08, "shape", "assumed: awaiting trial is a small group",
                f"sentence_kind pending among {at_end}", 0.02, 0.12),
        bounded("restricted_freedom_share_released", 0.05, "shape", "brief: appears among released people",
                "sentence_kind restricted_freedom among released rows", 0.02, 0.3),
        bounded("home_confinement_share_released", 0.02, "shape", "brief: appears among released people",
                "sentence_kind home_confinement among released rows", 0.005, 0.2),
        bounded("gender_unknown_share", GENDER_UNKNOWN_SHARE, "shape", "design: small share unknown",
                "gender unknown among all rows", 0.0001, 0.01),
        within_points("age_band_unknown_share", AGE_BANDS["unknown"] / sum(AGE_BANDS.values()), "shape",
                      "design: small share unknown", "age_band unknown among all rows", 1),
        within_points("region_unknown_share", REGION_UNKNOWN_SHARE, "shape", "design: small share unknown",
                      "region unknown among all rows", 1),
    ]


CALIBRATION_TARGETS: list[CalibrationTarget] = stock_targets() + flow_targets() + event_targets() + shape_targets()
"""Every figure the demonstration release is calibrated to (see CALIBRATION.md)."""


# --- Measuring a release ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts gathered in one pass over the rows of a release, from which every target is measured."""

    stock: list[int] = field(default_factory=lambda: [0] * (len(MONTHS) + 1))
    women_stock: list[int] = field(default_factory=lambda: [0] * (len(MONTHS) + 1))
    recognized: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    women_recognized: list[int] = field(default_factory=lambda: [0] * len(MONTHS))
    releases: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_year: Counter[tuple[int, str, str]] = field(default_factory=Counter)
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
        for value in (f"gender:{row['gender']}", f"age:{row['age_band']}", f"region:{row['region']}"):
            self.counts[value] += 1
        self.by_year.update((year, "article", a) for a in articles)
        self.by_year.update([(year, "region", row["region"]), (year, "gender", row["gender"])])
        if kind == "prison":
            for article in articles:
                self.prison_months.setdefault(article, []).append(int(row["sentence_months"]))
        if "361-1" in articles and kind != "pending" and row["detained_on"] <= "2025-03":
            self.counts["361-1 convicted by 2025-03"] += 1
        if row["released_on"]:
            released = month_index(row["released_on"])
            self.stock[released] -= 1
            self.women_stock[released] -= female
            self.releases[(row["released_on"], row["release_kind"])] += 1
            self.counts[f"released:{kind}"] += 1
            self.counts["released"] += 1
        else:
            self.counts[f"in custody:{kind}"] += 1

    def in_custody(self, month: str, women: bool = False) -> int:
        """People in custody at the end of `month`."""
        deltas = self.women_stock if women else self.stock
        return sum(deltas[: month_index(month) + 1])

    def released(self, kinds: Iterable[str], first: str, last: str) -> int:
        """Releases of the given kinds in months first … last."""
        wanted = set(kinds)
        return sum(n for (m, k), n in self.releases.items() if k in wanted and first <= m <= last)

    def rank(self, article: str, years: range) -> int:
        """Rank (1 = most carried) of an article among rows detained in `years`."""
        return self.article_ranking(years).index(article) + 1

    def article_ranking(self, years: range) -> list[str]:
        counts: Counter[str] = Counter()
        for (year, what, value), n in self.by_year.items():
            if what == "article" and year in years:
                counts[value] += n
        return [a for a, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    def share(self, year: int, what: str, value: str, exclude: str | None = None) -> float:
        """Share of rows detained in `year` with `what` = `value` (leaving out `exclude`)."""
        total = sum(n for (y, w, v), n in self.by_year.items() if y == year and w == what and v != exclude)
        return self.by_year[(year, what, value)] / total if total else 0.0


def median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def measure(rows: Iterable[Mapping[str, str]]) -> dict[str, float]:
    """The generated value of every calibration target (by target name) for the rows of a release."""
    tally = Tally()
    for row in rows:
        tally.add(row)
    values = stock_values(tally) | flow_values(tally) | shape_values(tally)
    return {target.name: float(values[target.name]) for target in CALIBRATION_TARGETS}


def stock_values(tally: Tally) -> dict[str, float]:
    values: dict[str, float] = {f"in_custody_{key(m)}": tally.in_custody(m) for m, *_ in IN_CUSTODY_POINTS}
    for month, *_ in WOMEN_IN_CUSTODY_POINTS:
        values[f"women_in_custody_share_{key(month)}"] = tally.in_custody(month, True) / tally.in_custody(month)
    return values


PARDONS = ("pardon", "pardon_expelled")


def flow_values(tally: Tally) -> dict[str, float]:
    by_may_2024 = month_index("2024-05") + 1
    in_2025 = slice(month_index("2025-01"), month_index("2025-12") + 1)
    values: dict[str, float] = {
        "recognized_total": sum(tally.recognized),
        "recognized_by_2024_05": sum(tally.recognized[:by_may_2024]),
        "women_recognized_by_2024_05": sum(tally.women_recognized[:by_may_2024]),
        "recognized_in_2025": sum(tally.recognized[in_2025]),
        "pardoned_through_2026_02": tally.released(PARDONS, FIRST_MONTH, "2026-02"),
        "pardoned_through_2026_03": tally.released(PARDONS, FIRST_MONTH, "2026-03"),
        "pardoned_2024_07_to_2025_12": tally.released(PARDONS, "2024-07", "2025-12"),
        "end_of_term_2020_to_2025": tally.released(["end_of_term"], FIRST_MONTH, "2025-12"),
        "end_of_term_2025": tally.released(["end_of_term"], "2025-01", "2025-12"),
        "died_in_custody_total": tally.released(["died_in_custody"], FIRST_MONTH, LAST_MONTH),
    }
    for month, kind in {(e.month, e.kind) for e in RELEASE_EVENTS}:
        values[f"{kind}_{key(month)}"] = tally.released([kind], month, month)
    for month in DEATHS_IN_CUSTODY:
        values[f"died_in_custody_{key(month)}"] = tally.released(["died_in_custody"], month, month)
    return values


def shape_values(tally: Tally) -> dict[str, float]:
    later = tally.article_ranking(range(2023, 2027))[:6]
    values: dict[str, float] = {
        "article_rank_342_detained_2020_2021": tally.rank("342", range(2020, 2022)),
        "article_rank_342_detained_2022": tally.rank("342", range(2022, 2023)),
        "article_rank_369_detained_2022": tally.rank("369", range(2022, 2023)),
        "article_rank_368_detained_2022": tally.rank("368", range(2022, 2023)),
        "articles_later_in_top6_detained_2023_2026": len({"361-1", "369", "368", "130", "367"} & set(later)),
        "article_361_1_convicted_by_2025_03": tally.counts["361-1 convicted by 2025-03"],
        "women_share_detained_2022": tally.share(2022, "gender", "female"),
        "minsk_city_share_detained_2023": tally.share(2023, "region", "BY-HM", exclude="unknown"),
    }
    for region in REGIONS_2022:
        values[f"region_share_{region}_detained_2022"] = tally.share(2022, "region", region, exclude="unknown")
    for article, *_ in SENTENCE_MEDIAN_RANGES:
        values[f"median_prison_months_{article}"] = median(tally.prison_months.get(article, [0]))
    return values | kind_values(tally)


def kind_values(tally: Tally) -> dict[str, float]:
    counts, rows = tally.counts, tally.counts["gender:female"] + tally.counts["gender:male"] + tally.counts[
        "gender:unknown"]
    in_custody = rows - counts["released"]
    pending = counts["in custody:pending"]
    return {
        "prison_share_in_custody_2026_03": counts["in custody:prison"] / (in_custody - pending),
        "pending_share_in_custody_2026_03": pending / in_custody,
        "restricted_freedom_share_released": counts["released:restricted_freedom"] / counts["released"],
        "home_confinement_share_released": counts["released:home_confinement"] / counts["released"],
        "gender_unknown_share": counts["gender:unknown"] / rows,
        "age_band_unknown_share": counts["age:unknown"] / rows,
        "region_unknown_share": counts["region:unknown"] / rows,
    }
