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
            name="in-custody",
            statistic="in-custody",
            shape="lines",
            spec=replace(SPECS["in-custody"], by_allowed=("gender", "age_band", "region", "sentence_kind")),
        ),
        Chart(name="flows", statistic="flows", shape="flows", spec=SPECS["flows"]),
        Chart(
            name="sentences",
            statistic="sentences",
            shape="columns",
            spec=replace(SPECS["sentences"], by_allowed=("gender", "age_band")),
        ),
        Chart(
            name="held-before-release",
            statistic="held-before-release",
            shape="columns",
            spec=replace(SPECS["held-before-release"], by_allowed=("gender", "age_band", "release_kind")),
        ),
        Chart(
            name="breakdown",
            statistic="breakdown",
            shape="bars",
            spec=replace(SPECS["breakdown"], by_allowed=DIMENSION_NAMES),
            default_by=("region", "age_band", "gender"),
        ),
        Chart(
            name="releases-by-kind",
            statistic="breakdown",
            shape="bars",
            # One split is the chart itself, so one filter is left (two dimensions at most); it counts
            # the people released, by how (a population would only repeat or contradict that).
            spec=replace(
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
