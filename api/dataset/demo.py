"""Demonstration release: synthetic record-level cases calibrated to published totals.

No record-level copy of the real list is available, so the bundled release is generated. No row describes
a real person: every row comes from a seeded random generator, and `release.json` says `"synthetic": true`.

A release is simulated one month at a time, 2020-05 … 2026-03:
1. the month's recognitions (a schedule through the published cumulative totals) enter custody, each with
   a drawn gender, age band, region, detention month, articles, sentence and *due* month (end of the
   sentence; the verdict month for a sentence served outside custody);
2. the scheduled releases (published release events, assumed pardons that make up the published pardon
   totals, deaths in custody) take people out of custody, picked at random among those they fit;
3. regular releases take the people due first until the stock in custody meets the month's aim (a path
   read within 2 % of every published count in custody, `in_custody_aims`), women and men apart so that
   the share of women follows its published points. A regular release is `end_of_term` when it comes at
   most END_OF_TERM_WINDOW months before the due month (the sentence becomes the time served),
   `sentence_changed` when earlier, and `other` for people whose sentence is served outside custody.

Published figures (counts in custody, release events, pardon totals, deaths, women in custody) are read
from the figures table through api.dataset.published_targets, never copied into code; what remains here
as constants is assumed, and says so. api.dataset.calibration lists every figure the release is
calibrated to and measures each one from rows;
`dataset/demo/demo-2026-03/CALIBRATION.md` compares them. With `records`, every count (schedules,
events, aims) is scaled, giving a larger release of the same shape for benchmarks.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import itertools
import json
import random
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, Literal, TypeVar

from api.dataset import published_targets
from api.dataset.files import schema_for
from api.paths import DATASET_DIR

DEMO_RELEASE_ID = "demo-2026-03"
DEMO_SEED = 20260331
GENERATOR_NAME = "prisoners-api generate-demo"
GENERATOR_VERSION = "1"

COLUMNS = tuple(field["name"] for field in schema_for(DATASET_DIR, "cases.csv")["fields"])
"""Columns of cases.csv, in the order of dataset/schema/cases.schema.json (read from it)."""

FIRST_MONTH = "2020-05"
LAST_MONTH = "2026-03"


def month_index(month: str) -> int:
    """Months since FIRST_MONTH of a `YYYY-MM` string (0 for 2020-05)."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1 - (2020 * 12 + 4)


MONTHS = tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(2020 * 12 + 4, 2026 * 12 + 3))
"""Every month of the release, 2020-05 … 2026-03; a month index points into it."""
LAST = len(MONTHS) - 1


# --- Schedules: published figures (read from the figures table) and documented assumptions ------------------

ASSUMED_IN_CUSTODY: dict[str, int] = {"2020-05": 5, "2020-08": 40, "2020-10": 95}
"""Assumed stock in custody at the end of the first months: no count is published before the end of 2020."""

AIM_TOLERANCE: dict[str, float] = {"exact": 0.016, "about": 0.02}
"""How far the path of aims may read from a published count in custody, by qualifier. 1.6 % for an exact
count keeps the rest of the promised 2 % for rounding to whole people (half a person is 0.3 % of the
smallest count, 169); a bound (`at_least`, `more_than`) is met as a bound. 1.5 % would not do: "more than
1,395" in August 2024 and the exact 1,376 of 31 August and 1,371 of 4 September leave no room for it."""

AIM_SWEEPS = 10_000


def _count_reading(count: published_targets.PublishedCount) -> tuple[dict[int, float], float]:
    """How `published_targets.series_at` reads a count from month ends: weights by month index, and a
    constant (`series_at` = Σ weight × month end + constant)."""
    month = month_index(count.month)
    if len(count.date) == 7:
        return {month: 1.0}, 0.0
    fraction = published_targets.day_fraction(count.date)
    in_month = [e for e in published_targets.release_events() if e.month == count.month]
    before = sum(e.count for e in in_month if e.date < count.date)
    weights = {month: fraction}
    if month:
        weights[month - 1] = 1.0 - fraction
    return weights, fraction * sum(e.count for e in in_month) - before


