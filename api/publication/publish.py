"""`prisoners-api publish`: turn a record-level release into its publication, privately.

Run by a curator on their own machine, with the record-level data of this release and of the earlier
ones (which stay in the curator's private storage):

1. load the releases into a throwaway workspace (`api.publication.workspace`);
2. protect the release: grow its suppression list until the whole-release anonymity audit passes
   (`api.audit.protect`), or refuse, naming the tables it cannot protect;
3. compute every answer the API can give for it (`api.audit.publication.every_query`: every statistic
   × every allowed filter value × every allowed split), and the changes against the previous release;
4. write the publication (`api.publication.folder`) — the only thing that leaves the machine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.audit import AuditReport
from api.audit.protect import MAX_ROUNDS, ProtectionReport, protect_release
from api.audit.publication import Answer, every_query
from api.audit.report import summary
from api.cells import Cell
from api.dataset import files, loader
from api.publication.across import Change, published_values, small_changes
from api.publication.answers import StoredAnswer, answer_key
from api.publication.folder import read_publication, write_publication
from api.publication.workspace import workspace
from api.query import StatQuery
from api.settings import Settings
from api.stats.from_records import RecordStatistics


class PublishRefused(Exception):
    """The release cannot be protected: the audit still fails after the release-wide pass, or counts
    keep changing by 1..k−1 since an earlier publication."""

    def __init__(self, release: str, reason: str, tables: Sequence[str], audit: AuditReport) -> None:
        self.audit = audit
        more = f" and {len(tables) - 20} more" if len(tables) > 20 else ""
        listed = ", ".join(sorted(tables)[:20]) + more
        super().__init__(f"release {release} cannot be protected: {reason} in these tables: {listed}")

    @staticmethod
    def within(audit: AuditReport) -> PublishRefused:
        tables = {source.split(" row ")[0] for f in audit.failures for source in f.sources}
        reason = f"{len(audit.failures)} hidden counts stay narrower than {audit.protection_interval}"
        return PublishRefused(audit.release, reason, sorted(tables), audit)

    @staticmethod
    def across(release: str, changes: list[Change], audit: AuditReport) -> PublishRefused:
        tables = {f"/v1/stats/{c.identity[0]}?{c.identity[1]}" for c in changes}
        reason = f"{len(changes)} counts change by 1..k−1 since an earlier publication and cannot be hidden"
        return PublishRefused(release, reason, sorted(tables), audit)


@dataclass(frozen=True)
class Publication:
    release: str
    answers: int
    suppressed_cells: int
    listed: int
    audit: AuditReport


def publish(
    settings: Settings,
    records: Path,
    out: Path,
    earlier: Sequence[Path] = (),
    progress: Callable[[str], None] = lambda _: None,
    publications: Path | None = None,
) -> Publication:
    """Publish the record-level release folder `records` into `out`, given the earlier releases'
    record-level folders `earlier` (oldest first) and their publications, fixed, in `publications`
    (default: the dataset's releases folder). Raise PublishRefused when it cannot be protected."""
    publications = publications or settings.dataset_dir / files.RELEASES
    _check_every_earlier_publication(settings, records, earlier, publications)
    with workspace(settings, [*earlier, records]) as (engine, scratch):
        release_id = files.read_release_metadata(records, settings.dataset_dir).id
        published = [
            read_publication(publications / folder.name, settings.dataset_dir)[1] for folder in earlier
        ]
        protection, computed = _protect(engine, scratch, release_id, published, progress)
        service = RecordStatistics(engine, scratch)
        release = service.release(release_id)
        answers = [StoredAnswer(a.statistic, answer_key(a.query), a.result) for a in computed]
        previous = service.catalog.previous(release)
        if previous is not None:
            changes = service.compute("changes", StatQuery(release=release.id), release)
            answers.append(StoredAnswer("changes", "", changes))
        metadata: dict[str, Any] = dict(release.metadata)
        metadata["publication"] = {
            "made_by": "prisoners-api publish",
            "people": release.case_count,
            "first_month": release.first_month,
            "first_recognized": release.first_recognized,
            "previous": previous.id if previous else None,
            "threshold": settings.suppression_threshold,
            "protection_interval": settings.effective_protection_interval,
            "min_group_size": settings.min_group_size,
            "answers": len(answers),
            "suppression_list": len(protection.listed),
        }
        write_publication(out, metadata, answers, summary(protection.audit, timing=False))
        return Publication(
            release.id,
            len(answers),
            sum(a.result.suppressed_cells for a in answers),
            len(protection.listed),
            protection.audit,
        )


def _protect(
    engine: Engine,
    settings: Settings,
    release_id: str,
    earlier: Sequence[list[StoredAnswer]],
    progress: Callable[[str], None],
) -> tuple[ProtectionReport, list[Answer]]:
    """Protect the release within itself (`protect_release`) and against every earlier publication
    (`api.publication.across`), round by round, until neither finds anything; its answers then."""
    kinds = RecordStatistics(engine, settings).vocab.enums["release_kind"]
    last_month = RecordStatistics(engine, settings).release(release_id).as_of_month
    before = [published_values(answers, kinds) for answers in earlier]
    tried: set[Cell] = set()
    for _ in range(MAX_ROUNDS):
        protection = protect_release(engine, settings, release_id, progress)
        if not protection.passed:
            raise PublishRefused.within(protection.audit)
        service = RecordStatistics(engine, settings)  # a fresh one: the list may have changed
        answers = list(every_query(service, service.release(release_id)))
        keyed = [(answer, answer_key(answer.query)) for answer in answers]
        k = settings.suppression_threshold
        changes = [
            change for values in before for change in small_changes(values, keyed, kinds, k, last_month)
        ]
        if not changes:
            return protection, answers
        new = {change.cell for change in changes} - tried
        if not new:
            raise PublishRefused.across(release_id, changes, protection.audit)
        progress(
            f"across releases: {len(changes)} counts changed by 1..k−1; hiding {len(new)} sets of people"
        )
        tried |= new
        with engine.begin() as connection:
            loader.store_suppression(connection, release_id, protection.listed | dict.fromkeys(new, True))
    raise PublishRefused.across(release_id, changes, protection.audit)


def _check_every_earlier_publication(
    settings: Settings, records: Path, earlier: Sequence[Path], publications: Path
) -> None:
    """Refuse to publish without the record-level data of every release published before this one: the
    protection across releases needs each of them (an attacker has every publication)."""
    this = files.read_release_metadata(records, settings.dataset_dir)
    given = {folder.name for folder in earlier}
    for folder in sorted(publications.iterdir()) if publications.is_dir() else ():
        if not (folder / files.RELEASE_FILE).is_file() or folder.name in given | {this.id}:
            continue
        other = files.read_release_metadata(folder, settings.dataset_dir)
        if other.valid_as_of <= this.valid_as_of:
            raise ValueError(
                f"{other.id} was published before {this.id}: give its record-level folder with --earlier "
                "(the new release is protected against every earlier publication)"
            )
