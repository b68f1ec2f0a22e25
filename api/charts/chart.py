"""The named charts (`CHARTS`): which statistic each draws, which parameters it takes, and how it is drawn.

A chart takes the parameters of its statistic (the same `QuerySpec`, narrowed where a split would
make an unreadable chart), so `/v1/charts/breakdown.svg?by=region` draws exactly the cells of
`/v1/stats/breakdown?by=region`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from api.query import SPECS, QuerySpec
from api.stats.dimensions import DIMENSION_NAMES, FILTER_NAMES

Shape = Literal["lines", "flows", "columns", "bars", "timeline", "events"]
"""How a chart is drawn: monthly lines; monthly stacked bars with a line; vertical or horizontal bars;
published figures as points in time, or as one bar per release event (`api.charts.published`)."""


@dataclass(frozen=True)
class Chart:
    """One of the named charts (`CHARTS`)."""

    name: str
    statistic: str
    shape: Shape
    spec: QuerySpec
    default_by: tuple[str, ...] = ()
    """Splits tried in order when the request names none (the first one the filters leave free)."""
    fixed_by: tuple[str, ...] = ()
    """A split the chart always has (it is the chart), e.g. release_kind for releases-by-kind."""


CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in (
        Chart(
            "in-custody",
            "in-custody",
            "lines",
            replace(SPECS["in-custody"], by_allowed=("gender", "age_band", "region", "sentence_kind")),
        ),
        Chart("flows", "flows", "flows", SPECS["flows"]),
        Chart(
            "sentences",
            "sentences",
            "columns",
            replace(SPECS["sentences"], by_allowed=("gender", "age_band")),
        ),
        Chart(
            "held-before-release",
            "held-before-release",
            "columns",
            replace(SPECS["held-before-release"], by_allowed=("gender", "age_band", "release_kind")),
        ),
        Chart(
            "breakdown",
            "breakdown",
            "bars",
            replace(SPECS["breakdown"], by_allowed=DIMENSION_NAMES),
            default_by=("region", "age_band", "gender"),
        ),
        Chart(
            "releases-by-kind",
            "breakdown",
            "bars",
            # One split is the chart itself, so one filter is left (two dimensions at most); it counts
            # the people released, by how (a population would only repeat or contradict that).
            replace(
                SPECS["breakdown"],
                filters=FILTER_NAMES,
                by_allowed=(),
                max_by=0,
                inherent_dimensions=1,
                populations=False,
            ),
            fixed_by=("release_kind",),
        ),
    )
}