def _count_bounds(count: published_targets.PublishedCount) -> tuple[float, float]:
    if count.qualifier in AIM_TOLERANCE:
        margin = AIM_TOLERANCE[count.qualifier] * count.value
        return count.value - margin, count.value + margin
    if count.qualifier in ("at_least", "more_than"):
        return count.value + (count.qualifier == "more_than"), float("inf")
    raise ValueError(f"{count.figure_id}: no rule for the qualifier {count.qualifier!r}")


@cache
def in_custody_aims() -> tuple[float, ...]:
    """The stock in custody aimed at the end of every month, read from the published counts.

    First guess: the stock plus the published releases so far, linear in time through every exact or
    approximate count (and ASSUMED_IN_CUSTODY), so that a pardon shows as a drop. Then the guess is moved,
    count by count, to the nearest path that `published_targets.series_at` reads within AIM_TOLERANCE of
    it (or above its bound), until every count is met; the counts of one month can disagree (1,452 on
    2023-12-31, 1,430 on 2024-01-04, 1,412 on 2024-01-15, 1,429 on 2024-01-31), and the path then sits
    between them."""
    events = published_targets.release_events()
    counts = published_targets.in_custody_counts()
    released = [float(sum(e.count for e in events if e.month <= month)) for month in MONTHS]
    anchors: dict[float, list[float]] = {}
    for month, value in ASSUMED_IN_CUSTODY.items():
        anchors.setdefault(float(month_index(month)), []).append(value + released[month_index(month)])
    for count in counts:
        if count.qualifier in AIM_TOLERANCE:
            at = month_index(count.month) - 1 + published_targets.day_fraction(count.date)
            before = sum(e.count for e in events if e.date < count.date)
            if len(count.date) == 7:
                before = int(released[month_index(count.month)])
            anchors.setdefault(at, []).append(count.value + before)
    points = sorted((at, sum(values) / len(values)) for at, values in anchors.items())
    positions = [at for at, _ in points]
    path = []
    for i in range(len(MONTHS)):
        j = bisect.bisect_left(positions, i)
        if j == 0 or j == len(points):
            with_releases = points[min(j, len(points) - 1)][1]
        else:
            (a, va), (b, vb) = points[j - 1], points[j]
            with_releases = va + (vb - va) * (i - a) / (b - a)
        path.append(with_releases - released[i])
    readings = [(count, *_count_reading(count), *_count_bounds(count)) for count in counts]
    for _ in range(AIM_SWEEPS):
        moved = False
        for _count, weights, constant, low, high in readings:
            read = sum(w * path[m] for m, w in weights.items()) + constant
            if low <= read <= high:
                continue
            # aim a hundredth of a person inside the bound, so that the sweeps end
            goal = low + 0.01 if read < low else high - 0.01
            norm = sum(w * w for w in weights.values())
            for m, w in weights.items():
                path[m] += w * (goal - read) / norm
            moved = True
        if not moved:
            return tuple(path)
    raise ValueError("no monthly path meets every published count in custody")


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
    "2024-12": 3883,  # not 3,697 (published for 2024-12-31): see CALIBRATION.md
    "2025-06": 4116,
    "2025-12": 4395,  # 512 recognized in 2025 (509 published; within 1 %)
    "2026-03": 4535,  # 4,499 by 2026-03-05, and recognitions go on
}
"""Number recognized since 2020 at the end of a month (linear in between); assumed except where noted."""

ASSUMED_WOMEN_SHARE: dict[str, float] = {"2020-05": 0.10}
"""Assumed share of women in custody in the first month; no share is published before the end of 2022."""


