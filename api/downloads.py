"""A release's downloads: each published table as CSV and XLSX, and the whole release as one ZIP.

Every table comes from `StatisticsService.compute`, the code path of the statistics endpoints, and is
rendered by the same CSV renderer, so a file here is byte for byte the API's CSV for that query. The
ZIP is built once per release and kept in the service's representation cache; `datapackage.json` and
`CITATION.cff` are served from inside it, so the files on their own never disagree with the ZIP.
Nothing record-level is ever read here: only protected statistics and the published figures.
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from api.dataset import files
from api.labels import Lang
from api.models import FIGURE
from api.query import XLSX_TYPE
from api.render.archive import deterministic_zip, member
from api.render.documents import FileEntry, citation_cff, readme
from api.render.package import descriptor, resource, synthetic_note, table_schema, to_json
from api.render.provenance import csv_provenance_columns
from api.render.tabular import csv_columns, labelled_rows, to_csv
from api.render.workbook import table_workbook
from api.responses import Representation
from api.stats.dimensions import DIMENSION_NAMES
from api.stats.releases import ReleaseInfo
from api.stats.result import StatResult
from api.stats.service import StatisticsService
from api.stats.tables import TableSpec, published_tables

CSV_TYPE = "text/csv; charset=utf-8"
FIGURES_PATH = "data/published_figures.csv"
DOCUMENTS = (("METHODOLOGY.md", "README.md"), ("CHANGELOG.md", "CHANGELOG.md"))
"""(name in the ZIP, file of the dataset folder)."""
DOCUMENT_ENTRIES = (
    FileEntry("README.md", "This file."),
    FileEntry(
        "datapackage.json", "Frictionless Data Package: every CSV with its Table Schema, size and SHA-256."
    ),
    FileEntry("CITATION.cff", "How to cite this release (Citation File Format)."),
    FileEntry("METHODOLOGY.md", "Who is counted, definitions, anonymity and disclosure control."),
    FileEntry("CHANGELOG.md", "Dataset releases, and changes to the published figures."),
)
# One build at a time: on a busy day, concurrent first requests wait for the one build, then hit the cache.
_BUILD_LOCK = threading.Lock()


def tables(service: StatisticsService) -> tuple[TableSpec, ...]:
    return published_tables(service.dimension("sentence_kind").levels)


def find_table(service: StatisticsService, name: str) -> TableSpec | None:
    return next((spec for spec in tables(service) if spec.name == name), None)


def archive_stem(release: ReleaseInfo) -> str:
    """File name (without .zip) and top folder of the ZIP; it says when the data is synthetic."""
    return f"political-prisoners-belarus_{release.id}{'_synthetic' if release.synthetic else ''}"


def table_csv(
    service: StatisticsService,
    release: ReleaseInfo,
    spec: TableSpec,
    lang: Lang = "en",
    bom: bool = False,
    sep: str = ",",
) -> tuple[bytes, StatResult]:
    """The table as the statistics endpoint's CSV (English labels, no byte-order mark, commas by default)."""
    result = service.table(spec.statistic, spec.query(release.id), release, "csv")
    rows = labelled_rows(result, service.vocab, lang)
    return to_csv(rows, csv_columns(result), release, bom, lang, sep), result


def _download_headers(spec: TableSpec, release: ReleaseInfo, extension: str) -> dict[str, str]:
    filename = f"{spec.name}_{release.id}{'_synthetic' if release.synthetic else ''}.{extension}"
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        # The Table Schema of this table, for clients that follow links (CSV on the Web style).
        "Link": f'</v1/releases/{release.id}/datapackage.json>; rel="describedby"',
    }


def table_representation(
    service: StatisticsService, release: ReleaseInfo, spec: TableSpec, lang: Lang, bom: bool, sep: str = ","
) -> Representation:
    def build() -> Representation:
        data, _ = table_csv(service, release, spec, lang, bom, sep)
        return Representation(data, CSV_TYPE, _download_headers(spec, release, "csv"))

    return service.cache.get_or_build(("download-table", release.id, spec.name, lang, bom, sep), build)


def table_workbook_representation(
    service: StatisticsService, release: ReleaseInfo, spec: TableSpec, lang: Lang
) -> Representation:
    """The table as XLSX: the CSV's rows on a first sheet, its provenance on a second."""

    def build() -> Representation:
        result = service.table(spec.statistic, spec.query(release.id), release, "xlsx")
        limits = (service.settings.suppression_threshold, service.settings.min_group_size)
        url = spec.api_path(release.id).replace("format=csv", "format=xlsx")
        data = table_workbook(result, release, service.vocab, lang, limits, url)
        return Representation(data, XLSX_TYPE, _download_headers(spec, release, "xlsx"))

    return service.cache.get_or_build(("download-workbook", release.id, spec.name, lang), build)


