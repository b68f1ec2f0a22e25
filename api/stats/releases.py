"""Dataset releases as the statistics see them: resolve `latest` or an id, with provenance."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, exc, select

from api.cells import Cell, Withheld
from api.models import DATASET_FILE, RELEASE

SYNTHETIC_LABEL = "Demonstration data generated to match published totals — not real records."


@dataclass(frozen=True)
class ReleaseDescription:
    """How a release describes itself in its release.json and in the release table: the fields the
    curators' validated metadata (`api.dataset.files.ReleaseMetadata`) and `ReleaseInfo` share."""

    id: str
    title: str
    description: str
    valid_as_of: date
    published: date
    synthetic: bool
    synthetic_note: str
    licence_name: str
    licence_url: str


@dataclass(frozen=True)
class ReleaseInfo(ReleaseDescription):
    """What every response needs to say about the release its figures come from."""

    case_count: int
    first_month: str
    first_recognized: str
    metadata: dict[str, Any]
    files: tuple[dict[str, Any], ...]
    share: float = 1.0
    """This release's share of all loaded cases (how SQLite should read it: `api.records.cube`)."""
    withheld: Withheld = field(default_factory=Withheld)
    """The release's own suppression list (suppression.json): people hidden in every table."""

    @property
    def as_of_month(self) -> str:
        return self.valid_as_of.strftime("%Y-%m")

    @property
    def years(self) -> tuple[str, ...]:
        """Detention years from the first month of the data to the as-of date."""
        return tuple(str(year) for year in range(int(self.first_month[:4]), self.valid_as_of.year + 1))

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(self.metadata.get("sources", []))

    def links(self, base: str = "") -> dict[str, str]:
        """The addresses of this release and its downloads (served by `api.routes.downloads`); `base`
        makes them absolute."""
        root = f"{base}/v1/releases/{self.id}"
        return {
            "tables": f"{root}/tables",
            "download": f"{root}/download.zip",
            "datapackage": f"{root}/datapackage.json",
            "citation": f"{root}/CITATION.cff",
            "release": root,
        }

    def citation(self) -> str:
        synthetic = " [synthetic demonstration data — not real records]" if self.synthetic else ""
        return (
            f"Political prisoners in Belarus open data, release {self.id} (data as of "
            f"{self.valid_as_of.isoformat()}){synthetic}. Derived from figures published by the Human Rights "
            f"Centre Viasna and the press. Licence: {self.licence_name}."
        )


def as_of_month(day: date) -> str:
    return day.strftime("%Y-%m")


First = tuple[str, str]
"""A release's first month of detention and first month of recognition."""


class RecordLevel(Protocol):
    """What a workspace of record-level releases tells the catalogue that a publication's metadata
    tells the public one (`api.records.statistics.WORKSPACE`)."""

    def suppression_lists(self, connection: Connection) -> dict[tuple[str, bool], set[Cell]]:
        """Each release's suppression list: the sets of people it hides (True) or shows (False)."""
        ...

    def first_months(self, connection: Connection, ids: list[str]) -> dict[str, First]:
        """The first months of detention and recognition of the releases `ids`."""
        ...