def women_share_aims() -> dict[str, float]:
    """Share of women among people in custody aimed at the end of a month (linear in between): every
    published count of women in custody over the total of the same date, and ASSUMED_WOMEN_SHARE."""
    aims = dict(ASSUMED_WOMEN_SHARE)
    for women, total in published_targets.women_in_custody_counts():
        aims[women.month] = women.value / total.value
    return aims


FEMALE_SHARE_BY_RECOGNITION_YEAR: dict[int, float] = {
    2020: 0.12,
    2021: 0.155,
    2022: 0.22,
    2023: 0.165,
    2024: 0.17,
    2025: 0.25,
    2026: 0.17,
}
"""Share of women among the people recognized in a year: 572 women among those recognized by 2024-05,
more in 2022 (300 women among 1,242 people convicted in 2022) and in 2025 (the published share of women
in custody rises to 14.8 % by 2025-12-23 although the pardons of 2025 free many women: 18 of 42 on
2025-05-07, 12 of 25 on 2025-09-16)."""

GENDER_UNKNOWN_SHARE = 0.0
"""The list records everyone's gender: Viasna's counts always split men and women."""

ReleaseKind = Literal[
    "end_of_term", "pardon", "pardon_expelled", "sentence_changed", "acquitted", "died_in_custody", "other"
]


@dataclass(frozen=True)
class ReleaseEvent:
    """People who leave custody in one month for one reason: `women` of them, when the source says."""

    month: str
    kind: ReleaseKind
    count: int
    women: int | None
    source: str


def published_release_events() -> tuple[ReleaseEvent, ...]:
    """Every published release (figures table, key release_event), split into who stayed and who was
    taken abroad (`published_targets.release_events`), each in its month."""
    return tuple(
        ReleaseEvent(e.month, e.kind, e.count, e.women, e.source) for e in published_targets.release_events()
    )


RELEASE_EVENTS: tuple[ReleaseEvent, ...] = published_release_events()
"""Published release events, in their months, with their sizes and kinds (from the figures table)."""

PARDON_TOTALS: tuple[str, ...] = (
    "released-pardon-2021",
    "released-pardon-2022",
    "released-pardon-2023",
    "released-pardon-2024-07-2024-09-16",
    "released-pardon-2024-07-2024-11-20",
    "released-pardon-2024-07-2025-04",
    "released-pardon-2024-07-2025-12",
)
"""Figure ids of the published pardon totals the release meets, in the order they are filled (by the end
of their periods). Pardons beyond the published events of a total's period are assumed (`assumed_pardons`).
The other pardon totals of the table disagree with these or with the events; CALIBRATION.md says which."""


def period_months(start: str, end: str) -> tuple[str, ...]:
    """The months of the release from `start` to `end` (each `YYYY`, `YYYY-MM` or `YYYY-MM-DD`)."""
    first = start[:7] if len(start) >= 7 else f"{start}-01"
    last = end[:7] if len(end) >= 7 else f"{end}-12"
    return tuple(m for m in MONTHS if first <= m <= last)


@cache
def assumed_pardons() -> dict[str, int]:
    """Pardons assumed outside the published events, by month, so that every total of PARDON_TOTALS is
    met: a total's shortfall (its value, less the published events and assumed pardons of its period) is
    spread evenly over the period's months that have neither and that no earlier total covers (an earlier
    total is met already), the earlier months taking the remainder."""
    assumed: dict[str, int] = {}
    closed = {e.month for e in RELEASE_EVENTS}
    for figure_id in PARDON_TOTALS:
        row = published_targets.figure(figure_id)
        months = period_months(row["period_start"], row["period_end"])
        counted = sum(e.count for e in RELEASE_EVENTS if e.month in months)
        counted += sum(n for m, n in assumed.items() if m in months)
        gap = int(row["value"]) - counted
        quiet = [m for m in months if m not in closed]
        closed.update(months)
        if gap < 0 or (gap and not quiet):
            raise ValueError(f"{figure_id}: {row['value']} cannot be met beside {counted} already placed")
        for i, month in enumerate(quiet):
            share = gap // len(quiet) + (i < gap % len(quiet))
            if share:
                assumed[month] = share
    return dict(sorted(assumed.items()))


