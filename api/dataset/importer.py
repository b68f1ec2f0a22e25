"""Turn a curator's per-person export of the list into a new, anonymized release folder.

The export (CSV or a JSON array of objects, one per person) holds names and birthdays; the release holds
none. What is understood in the export lives in `import_vocabulary.py`. The rules, in short:
- names, birthdays, places, prisons, judges and free text are dropped; dates become months, the birthday
  an age band at detention (a birth year alone is taken as 1 July, a date without a day as the 15th);
- `case_id` is random; the same person keeps it across releases through an id map kept outside the
  dataset, keyed by a salted SHA-256 of the name (words sorted) and the birthday;
- rows of one person (same key) merge into the row with the latest detention, then the most complete one,
  then the later one in the file: rows are never mixed field by field, as two rows may be two detentions;
- a row without a month of detention is skipped; what cannot be mapped becomes `unknown`/`other`/empty
  and is counted per column in the report, never shown; cases are written in case_id order, so the
  export's order (often alphabetical) does not survive;
- the release is written to a staging folder, validated like any release, and only then moved in place.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from api.dataset import files
from api.dataset import import_vocabulary as vocabulary
from api.dataset.import_vocabulary import PartialDate, Record, parse_date, read_export

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
ID_LENGTH = 12
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
SOURCES = [{"title": 'List of political prisoners, HRC "Viasna"', "path": "https://prisoners.spring96.org"}]
DESCRIPTION = (
    "Anonymized import of the curators' per-person export of the list of political prisoners recognized by "
    "the Belarusian human-rights community led by Viasna: no names, birthdays, places or free text; months "
    "instead of dates, age bands at detention, regions instead of places."
)
_RELEASE_ID = re.compile(r"[a-z0-9][a-z0-9.-]{2,39}")


@dataclass
class ImportReport:
    """What an import did, in counts only: nothing here may identify a person."""

    rows_read: int = 0
    cases_written: int = 0
    duplicates_merged: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)
    """Column of cases.csv -> records whose value was missing, not understood, or dropped as inconsistent."""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        skipped = self.rows_read - self.duplicates_merged - self.cases_written
        lines = [
            f"{self.rows_read} records read: {self.cases_written} cases written, "
            f"{self.duplicates_merged} duplicates merged, {skipped} skipped"
        ]
        if self.unmapped:
            counts = ", ".join(f"{column} {count}" for column, count in self.unmapped.items())
            lines.append(f"not mapped (records per column): {counts}")
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


@dataclass
class _Notes:
    """Counts collected while converting; they become the report."""

    unmapped: Counter[str] = field(default_factory=Counter)
    fixes: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)

    def miss(self, column: str) -> None:
        self.unmapped[column] += 1

    def fix(self, column: str | None, message: str) -> None:
        if column is not None:
            self.unmapped[column] += 1
        self.fixes[message] += 1

    def fill(self, report: ImportReport) -> None:
        report.unmapped = dict(sorted(self.unmapped.items()))
        report.warnings = self.messages + [f"{message}: {n} records" for message, n in self.fixes.items()]


@dataclass
class IdMap:
    """Salted hash of a person's identifying fields -> case_id; kept by the curator outside the dataset."""

    path: Path
    salt: str
    ids: dict[str, str]
    created: bool
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> IdMap:
        if not path.exists():
            return cls(path, secrets.token_hex(32), {}, created=True)  # the salt is made once, here
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            salt, ids = str(raw["salt"]), {str(k): str(v) for k, v in raw["ids"].items()}
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise ValueError(f"{path} is not an id map written by the importer") from None
        return cls(path, salt, ids, created=False, used=set(ids.values()))

    def key(self, record: Record) -> str | None:
        """The person's key: name words sorted (order varies between exports) and the birthday."""
        name = " ".join(sorted(vocabulary.words(record.get("name", ""))))
        if not name:
            return None
        born = parse_date(record.get("birthday", ""))
        birthday = born.text if born else " ".join(vocabulary.words(record.get("birthday", "")))
        return hashlib.sha256(f"{self.salt}\x1f{name}\x1f{birthday}".encode()).hexdigest()

    def case_id(self, key: str | None) -> str:
        """The person's case_id, a new random one when unknown (and every time for a row without a name)."""
        if key is not None and key in self.ids:
            return self.ids[key]
        new = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        while new in self.used:
            new = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        self.used.add(new)
        if key is not None:
            self.ids[key] = new
        return new

    def save(self) -> None:
        """Replace the file atomically; mkstemp makes it readable by its owner only."""
        about = "prisoners-api importer: salted SHA-256 of name and birthday -> case_id. Keep private."
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".id-map-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"about": about, "salt": self.salt, "ids": self.ids}, stream, indent=1, sort_keys=True)
        os.replace(temporary, self.path)


