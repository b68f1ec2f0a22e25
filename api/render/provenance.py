"""The provenance every representation carries: release, date, sources, licence, suppression."""

from __future__ import annotations

from typing import Any

from api.stats.releases import SYNTHETIC_LABEL, ReleaseInfo
from api.stats.result import StatResult


def meta(release: ReleaseInfo, result: StatResult | None, threshold: int, min_group: int) -> dict[str, Any]:
    """The `meta` object of a JSON response."""
    body: dict[str, Any] = {
        "release": release.id,
        "as_of": release.valid_as_of.isoformat(),
        "synthetic": release.synthetic,
    }
    if release.synthetic:
        body["synthetic_note"] = release.synthetic_note or SYNTHETIC_LABEL
    body |= {
        "title": release.title,
        "sources": release.sources,
        "licence": {"name": release.licence_name, "url": release.licence_url},
        "citation": release.citation(),
        "threshold": threshold,
        "min_group_size": min_group,
    }
    if result is not None:
        body["suppressed_cells"] = result.suppressed_cells
        body["notes"] = list(result.notes)
    return body


def csv_provenance_columns(release: ReleaseInfo) -> dict[str, str]:
    """Columns appended to every CSV row, so a row copied alone still says where it comes from."""
    columns = {
        "release": release.id,
        "as_of": release.valid_as_of.isoformat(),
        "synthetic": "true" if release.synthetic else "false",
    }
    if release.synthetic:
        columns["data_note"] = release.synthetic_note or SYNTHETIC_LABEL
    return columns