ASSUMED_DEATH_MONTHS: tuple[str, ...] = ("2025-05", "2025-10")
"""Assumed months of the two deaths in custody of 2025 (deaths-in-custody-2025 gives the year only): one
by 21 May 2025, when Viasna's running total reached at least 8 (deaths-in-custody-2025-05-21), one later."""


def death_events() -> tuple[ReleaseEvent, ...]:
    """Deaths in custody: every death the figures table dates to a month, and ASSUMED_DEATH_MONTHS."""
    dated = (
        ReleaseEvent(c.month, "died_in_custody", c.value, 0, c.source)
        for c in published_targets.death_months()
    )
    assumed = (ReleaseEvent(m, "died_in_custody", 1, 0, "assumed month") for m in ASSUMED_DEATH_MONTHS)
    return tuple(sorted((*dated, *assumed), key=lambda e: e.month))


def scheduled_releases(scale: float = 1.0) -> tuple[ReleaseEvent, ...]:
    """Every scheduled release: published events, assumed pardons, deaths in custody, each count times
    `scale`. The assumed pardons are scaled on their running total, so that many small ones (one a month
    in 2022) do not lose their sum to rounding."""
    events = (*RELEASE_EVENTS, *death_events())
    scaled = [
        ReleaseEvent(
            e.month,
            e.kind,
            round(e.count * scale),
            None if e.women is None else round(e.women * scale),
            e.source,
        )
        for e in events
    ]
    running = 0
    for month, count in assumed_pardons().items():
        before, running = running, running + count
        scaled.append(
            ReleaseEvent(month, "pardon", round(running * scale) - round(before * scale), None, "assumed")
        )
    return tuple(scaled)


# --- Attributes of a case: assumed distributions shaped by the notes ----------------------------------------


@dataclass(frozen=True)
class ArticleProfile:
    """How an article is sentenced: share of prison sentences; prison months (low, median, high)."""

    prison_share: float
    months: tuple[int, int, int]
    companions: tuple[str, ...]


# fmt: off
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
"""Every article code of the reference table with an assumed sentencing profile. The medians are drawn;
ends of term then set the sentence to the time served, which the stock path lengthens a little."""

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
"""Primary article by year of detention (a missing year takes the one before), from the notes' most-used
articles: 342 dominant in 2020–2021; 342, 369, 368 in 2022; 361-1 rising later."""

REGION_SHARES_BY_DETENTION_YEAR: dict[int, dict[str, float]] = {
    2020: {"BY-HM": 40, "BY-BR": 14, "BY-HO": 13, "BY-HR": 12, "BY-MI": 9, "BY-MA": 6, "BY-VI": 6},
    2022: {"BY-HM": 542, "BY-BR": 166, "BY-HO": 166, "BY-HR": 135, "BY-MI": 100, "BY-MA": 68, "BY-VI": 65},
    2023: {"BY-HM": 57, "BY-BR": 10, "BY-HO": 10, "BY-HR": 8, "BY-MI": 7, "BY-MA": 4, "BY-VI": 4},
}
"""Region by year of detention (a missing year takes the one before): 2022 is Viasna's count of convictions
by region; 2023 reads the 57 % "in Minsk" as Minsk city; 2020 is assumed."""

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

PRISON_FACTOR_BY_DETENTION_YEAR: dict[int, float] = {
    2020: 0.6, 2021: 0.95, 2022: 1.0, 2023: 1.05, 2024: 1.3, 2025: 1.6,
}
"""Scales the articles' prison shares by year of detention: in 2020, 45 of at least 103 sentences were
imprisonment (spring96.org/en/news/101216); later, recognition went with imprisonment more often. By
2024–2025 nearly everyone recognized is imprisoned: 509 recognized, 342 pardoned, at least 300 released
at the end of their terms in 2025 and a stock falling by about 150 leave little room for other releases."""
# fmt: on