def _merge_duplicates(records: list[Record], id_map: IdMap) -> tuple[list[tuple[str | None, Record]], int]:
    """One record per person and the number merged away: see the module docstring for which is kept."""
    groups: dict[str, list[tuple[int, Record]]] = {}
    chosen: list[tuple[str | None, Record]] = []
    for index, record in enumerate(records):
        key = id_map.key(record)
        if key is None:
            chosen.append((None, record))
        else:
            groups.setdefault(key, []).append((index, record))

    def preference(item: tuple[int, Record]) -> tuple[int, int, int, int, int]:
        index, record = item
        detained = parse_date(record.get("arrested", "")) or PartialDate(0)
        filled = sum(1 for value in record.values() if value)
        return detained.year, detained.month or 0, detained.day or 0, filled, index

    chosen.extend((key, max(group, key=preference)[1]) for key, group in groups.items())
    return chosen, sum(len(group) - 1 for group in groups.values())


def _region(record: Record, notes: _Notes) -> str:
    """The first of region, city and place of detention that names a place."""
    for column in ("region", "city", "place"):
        if code := vocabulary.region_of(record.get(column, "")):
            return code
    notes.miss("region")
    return "unknown"


def _or_unknown(value: str | None, column: str, notes: _Notes, fallback: str = "unknown") -> str:
    if value is None:
        notes.miss(column)
    return fallback if value is None else value


def _release(record: Record, notes: _Notes) -> tuple[str, str]:
    """(released_on, release_kind): a release without its month is dropped (written as in custody)."""
    reason, status = record.get("release_reason", ""), record.get("status", "")
    released = parse_date(record.get("released", ""))
    if released is None or released.month is None:
        if record.get("released") or reason or vocabulary.says_released(status):
            notes.fix("released_on", "released without a month of release that can be read: kept in custody")
        return "", ""
    kind = vocabulary.release_kind_of(reason) or vocabulary.status_release_kind(status)
    return released.month_text, _or_unknown(kind, "release_kind", notes, "other")


def _articles(text: str, known: set[str], notes: _Notes) -> str:
    codes = vocabulary.parse_articles(text, known)
    if not codes:
        notes.miss("articles")
    return ";".join(codes) or "other"


def _to_case(record: Record, known: set[str], as_of: str, notes: _Notes) -> dict[str, str] | None:
    """The anonymized case of one record, or None when it cannot be part of the release."""
    detained = parse_date(record.get("arrested", ""))
    if detained is None or detained.month is None:
        notes.fix("detained_on", "skipped: no month of detention")
        return None
    recognized = parse_date(record.get("recognized", ""))
    has_recognition = recognized is not None and recognized.month is not None
    recognized_on = recognized.month_text if recognized and has_recognition else detained.month_text
    if detained.month_text > as_of or recognized_on > as_of:
        notes.fix(None, "skipped: detained or recognized after valid_as_of")
        return None  # before any other count, so a skipped record is counted once
    if not has_recognition:
        notes.miss("recognized_on")  # the month of detention instead: most are recognized within weeks
    verdict = bool(record.get("verdict"))
    kind, months, unmapped = vocabulary.parse_sentence(record.get("penalty", ""), has_verdict=verdict)
    if unmapped:
        notes.miss(unmapped)
    released_on, release_kind = _release(record, notes)
    age = vocabulary.age_band(parse_date(record.get("birthday", "")), detained)
    case = {
        "gender": _or_unknown(vocabulary.gender_of(record.get("gender", "")), "gender", notes),
        "age_band": _or_unknown(age, "age_band", notes),
        "region": _region(record, notes),
        "detained_on": detained.month_text,
        "recognized_on": recognized_on,
        "articles": _articles(record.get("articles", ""), known, notes),
        "sentence_kind": kind,
        "sentence_months": "" if months is None else str(months),
        "released_on": released_on,
        "release_kind": release_kind,
    }
    _fix_month_order(case, as_of, notes)
    return case


def _fix_month_order(case: dict[str, str], as_of: str, notes: _Notes) -> None:
    """Fix, in place, the order of months the validator requires."""
    if case["recognized_on"] < case["detained_on"]:
        notes.fix("recognized_on", "recognized before the detention month: set to the detention month")
        case["recognized_on"] = case["detained_on"]
    released = case["released_on"]
    if released and released > as_of:
        notes.fix(None, "released after valid_as_of: in custody on that date")
        case["released_on"] = case["release_kind"] = ""
    elif released and released < case["detained_on"]:
        notes.fix("released_on", "released before the detention month: release dropped, kept in custody")
        case["released_on"] = case["release_kind"] = ""
    elif released and released < case["recognized_on"]:
        notes.fix("recognized_on", "recognized after the release month: set to the release month")
        case["recognized_on"] = released


