"""`prisoners-api review <release>`: what a release would publish, before its migration is committed.

The release under review and the earlier ones (record-level, private) are loaded into a throwaway SQLite
workspace; the report
shows the headline figures then and now, the cases added, removed and released since the previous
release, and how many cells the disclosure policy suppresses in each standard table. It is computed by
the code that serves the API, so it prints only what the API would publish: aggregates, protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from api.dataset import files
from api.publication.workspace import workspace
from api.query import StatQuery
from api.records.changes import case_changes
from api.records.statistics import RecordStatistics
from api.settings import Settings
from api.stats.dimensions import DIMENSION_NAMES
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult, Value
from api.stats.service import StatisticsService
from api.stats.tables import HEADLINE_ROWS

SERIES = ("summary", "in-custody", "flows", "sentences", "held-before-release", "time-in-custody")


def review_report(settings: Settings, records: Path, earlier: Sequence[Path] = ()) -> str:
    """The review of the record-level release folder `records`, after the `earlier` ones, as text."""
    with workspace(settings, [*earlier, records]) as (engine, scratch):
        service = RecordStatistics(engine, scratch)
        info = service.release(files.read_release_metadata(records, settings.dataset_dir).id)
        return "\n".join([*_changes(service, info), "", *_suppression(service, info)])


def _show(value: Value, suppressed: bool = False) -> str:
    return "suppressed" if suppressed or value is None else str(value)


def _headlines(service: StatisticsService, info: ReleaseInfo) -> dict[str, str]:
    result = service.compute("summary", StatQuery(release=info.id), info)
    return {
        f"{row['measure']}_{row['category']}": _show(row["value"], row["suppressed"] is True)
        for row in result.rows
        if (row["measure"], row.get("category")) in HEADLINE_ROWS
    }


def _changes(service: StatisticsService, info: ReleaseInfo) -> list[str]:
    kind = "synthetic" if info.synthetic else "real"
    lines = [f"release {info.id}: {info.case_count} cases, as of {info.valid_as_of}, {kind}"]
    previous = service.catalog.previous(info)
    if previous is None:
        return [*lines, "previous release: none (the first release)"]
    now, then = _headlines(service, info), _headlines(service, previous)
    lines += [f"previous release: {previous.id}, as of {previous.valid_as_of}", ""]
    lines.append(f"{'headline figure':<24}{previous.id:>16}{info.id:>16}")
    lines += [f"{name:<24}{then.get(name, '-'):>16}{value:>16}" for name, value in now.items()]
    with service.engine.connect() as connection:
        changes = case_changes(connection, info.id, previous.id, service.settings.suppression_threshold)
    lines += ["", f"cases since {previous.id}"]
    for row in changes.rows:
        lines.append(f"  {row['measure']:<22}{_show(row['value'], row['suppressed'] is True):>16}")
    return lines


def _suppression(service: StatisticsService, info: ReleaseInfo) -> list[str]:
    settings = service.settings
    lines = [
        f"suppression (threshold k={settings.suppression_threshold}, "
        f"quantiles need groups of {settings.min_group_size})",
        f"  {'table':<40}{'rows':>8}{'suppressed cells':>18}",
    ]

    def table(name: str, statistic: str, by: tuple[str, ...] = ()) -> StatResult:
        result = service.compute(statistic, StatQuery(release=info.id, by=by), info)
        lines.append(f"  {name:<40}{len(result.rows):>8}{result.suppressed_cells:>18}")
        return result

    for statistic in SERIES:
        table(statistic, statistic)
    for dimension in DIMENSION_NAMES:
        table(f"breakdown by {dimension}", "breakdown", (dimension,))
    pairs = list(combinations(DIMENSION_NAMES, 2))
    rows = suppressed = 0
    for pair in pairs:
        result = service.compute("breakdown", StatQuery(release=info.id, by=pair), info)
        rows, suppressed = rows + len(result.rows), suppressed + result.suppressed_cells
    lines.append(f"  {f'breakdowns by two dimensions ({len(pairs)})':<40}{rows:>8}{suppressed:>18}")
    return lines
