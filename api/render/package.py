"""A Frictionless Data Package descriptor (`datapackage.json`) for the CSV files of one release.

Each CSV gets a resource with its Table Schema, size and SHA-256, so `frictionless validate` checks
every cell's type and every file's integrity. Types follow the columns the statistics publish:
counts are integers, flags booleans (`true`/`false`), months `yearmonth`, dimension codes strings
limited to their levels.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from api.stats.releases import SYNTHETIC_LABEL, ReleaseInfo
from api.table import TOTAL

PACKAGE_NAME = "political-prisoners-belarus"
KEYWORDS = ("Belarus", "political prisoners", "human rights", "repression", "Viasna", "statistics")
_BOOLEAN = {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
_DESCRIPTIONS = {
    "month": "Month, YYYY-MM. A count in custody is the number at the end of the month.",
    "count": "Number of people. Empty when suppressed.",
    "suppressed": "true when the count is hidden to protect the people behind a small number.",
    "recognized": "People recognized as political prisoners in the month. Empty when suppressed.",
    "measure": "What the row measures.",
    "category": "Part of the measure (`total` for all).",
    "value": "The figure: a number of people, or a length in months for sentence statistics. "
    "Empty when suppressed or withheld.",
    "withheld_reason": "Why a statistic of lengths is not published (the group is too small or its size "
    "hidden, it depends on a suppressed band or falls in the open top band; the mean never is).",
    "bin_months": "Band of sentence lengths in months, both ends included.",
    "statistic": "n (size of the group), p10, p25, median, p75, p90 (read off the published histogram) "
    "or mean (not published), in months.",
    "release": "Dataset release the row comes from.",
    "as_of": "Date the data is valid for.",
    "synthetic": "true when the release is demonstration data, not real records.",
    "data_note": "What the synthetic label means.",
    "event": "What happened in the month: `recognized` (recognized as a political prisoner) or `released` "
    "(left custody).",
    "event_label": "English label of the event.",
    "kind": "How people were released (a code of release kind; `total`: all of them, only when totals are "
    "asked). Empty for recognitions.",
    "kind_label": "English label of the kind of release.",
    "share": "count divided by the total of the population the table counts (for the summary, by the "
    "total of its measure; for a monthly series, by the month's total), rounded to 3 decimals. Empty when "
    "the count or the total is hidden.",
}
_EVENTS = ("recognized", "released")
_TIME_IN_CUSTODY = {
    "year": "Calendar year (time in custody) or year of detention (people in custody now).",
    "person_years": "Person-years spent in custody in the year: the month-end counts in custody summed and "
    "divided by 12, 1 decimal. Empty when a monthly count it sums is hidden.",
    "person_years_suppressed": "true when person_years is hidden (a monthly count it sums is hidden).",
    "months": "Months of the year counted (from the first recognition; up to the as-of date).",
    "in_custody_detained": "People in custody on the as-of date who were detained in the year. Empty "
    "when suppressed.",
    "in_custody_detained_suppressed": "true when in_custody_detained is hidden.",
    "held_months_from": "Whole months from the end of the year of detention to the as-of date: the "
    "least time they have been held.",
    "held_months_to": "Whole months from the start of the year of detention to the as-of date: the most "
    "time they have been held.",
}
_DESCRIPTIONS |= _TIME_IN_CUSTODY
_COUNTS = {"count", "recognized", "months", "in_custody_detained", "held_months_from", "held_months_to"}
"""Columns of whole numbers from 0 (people, or months)."""


def field(name: str, levels: Mapping[str, Sequence[str]], decimal_char: str = ".") -> dict[str, Any]:
    """The Table Schema field of one published CSV column; `decimal_char` is how its numbers (the
    `number` fields) write decimals."""
    spec: dict[str, Any] = {"name": name}
    if name == "month":
        spec["type"] = "yearmonth"
    elif name == "as_of":
        spec["type"] = "date"
    elif name in {"suppressed", "synthetic"} or name.endswith("_suppressed"):
        spec |= _BOOLEAN
    elif name in _COUNTS or name.startswith("released_"):
        spec |= {"type": "integer", "constraints": {"minimum": 0}}
    elif name in {"value", "share", "person_years"}:
        spec["type"] = "number"
        if decimal_char != ".":
            spec["decimalChar"] = decimal_char
    else:
        spec["type"] = "string"
    if name == "event":
        spec["constraints"] = {"required": True, "enum": list(_EVENTS)}
    elif name == "kind" and "release_kind" in levels:
        spec["constraints"] = {"enum": [*levels["release_kind"], TOTAL]}
    if name in levels:
        spec["constraints"] = {"required": True, "enum": [*levels[name], TOTAL]}
        spec["description"] = f"Code of {name.replace('_', ' ')} (`total`: all of them)."
    elif name.endswith("_label") and name.removesuffix("_label") in levels:
        spec["description"] = f"English label of {name.removesuffix('_label').replace('_', ' ')}."
    elif name.endswith("_suppressed"):
        spec["description"] = f"true when {name.removesuffix('_suppressed')} is hidden."
    elif name.startswith("released_"):
        kind = name.removeprefix("released_").replace("_", " ")
        spec["description"] = f"People released in the month ({kind}). Empty when suppressed."
    elif name in _DESCRIPTIONS:
        spec["description"] = _DESCRIPTIONS[name]
    return spec


def table_schema(
    columns: Sequence[str], levels: Mapping[str, Sequence[str]], decimal_char: str = "."
) -> dict[str, Any]:
    return {"fields": [field(name, levels, decimal_char) for name in columns], "missingValues": [""]}


def synthetic_note(release: ReleaseInfo) -> str:
    return f"SYNTHETIC: {release.synthetic_note or SYNTHETIC_LABEL} " if release.synthetic else ""


def resource(
    name: str,
    path: str,
    title: str,
    description: str,
    data: bytes,
    schema: dict[str, Any],
    delimiter: str = ",",
) -> dict[str, Any]:
    """One CSV resource: where it is, what it holds, how it is written (its CSV dialect), and how to
    check it."""
    return {
        "name": name,
        "path": path,
        "title": title,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "dialect": {"delimiter": delimiter, "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def descriptor(
    release: ReleaseInfo, resources: list[dict[str, Any]], threshold: int, min_group: int
) -> dict[str, Any]:
    """The package: provenance of the release, licence, disclosure policy, and its resources."""
    licence = release.metadata.get("licence", {})
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"Political prisoners in Belarus: aggregate statistics, release {release.id}"
        + (" (SYNTHETIC demonstration data)" if release.synthetic else ""),
        "description": synthetic_note(release)
        + "Anonymized, disclosure-controlled aggregate tables on people recognized as political prisoners "
        "in Belarus, computed from one dataset release, and the published-figures table with citations. "
        "No record-level data. See README.md.",
        "version": release.id,
        "created": f"{release.published.isoformat()}T00:00:00Z",
        "synthetic": release.synthetic,
    }
    if release.synthetic:
        package["synthetic_note"] = release.synthetic_note or SYNTHETIC_LABEL
    package |= {
        "valid_as_of": release.valid_as_of.isoformat(),
        "citation": release.citation(),
        "disclosure_control": {
            "threshold": threshold,
            "min_group_size": min_group,
            "rule": f"Counts from 1 to {threshold - 1} are suppressed, with secondary suppression so that "
            f"no hidden count can be recovered from totals; medians and quantiles are read off the "
            f"published histogram and need at least {min_group} people; means are not published.",
        },
        "keywords": list(KEYWORDS),
        "licenses": [
            {
                "name": licence.get("name", release.licence_name),
                "path": licence.get("path", release.licence_url),
                "title": licence.get("title", release.licence_name),
            }
        ],
        "sources": release.sources,
        "contributors": list(release.metadata.get("contributors", [])),
        "resources": resources,
    }
    return package


def to_json(package: dict[str, Any]) -> bytes:
    """Stable bytes: keys keep their order, two-space indent, final newline."""
    return orjson.dumps(package, option=orjson.OPT_INDENT_2) + b"\n"