def _in_repository(path: Path) -> Path | None:
    """The git checkout `path` is in (a folder with `.git`, itself or a parent), or None."""
    resolved = path.resolve()
    return next((folder for folder in (resolved, *resolved.parents) if (folder / ".git").exists()), None)


def _check_arguments(
    source: Path, dataset_dir: Path, release_id: str, id_map_path: Path, out_dir: Path
) -> Path:
    """The release folder to create, after refusing everything that would make a bad or leaky release:
    record-level data and the id map stay in the curator's private storage, outside any repository."""
    if not _RELEASE_ID.fullmatch(release_id) or release_id == "latest":
        raise ValueError(f"release id {release_id!r} must match [a-z0-9][a-z0-9.-]{{2,39}} and not be latest")
    target = out_dir / release_id
    if target.exists():
        raise ValueError(f"{target} already exists: a release never changes, choose a new release id")
    for path, what in ((id_map_path, "the id map"), (source, "the export"), (out_dir, "the destination")):
        if path.resolve().is_relative_to(dataset_dir.resolve()):
            raise ValueError(f"{what} ({path}) is inside the dataset folder: it would be published; move it")
    for path, what in ((out_dir, "the destination"), (id_map_path, "the id map"), (source, "the export")):
        if (repository := _in_repository(path)) is not None:
            raise ValueError(
                f"{what} ({path}) is inside the repository {repository}: record-level data never goes "
                "where it could be committed; keep it in a private folder"
            )
    if not id_map_path.parent.is_dir() or id_map_path.is_dir():
        raise ValueError(f"id map {id_map_path}: not a file in an existing folder")
    if not source.is_file():
        raise ValueError(f"export {source} not found")
    return target


def _write_release(
    cases: list[dict[str, str]], metadata: dict[str, Any], dataset_dir: Path, target: Path, id_map: IdMap
) -> None:
    """Write the release to a staging folder, validate it, save the id map, then move the release in place.

    The map is saved first so that a published case_id is always in it; an id saved for a release that
    then failed to move is harmless (the next import reuses it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=target.parent))
    try:
        folder = staging / target.name  # validate_release wants the folder named as the release
        folder.mkdir()
        columns = [column["name"] for column in files.schema_for(dataset_dir, files.CASES_FILE)["fields"]]
        with (folder / files.CASES_FILE).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(cases, key=lambda case: case["case_id"]))
        text = json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"
        (folder / files.RELEASE_FILE).write_text(text, encoding="utf-8")
        files.validate_release(folder, dataset_dir)
        id_map.save()
        if target.exists():
            raise ValueError(f"{target} appeared while importing: a release never changes")
        folder.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def import_export(
    source: Path,
    dataset_dir: Path,
    release_id: str,
    valid_as_of: date,
    id_map_path: Path,
    out_dir: Path,
    title: str | None = None,
) -> ImportReport:
    """Import a curator's export into the private record-level folder `<out_dir>/<release_id>/` (the
    input of `prisoners-api publish`) and report what happened.

    Raises ValueError when refusing (bad arguments, unreadable export, existing release, id map, export
    or destination inside the dataset folder, a destination inside a repository) and DatasetError when
    the written release fails validation; either way nothing is written and the id map is not saved.
    """
    target = _check_arguments(source, dataset_dir, release_id, id_map_path, out_dir)
    records, ignored = read_export(source)
    id_map = IdMap.load(id_map_path)
    notes = _Notes()
    if ignored:
        notes.messages.append(f"columns ignored (not a known field): {', '.join(map(repr, ignored))}")
    if id_map.created:
        notes.messages.append(f"new id map {id_map_path.name}: every case_id of this release is new")
    chosen, merged = _merge_duplicates(records, id_map)
    known, as_of = files.article_codes(dataset_dir), valid_as_of.strftime("%Y-%m")
    cases = []
    for key, record in chosen:
        if key is None:
            notes.fix(None, "no name to recognize the person by: a new case_id on every import")
        case = _to_case(record, known, as_of, notes)
        if case is not None:
            cases.append({"case_id": id_map.case_id(key), **case})
    if not cases:
        raise ValueError(f"{source.name}: no record could be imported")
    metadata = {
        "id": release_id,
        "title": title or f"Political prisoners in Belarus, as of {valid_as_of.isoformat()}",
        "description": DESCRIPTION,
        "valid_as_of": valid_as_of.isoformat(),
        "published": date.today().isoformat(),
        "synthetic": False,
        "licence": LICENCE,
        "sources": SOURCES,
    }
    _write_release(cases, metadata, dataset_dir, target, id_map)
    report = ImportReport(rows_read=len(records), cases_written=len(cases), duplicates_merged=merged)
    notes.fill(report)
    return report