REGION_UNKNOWN_SHARE = 0.02
RESTRICTED_IN_FACILITY_SHARE = 0.7
"""Share of restricted-freedom sentences served in an open-type facility, in custody to the end of term."""
ACQUITTED_SHARE_OF_OTHER = 0.05
"""Share of `other` outcomes that are acquittals."""
WOMEN_SENTENCE_FACTOR = 0.85
WOMEN_PRISON_FACTOR = 0.8
PENDING_BY_MONTHS_SINCE_DETENTION = (0.8, 0.7, 0.5, 0.3, 0.15, 0.05)
"""Chance that a person in custody at the last month still awaits trial, by months since detention."""
END_OF_TERM_WINDOW = 6
"""A regular release at most this many months before the due month is an end of term, with the sentence
set to the time served: the drawn length is a proposal that the stock path adjusts."""
SENTENCE_SPREAD = 0.45
"""Sigma of the log-normal sentence lengths around an article's median."""


# --- Random helpers -----------------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class WeightedChoice(Generic[K]):
    """Draws keys of a weight table. A balanced choice keeps every key within one of its expected count,
    so that small groups (2022 regions, women) meet their shares closely."""

    def __init__(self, weights: Mapping[K, float], balanced: bool = False) -> None:
        total = float(sum(weights.values()))
        self.keys = list(weights)
        self.shares = [w / total for w in weights.values()]
        self.cumulative = [sum(self.shares[: i + 1]) for i in range(len(self.shares))]
        self.counts = [0] * len(self.keys)
        self.drawn = 0
        self.balanced = balanced

    def draw(self, rng: random.Random) -> K:
        """One key; a balanced choice redraws a key drawn more than one over its expected count."""
        last = len(self.keys) - 1
        while True:
            i = min(bisect.bisect_right(self.cumulative, rng.random()), last)
            if not self.balanced or self.counts[i] < self.shares[i] * (self.drawn + 1) + 1:
                break
        self.counts[i] += 1
        self.drawn += 1
        return self.keys[i]


def by_year(table: Mapping[int, V], year: int) -> V:
    """The entry of `table` for `year`, or for the latest year before it (the first one before them all)."""
    earlier = [y for y in table if y <= year]
    return table[max(earlier) if earlier else min(table)]


def bounded_lognormal(rng: random.Random, low: int, median: float, high: int) -> int:
    """Whole months from a log-normal around `median`, clamped to [low, high]."""
    return max(low, min(high, round(rng.lognormvariate(0.0, SENTENCE_SPREAD) * median)))


_MASK = (1 << 62) - 1
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def case_id(sequence: int, key: int) -> str:
    """Opaque 12-character id: a keyed bijection of the sequence number on 62 bits, written in base 36.

    Being a bijection keeps the ids unique without remembering them; the key comes from the seed.
    """
    x = (sequence + key) & _MASK
    x ^= x >> 31
    x = (x * 0x2545F4914F6CDD1D) & _MASK
    x ^= x >> 29
    x = (x * 0x1CE4E5B9BF58476D) & _MASK
    x ^= x >> 32
    digits = []
    for _ in range(12):
        x, digit = divmod(x, 36)
        digits.append(_ALPHABET[digit])
    return "".join(digits)


# --- Plan: the monthly schedules of one release -------------------------------------------------------------


def interpolate(aims: Mapping[str, float]) -> list[float]:
    """Value of every month, linear between month → value aims (from 0 in the month before the first)."""
    points = [(-1, 0.0), *sorted((month_index(m), float(v)) for m, v in aims.items())]
    positions = [p for p, _ in points]
    values = []
    for i in range(len(MONTHS)):
        j = min(bisect.bisect_left(positions, i), len(points) - 1)
        (a, va), (b, vb) = points[j - 1], points[j]
        values.append(vb if i >= b else va + (vb - va) * (i - a) / (b - a))
    return values


