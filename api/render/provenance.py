"""The provenance every representation carries: release, date, sources, licence, suppression."""

from __future__ import annotations

from typing import Any

from api.labels import Lang
from api.stats.releases import SYNTHETIC_LABEL, ReleaseInfo
from api.stats.result import StatResult, Value
from api.translations import text


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


def synthetic_label(release: ReleaseInfo, lang: Lang) -> str | None:
    """The demonstration-data label of a synthetic release, in `lang` (None for real data)."""
    if not release.synthetic:
        return None
    return release.synthetic_note if lang == "en" and release.synthetic_note else text("synthetic", lang)


def csv_provenance_columns(release: ReleaseInfo, lang: Lang = "en") -> dict[str, Value]:
    """Columns appended to every CSV row, so a row copied alone still says where it comes from."""
    columns: dict[str, Value] = {
        "release": release.id,
        "as_of": release.valid_as_of.isoformat(),
        "synthetic": release.synthetic,
    }
    label = synthetic_label(release, lang)
    if label:
        columns["data_note"] = label
    return columns


def about_rows(
    release: ReleaseInfo, result: StatResult, threshold: int, min_group: int, lang: Lang, url: str
) -> list[tuple[str, str]]:
    """What a spreadsheet's `about` sheet says of one table: (field, text) rows, the demonstration mark
    first."""
    label = synthetic_label(release, lang)
    rows = [("DEMONSTRATION DATA", label)] if label else []
    rows += [
        ("title", release.title),
        ("release", release.id),
        ("data as of", release.valid_as_of.isoformat()),
        ("published", release.published.isoformat()),
        *(("source", f"{s.get('title', '')} — {s.get('path', '')}".strip(" —")) for s in release.sources),
        ("licence", f"{release.licence_name} — {release.licence_url}"),
        ("citation", release.citation()),
        (
            "disclosure control",
            f"Counts of 1 to {threshold - 1} people are hidden (an empty cell with `suppressed` true), and "
            "so is any count that would reveal one by subtraction: hidden values are gaps, not zeros. "
            f"Quantiles are published for groups of at least {min_group} people.",
        ),
        ("hidden cells", str(result.suppressed_cells)),
        *(("note", note) for note in result.notes),
        ("API", url),
    ]
    return rows
