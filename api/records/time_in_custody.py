"""Time in custody: person-years spent in custody in each calendar year, and how long the people in
custody now have been held, by the year they were detained.

Both are read off the monthly series in custody of the same release, after its protection (the series
as asked, and its split by year of detention): they tell nothing the series does not, and a figure is
empty (`suppressed`) wherever a count it is read from is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from api.stats.months import month_index
from api.stats.result import StatResult, Value
from api.table import TOTAL

NOTES = (
    "person_years: the people in custody as recognized political prisoners at the end of each month of "
    "the year, summed and divided by 12 (the first year counts from the first recognition, the as-of year "
    "up to the as-of date: `months` says how many months; time held before recognition is not counted). "
    "Empty when a monthly count it sums is hidden (person_years_suppressed), or when no month of the year "
    "is counted (months 0: a year of detention before the first recognition).",
    "in_custody_detained (only without a dimension): the people in custody on the as-of date who were "
    "detained in that year; held without a break since, they have been held from held_months_from to "
    "held_months_to whole months (from the end, and from the start, of the year of detention to the "
    "as-of date).",
)
PERSON_YEARS = ("person_years", "person_years_suppressed", "months")
HELD = ("in_custody_detained", "in_custody_detained_suppressed", "held_months_from", "held_months_to")
COLUMNS = (*PERSON_YEARS, *HELD)


def time_in_custody(series: StatResult, by_year: StatResult | None, as_of: date) -> StatResult:
    """Person-years by year from the protected monthly `series` (split by its one dimension, if any),
    and with `by_year` (the series by year of detention) the people in custody now by that year."""
    split = series.dimensions[0] if series.dimensions else None
    as_of_month = as_of.strftime("%Y-%m")
    months: dict[tuple[str, str], list[Value]] = defaultdict(list)
    for point in series.rows:
        months[(str(point["month"])[:4], str(point[split]) if split else TOTAL)].append(point["count"])
    now = {
        str(point["year_detained"]): point
        for point in (by_year.rows if by_year else ())
        if point["month"] == as_of_month and point["year_detained"] != TOTAL
    }
    years = sorted({year for year, _ in months} | set(now))
    # The series' own order of levels, its total last.
    groups = sorted(dict.fromkeys(group for _, group in months), key=lambda group: group == TOTAL)
    last = month_index(as_of_month)
    # Whole months: someone detained on the last day of a year has held one fewer full month by an
    # as-of date inside a month than by its end.
    short = 0 if (as_of + timedelta(days=1)).day == 1 else 1
    rows: list[dict[str, Value]] = []
    for year in years:
        for group in groups:
            counts = months.get((year, group), [])
            hidden = any(count is None for count in counts)
            row: dict[str, Value] = {
                "year": year,
                **({split: group} if split else {}),
                "person_years": round(sum(int(c or 0) for c in counts) / 12, 1)
                if counts and not hidden
                else None,
                "person_years_suppressed": hidden,
                "months": len(counts),
            }
            if by_year is not None:
                if year not in now:
                    raise ValueError(f"year {year} has no count in the series by year of detention")
                held = now[year]
                row |= {
                    "in_custody_detained": held["count"],
                    "in_custody_detained_suppressed": bool(held["suppressed"]),
                    "held_months_from": max(last - month_index(f"{year}-12") - short, 0),
                    "held_months_to": last - month_index(f"{year}-01") + 1,
                }
            rows.append(row)
    columns = (*PERSON_YEARS, *(HELD if by_year is not None else ()))
    return StatResult(
        columns=("year", *((split,) if split else ()), *columns),
        dimensions=(split,) if split else (),
        rows=tuple(rows),
        suppressed_cells=sum(bool(row.get(c)) for row in rows for c in columns if c.endswith("_suppressed")),
        notes=NOTES,
    )