@dataclass(frozen=True)
class Plan:
    """Monthly schedules of one release: recognitions, stock aims, and scheduled releases by month."""

    recognitions: list[int]
    stock: list[int]
    women_stock: list[int]
    releases: dict[int, list[ReleaseEvent]]


def make_plan(records: int | None = None) -> Plan:
    """The calibrated plan, or one with every count scaled so that the release has `records` rows."""
    cumulative = interpolate(RECOGNIZED_AIMS)
    scale = 1.0 if records is None else records / cumulative[-1]
    recognized = [0] + [round(c * scale) for c in cumulative]
    releases: dict[int, list[ReleaseEvent]] = {}
    for event in scheduled_releases(scale):
        releases.setdefault(month_index(event.month), []).append(event)
    stock = [round(aim * scale) for aim in in_custody_aims()]
    women = [round(s * w) for s, w in zip(stock, interpolate(women_share_aims()), strict=True)]
    return Plan([b - a for a, b in itertools.pairwise(recognized)], stock, women, releases)


# --- Simulation ---------------------------------------------------------------------------------------------


class Case:
    """One generated person while a release is simulated (months are indexes into MONTHS)."""

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

    def row(self, key: int) -> list[str]:
        """The cases.csv fields of the case, in COLUMNS order."""
        return [
            case_id(self.seq, key),
            self.gender,
            self.age_band,
            self.region,
            MONTHS[self.detained],
            MONTHS[self.recognized],
            ";".join(self.articles),
            self.kind,
            "" if self.months is None else str(self.months),
            "" if self.released is None else MONTHS[self.released],
            self.release_kind,
        ]


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
        """Takes a case out of the list (its heap entry is skipped later)."""
        last = self.live.pop()
        if last is not case:
            self.live[case.slot] = last
            last.slot = case.slot
        case.slot = -1

    def pop_due(self) -> Case:
        """Takes out the case whose due month comes first."""
        while True:
            case = heapq.heappop(self.heap)[2]
            if case.slot >= 0:
                self.remove(case)
                return case

    def pick(self, rng: random.Random, fits: Callable[[Case], bool]) -> Case:
        """Takes out a random case that `fits` (any case after 200 misses)."""
        for _ in range(200):
            case = self.live[rng.randrange(len(self.live))]
            if fits(case):
                break
        self.remove(case)
        return case


class Newcomers:
    """Draws the people recognized in a month."""

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
        """A case recognized in `month`, detained early enough to be in custody then."""
        case = Case(seq, self.gender[int(MONTHS[month][:4])].draw(rng), month)
        case.age_band = self.age.draw(rng)
        detained = max(0, month - self.lag.draw(rng))
        detention_year = int(MONTHS[detained][:4])
        case.articles = self.draw_articles(rng, detention_year)
        duration = self.draw_sentence(rng, case, detention_year)
        case.detained = max(detained, month - duration)
        case.due = case.detained + duration
        if rng.random() >= REGION_UNKNOWN_SHARE:
            case.region = by_year(self.regions, int(MONTHS[case.detained][:4])).draw(rng)
        return case

    def draw_articles(self, rng: random.Random, year: int) -> list[str]:
        """A primary article by year of detention, then up to two of its companions."""
        articles = [by_year(self.articles, year).draw(rng)]
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
        prison_share = max(ARTICLES[a].prison_share for a in case.articles)
        prison_share *= by_year(PRISON_FACTOR_BY_DETENTION_YEAR, detention_year)
        if rng.random() < prison_share * (WOMEN_PRISON_FACTOR if female else 1.0):
            low, median, high = ARTICLES[max(case.articles, key=lambda a: ARTICLES[a].months[1])].months
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
        if case.kind == "other" and rng.random() < ACQUITTED_SHARE_OF_OTHER:
            case.release_kind = "acquitted"
        return rng.randint(12, 48) if case.custodial else verdict


