"""The human-readable files of a download: README.md and CITATION.cff."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from api.stats.releases import SYNTHETIC_LABEL, ReleaseInfo

DATASET_TITLE = "Political prisoners in Belarus open data"
FALLBACK_AUTHOR = "Political prisoners in Belarus open data maintainers"


@dataclass(frozen=True)
class FileEntry:
    """A file of the download as the README lists it."""

    path: str
    description: str


DEFINITIONS = (
    "**In custody** at the end of a month: recognized as a political prisoner in or before that month "
    "and not released before the end of it. Months, not days: a count at the end of a month can differ "
    "from a published count for a day of that month.",
    "**Parts, not totals**: the rows of a table are its parts only, so a sum or a pivot counts everyone "
    "once; the API gives the margins as rows whose dimension is `total` with `totals=true`. Tables by "
    "criminal-code article have no total: a person charged under several articles counts under each.",
    "**Share**: in breakdowns and the summary, the count divided by the total of the people the table "
    "counts (the summary: by the total of its measure), rounded to 3 decimals; empty when the count or "
    "the total is hidden.",
    "**Flows** come in long rows: `month`, `event` (`recognized` or `released`), `kind` (how people were "
    "released; empty for recognitions), `count`, `suppressed`. **Sentence lengths** are two tables: the "
    "histogram (`sentences-<kind>…`) and its quantiles (`sentences-<kind>-quantiles…`); so are the "
    "**months held before release** (`held-before-release…`, `held-before-release-quantiles…`), from "
    "the month of detention to the month of release of every person released.",
    "**Suppressed**: a count from 1 to k−1 is hidden (empty cell, with `suppressed` = `true`), and so is "
    "a second cell of any row or column that would otherwise let it be worked out from the totals. A "
    "true zero is shown as 0. Totals that the sources publish anyway (such as the number in custody) are "
    "exact.",
    "**Withheld**: medians and quantiles are read off the published histogram (interpolated inside a "
    "band) and published only for groups of at least the minimum group size whose size is shown, when "
    "the shown counts determine them; means are not published. Otherwise `value` is empty and "
    "`withheld_reason` says why.",
    "**Codes and labels**: a dimension column holds a stable code (`female`, `BY-HM`, `342`); the "
    "`<dimension>_label` column next to it its English label. The API gives Belarusian and Russian labels "
    "with `lang=be` or `lang=ru`.",
    "**Provenance columns**: every row ends with `release`, `as_of` (the date the data is valid for) and "
    "`synthetic`; a synthetic release adds `data_note`. A row copied alone still says where it comes from.",
    "**Dimensions**: gender; age band at detention; region of detention (ISO 3166-2:BY); criminal-code "
    "article; kind of sentence (`pending`: awaiting verdict); how the person left custody "
    "(`not_released`: still in custody); status (in custody or released on the as-of date); year of "
    "detention.",
)


def _synthetic_banner(release: ReleaseInfo) -> list[str]:
    if not release.synthetic:
        return []
    return [
        f"> **SYNTHETIC DEMONSTRATION DATA.** {release.synthetic_note or SYNTHETIC_LABEL} Every table in "
        "`data/` except `published_figures.csv` is computed from invented records and says so in its "
        "`synthetic` column. Do not quote these numbers as facts about Belarus: the real, cited figures are "
        "in `data/published_figures.csv`.",
        "",
    ]


def readme(
    release: ReleaseInfo,
    files: Sequence[FileEntry],
    threshold: int,
    min_group: int,
    file_name: str,
    sep: str = ",",
) -> bytes:
    """What is inside, how its CSVs are written (`sep`), the definitions a reader needs, and how to cite."""
    lines = [
        f"# {DATASET_TITLE}: aggregate statistics, release {release.id}",
        "",
        *_synthetic_banner(release),
        f"{release.title}. Data valid as of **{release.valid_as_of.isoformat()}**; release published "
        f"{release.published.isoformat()}. Licence: {release.licence_name} ({release.licence_url}).",
        "",
        "Anonymized, disclosure-controlled aggregate tables on people recognized as political prisoners in "
        "Belarus. There is no record-level data in this download, and none is ever published. Each table "
        "is exactly the CSV the API returns for the query named below.",
        "",
        "## What is inside",
        "",
        "| file | what |",
        "|---|---|",
        *(f"| `{entry.path}` | {entry.description} |" for entry in files),
        "",
        _csv_format(sep),
        "",
        "Check the download with `frictionless validate datapackage.json`: it checks every column's type "
        "and allowed values, and every file's size and SHA-256.",
        "",
        "The tables never change for this release. `data/published_figures.csv`, `METHODOLOGY.md` and "
        "`CHANGELOG.md` are not part of the release: they are the versions current when this file was made.",
        "",
        "## Definitions",
        "",
        *(f"- {text}" for text in DEFINITIONS),
        f"- Here k = {threshold} and the minimum group size is {min_group}.",
        "",
        "`METHODOLOGY.md` explains who is counted, where the numbers come from and the disclosure "
        "control in full; `CHANGELOG.md` lists the releases.",
        "",
        "## How to cite",
        "",
        f"> {release.citation()} File: {file_name}.",
        "",
        "`CITATION.cff` has the same in machine-readable form. To cite one published figure, cite the "
        "source given in its row of `data/published_figures.csv` and add its `figure_id`.",
        "",
        "## Sources",
        "",
        *(f"- {source.get('title', '')}: {source.get('path', '')}" for source in release.sources),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _csv_format(sep: str) -> str:
    """How every CSV of the download is written, so a reader opens it with the right settings."""
    if sep == ",":
        return (
            "Every CSV is UTF-8, separated by commas (`,`), with decimal points (`0.25`); "
            "`download.zip?sep=%3B` gives the same files with semicolons and decimal commas."
        )
    return (
        "Every CSV is UTF-8, separated by **semicolons** (`;`), with **decimal commas** (`0,25`), for the "
        "Excel of locales that write decimals with a comma (asked for with `sep=;`). In pandas: "
        '`pandas.read_csv(path, sep=";", decimal=",")`. `datapackage.json` declares the same.'
    )


def _yaml(value: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: no escaping rules of our own.
    return json.dumps(value, ensure_ascii=False)


def citation_cff(release: ReleaseInfo, base_url: str = "") -> bytes:
    """CITATION.cff (Citation File Format 1.2.0) for one release; `base_url` is the service's public
    address (`public_base_url`), whose release-pinned URL identifies the release (none when empty)."""
    title = f"{DATASET_TITLE}, release {release.id}" + (
        " (synthetic demonstration data)" if release.synthetic else ""
    )
    authors = [c.get("title", "") for c in release.metadata.get("contributors", []) if c.get("title")]
    abstract = (
        (f"SYNTHETIC: {release.synthetic_note or SYNTHETIC_LABEL} " if release.synthetic else "")
        + "Anonymized, disclosure-controlled aggregate statistics on people recognized as political "
        f"prisoners in Belarus, data valid as of {release.valid_as_of.isoformat()}. Derived from figures "
        "published by the Human Rights Centre Viasna and the press."
    )
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml('If you use this dataset, please cite it as below. ' + release.citation())}",
        "type: dataset",
        f"title: {_yaml(title)}",
        f"version: {_yaml(release.id)}",
        *(
            [
                f"url: {_yaml(base_url + '/')}",
                "identifiers:",
                "  - type: url",
                f"    value: {_yaml(f'{base_url}/v1/releases/{release.id}')}",
                f"    description: {_yaml(f'Release {release.id} (immutable)')}",
            ]
            if base_url
            else []
        ),
        f"date-released: {_yaml(release.published.isoformat())}",
        f"license: {_yaml(release.licence_name)}",
        "authors:",
        *(f"  - name: {_yaml(name)}" for name in authors or [FALLBACK_AUTHOR]),
        f"abstract: {_yaml(abstract)}",
        "keywords:",
        *(f"  - {_yaml(word)}" for word in ("Belarus", "political prisoners", "human rights", "statistics")),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