def _read_releases(
    engine: Engine,
    known: dict[tuple[str, object], First],
    kinds: tuple[str, ...],
    records: RecordLevel | None,
) -> list[ReleaseInfo]:
    """The loaded releases. A publication says its first months in its metadata; in a workspace of
    record-level releases (`records`), `known` holds the first months of releases already read, by id
    and load time: a loaded release never changes, so its cases are scanned once per process, not every
    read. `kinds` are the release kinds (for the suppression lists of record-level releases)."""
    with engine.connect() as connection:
        listed = records.suppression_lists(connection) if records else {}
        file_rows = connection.execute(
            select(DATASET_FILE).where(DATASET_FILE.c.release_id.is_not(None)).order_by(DATASET_FILE.c.path)
        ).all()
        releases = connection.execute(select(RELEASE).order_by(RELEASE.c.valid_as_of, RELEASE.c.id)).all()
        for row in releases if not records else ():
            publication = json.loads(row.metadata_json).get("publication", {})
            if "first_month" in publication:
                known[(row.id, row.loaded_at)] = publication["first_month"], publication["first_recognized"]
        new = [row.id for row in releases if (row.id, row.loaded_at) not in known]
        if new and records:
            scanned = records.first_months(connection, new)
            for row in releases:
                if row.id in new and row.id in scanned:
                    known[(row.id, row.loaded_at)] = scanned[row.id]
    firsts = {row.id: known[(row.id, row.loaded_at)] for row in releases if (row.id, row.loaded_at) in known}
    files_of: dict[str, list[dict[str, Any]]] = {}
    for row in file_rows:
        name = row.path.rsplit("/", 1)[-1]
        files_of.setdefault(row.release_id, []).append(
            {"name": name, "sha256": row.sha256, "rows": row.rows, "bytes": row.bytes}
        )
    all_cases = sum(row.case_count for row in releases) or 1
    return [
        ReleaseInfo(
            id=row.id,
            title=row.title,
            description=row.description,
            valid_as_of=row.valid_as_of,
            published=row.published,
            synthetic=bool(row.synthetic),
            synthetic_note=row.synthetic_note or SYNTHETIC_LABEL,
            licence_name=row.licence_name,
            licence_url=row.licence_url,
            case_count=row.case_count,
            share=row.case_count / all_cases,
            first_month=firsts.get(row.id, (as_of_month(row.valid_as_of),) * 2)[0],
            first_recognized=firsts.get(row.id, (as_of_month(row.valid_as_of),) * 2)[1],
            metadata=json.loads(row.metadata_json),
            files=tuple(files_of.get(row.id, [])),
            withheld=Withheld(
                hidden=frozenset(listed.get((row.id, True), ())),
                shown=frozenset(listed.get((row.id, False), ())),
                kinds=kinds,
            ),
        )
        for row in releases
    ]


class ReleaseCatalog:
    """The loaded releases, re-read at most every `ttl` seconds so a new release appears without restart."""

    def __init__(
        self,
        engine: Engine,
        ttl: float,
        kinds: tuple[str, ...],
        records: RecordLevel | None = None,
        wait: float = -1,
    ) -> None:
        self._engine = engine
        self._records = records
        self._ttl = ttl
        self._wait = wait
        self._kinds = kinds
        self._lock = threading.Lock()
        self._releases: list[ReleaseInfo] | None = None
        self._read_at = 0.0
        self._firsts: dict[tuple[str, object], First] = {}

    def all(self) -> list[ReleaseInfo]:
        """Releases in order of their as-of date, oldest first.

        One caller reads the list at a time. The others wait at most `wait` seconds (-1: as long as it
        takes), then answer from the list they have, or, with none yet, raise TimeoutError as a pool
        with no free connection does: a database that never answers must not queue every request."""
        releases = self._releases
        if releases is not None and time.monotonic() - self._read_at <= self._ttl:
            return releases
        if not self._lock.acquire(timeout=self._wait):
            if releases is not None:
                return releases
            raise exc.TimeoutError("the list of releases is being read by another request")
        try:
            if self._releases is None or time.monotonic() - self._read_at > self._ttl:
                self._releases = _read_releases(self._engine, self._firsts, self._kinds, self._records)
                self._read_at = time.monotonic()
            return self._releases
        finally:
            self._lock.release()

    def get(self, release: str) -> ReleaseInfo | None:
        """`latest` or a release id; None when there is no such release."""
        releases = self.all()
        if release == "latest":
            return releases[-1] if releases else None
        return next((info for info in releases if info.id == release), None)

    def previous(self, info: ReleaseInfo) -> ReleaseInfo | None:
        releases = self.all()
        index = [r.id for r in releases].index(info.id)
        return releases[index - 1] if index > 0 else None