def figures_csv(engine: Engine, bom: bool = False, sep: str = ",") -> tuple[bytes, list[str]]:
    """The published-figures table as `/v1/figures?format=csv` serves it (its values are whole numbers
    and text, so `sep=;` changes only the separator)."""
    columns = [column.name for column in FIGURE.columns]
    query = select(FIGURE).order_by(FIGURE.c.as_of, FIGURE.c.figure_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(columns)
    with engine.connect() as connection:
        for row in connection.execute(query):
            writer.writerow(["" if value is None else value for value in row])
    text = buffer.getvalue()
    return (("\ufeff" + text) if bom else text).encode("utf-8"), columns


@dataclass(frozen=True)
class CsvOptions:
    """How the CSVs of a download are written: a byte-order mark or not, and the separator."""

    bom: bool = False
    sep: str = ","

    @property
    def decimal_char(self) -> str:
        """The decimal mark of numbers: a comma where `;` separates the cells (Excel's locales)."""
        return "." if self.sep == "," else ","


@dataclass
class _Contents:
    """Files of the download under construction: data files, their resources, the README's list."""

    data: list[tuple[str, bytes]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    entries: list[FileEntry] = field(default_factory=list)

    def add(self, path: str, data: bytes, resource_descriptor: dict[str, Any], entry: str) -> None:
        self.data.append((path, data))
        self.resources.append(resource_descriptor)
        self.entries.append(FileEntry(path, entry))


def _add_tables(
    contents: _Contents, service: StatisticsService, release: ReleaseInfo, options: CsvOptions
) -> None:
    levels = {name: service.dimension(name, release).levels for name in DIMENSION_NAMES}
    provenance = list(csv_provenance_columns(release))
    for spec in tables(service):
        data, result = table_csv(service, release, spec, "en", options.bom, options.sep)
        path, api = f"data/{spec.name}.csv", spec.api_path(release.id)
        parts = (synthetic_note(release).strip(), f"{spec.title}.", *result.notes, f"API: {api}")
        schema = table_schema([*csv_columns(result), *provenance], levels, options.decimal_char)
        description = " ".join(part for part in parts if part)
        entry = f"{spec.title} (`{api}`)"
        described = resource(spec.name, path, spec.title, description, data, schema, options.sep)
        contents.add(path, data, described, entry)


def _add_figures(
    contents: _Contents, service: StatisticsService, release: ReleaseInfo, options: CsvOptions
) -> None:
    data, columns = figures_csv(service.engine, options.bom, options.sep)
    schema = files.schema_for(service.settings.dataset_dir, files.FIGURES.name)
    if [f["name"] for f in schema["fields"]] != columns:
        raise RuntimeError("the published_figures Table Schema and the published_figure table differ")
    note = (
        "Real figures, NOT synthetic, unlike the other tables of this release. " if release.synthetic else ""
    )
    description = (
        f"{note}Figures published by the Human Rights Centre Viasna and the press, one row per figure, with "
        "its date, qualifier and citation. API: /v1/figures?format=csv"
    )
    title = "Published figures on political prisoners in Belarus, with citations"
    entry = title + (" (real, never synthetic)" if release.synthetic else "")
    contents.add(
        FIGURES_PATH,
        data,
        resource("published-figures", FIGURES_PATH, title, description, data, schema, options.sep),
        entry,
    )


def _contents(
    service: StatisticsService, release: ReleaseInfo, options: CsvOptions
) -> list[tuple[str, bytes]]:
    """Every file of the download, in a fixed order, paths relative to the top folder."""
    k, min_group = service.settings.suppression_threshold, service.settings.min_group_size
    contents = _Contents()
    _add_figures(contents, service, release, options)
    _add_tables(contents, service, release, options)
    documents = [(name, (service.settings.dataset_dir / source).read_bytes()) for name, source in DOCUMENTS]
    entries = [*DOCUMENT_ENTRIES, *contents.entries]
    return [
        ("README.md", readme(release, entries, k, min_group, archive_stem(release) + ".zip", options.sep)),
        ("datapackage.json", to_json(descriptor(release, contents.resources, k, min_group))),
        ("CITATION.cff", citation_cff(release, service.settings.public_base_url)),
        *documents,
        *contents.data,
    ]


def archive(
    service: StatisticsService, release: ReleaseInfo, options: CsvOptions = CsvOptions()
) -> Representation:
    """The release's ZIP, built on first use and then served from memory. Every CSV in it is written
    with `options`: a UTF-8 byte-order mark (for Excel), and the separator (`;` with decimal commas),
    which `datapackage.json` and the README declare."""
    stem = archive_stem(release)

    def build() -> Representation:
        members = [(f"{stem}/{path}", data) for path, data in _contents(service, release, options)]
        headers = {"Content-Disposition": f'attachment; filename="{stem}.zip"'}
        return Representation(deterministic_zip(members, release.published), "application/zip", headers)

    with _BUILD_LOCK:
        return service.cache.get_or_build(("download.zip", release.id, options.bom, options.sep), build)


def archived_file(
    service: StatisticsService, release: ReleaseInfo, name: str, media_type: str
) -> Representation:
    """One top-level file of the ZIP, with the very bytes it has there."""

    def build() -> Representation:
        data = member(archive(service, release).body, f"{archive_stem(release)}/{name}")
        return Representation(data, media_type, {"Content-Disposition": f'inline; filename="{name}"'})

    return service.cache.get_or_build(("download-file", release.id, name), build)