def simulate(plan: Plan, rng: random.Random) -> Iterator[Case]:
    """Every case of a release: released ones as they leave custody, then those still in custody."""
    women, others = Custody(), Custody()
    newcomers = Newcomers()
    seq = 0
    for month in range(len(MONTHS)):
        for _ in range(plan.recognitions[month]):
            case = newcomers.draw(rng, seq, month)
            seq += 1
            (women if case.gender == "female" else others).add(case)
        for event in plan.releases.get(month, ()):
            yield from scheduled_release(event, month, women, others, rng)
        yield from regular_releases(month, plan, women, others)
    for case in sorted(women.live + others.live, key=lambda c: c.seq):
        yield keep_in_custody(case, rng)


def scheduled_release(
    event: ReleaseEvent, month: int, women: Custody, others: Custody, rng: random.Random
) -> Iterator[Case]:
    """The people released by one event, picked at random among those in custody whom it fits."""

    def fits(case: Case) -> bool:
        if event.kind == "died_in_custody":
            return case.kind == "prison" and case.age_band in ("45_54", "55_64", "65_plus")
        remaining = 24 if event.kind == "pardon_expelled" else 2
        return case.custodial and case.kind != "compulsory_treatment" and case.due >= month + remaining

    for i in range(event.count):
        if event.women is not None:
            female = i < event.women
        else:
            female = rng.random() * (len(women) + len(others)) < len(women)
        pool = women if (female and len(women)) or not len(others) else others
        if not len(pool):
            return
        case = pool.pick(rng, fits)
        case.released, case.release_kind = month, event.kind
        if case.months is not None:
            case.months = max(case.months, month - case.detained + 1)
        yield case


def regular_releases(month: int, plan: Plan, women: Custody, others: Custody) -> Iterator[Case]:
    """Releases of the people due first, until the stock and the stock of women meet their aims."""
    total = len(women) + len(others) - plan.stock[month]
    from_women = max(0, min(total, len(women) - plan.women_stock[month]))
    for pool, count in ((women, from_women), (others, min(total - from_women, len(others)))):
        for _ in range(count):
            yield settle_release(pool.pop_due(), month)


def settle_release(case: Case, month: int) -> Case:
    """Sets the kind of a regular release from the due month, and the sentence of an end of term."""
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
    """A case in custody at the last month: awaiting trial when detained recently, else serving a term
    that ends after the last month."""
    case.release_kind = ""
    since = LAST - case.detained
    pending = PENDING_BY_MONTHS_SINCE_DETENTION
    if since < len(pending) and rng.random() < pending[since]:
        case.kind, case.months = "pending", None
    elif not case.custodial:  # held past a verdict without custody: serve it as a prison term instead
        case.kind, case.custodial = "prison", True
        case.months = max(case.months or 0, since + 1)
    elif case.months is not None:
        case.months = max(case.months, since + 1)
    return case


# --- Rows and files -----------------------------------------------------------------------------------------


def iter_case_rows(seed: int = DEMO_SEED, records: int | None = None) -> Iterator[list[str]]:
    """Rows of a demonstration release as lists of strings in COLUMNS order, streamed."""
    rng = random.Random(seed)
    key = rng.getrandbits(62)
    for case in simulate(make_plan(records), rng):
        yield case.row(key)


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
            "Synthetic record-level cases made by a seeded program so that their aggregates match figures "
            "published by Human Rights Centre Viasna and the press: the monthly number in custody, "
            "recognitions, pardons and expulsions, deaths in custody, the share of women, the most-used "
            "articles and the regions of 2022 convictions. No row describes a real person. CALIBRATION.md "
            "compares every published figure with the generated one."
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
    """Writes cases.csv (streamed row by row) and release.json of a demonstration release into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in iter_case_rows(seed, records):
            writer.writerow(row)
            count += 1
    metadata = json.dumps(release_metadata(release_id, seed, count), ensure_ascii=False, indent=2)
    (out_dir / "release.json").write_text(metadata + "\n", encoding="utf-8")
    return out_dir
