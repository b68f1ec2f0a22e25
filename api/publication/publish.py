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
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.audit import AuditReport
from api.audit.joint import Counts, JointFinding, JointReport, SolvedBefore, audit_pair, counts_of
from api.audit.protect import MAX_ROUNDS, ProtectionReport, protect_release
from api.audit.publication import Answer
from api.audit.report import summary
from api.cells import Cell
from api.dataset import files
from api.publication.across import Change, is_headline, published_values, small_changes
from api.publication.answers import StoredAnswer, answer_key
from api.publication.folder import read_publication, write_publication
from api.publication.months import months_to_hide
from api.publication.workspace import workspace
from api.query import StatQuery
from api.records.load import store_suppression
from api.records.statistics import RecordStatistics
from api.settings import Settings

PINNING_PER_FAILURE = 3
"""How many of the visible counts that pin a count the joint audit finds narrow are hidden in one
round. Some can't be hidden (another table must show them, and `protect` takes them off the list
again); trying several at once finds one that can in fewer rounds, at the price of hiding a few more."""


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
    def jointly(release: str, failures: list[JointFinding], audit: AuditReport) -> PublishRefused:
        tables = {f"{f.target} {f.cell.describe()}" for f in failures}
        reason = (
            f"{len(failures)} counts stay narrow given the earlier publications, with nothing left to hide"
        )
        return PublishRefused(release, reason, sorted(tables), audit)

    @staticmethod
    def months(release: str, cells: set[Cell], audit: AuditReport) -> PublishRefused:
        reason = "the months of the flows pin hidden counts that hiding more months did not widen"
        return PublishRefused(release, reason, sorted(c.describe() for c in cells), audit)

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
    protection: ProtectionReport | None = None
    """The release's suppression list as published with: the curator keeps it beside the records
    (`prisoners-api publish` writes it there), so that the records compute the published answers."""


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
            (metadata.id, answers)
            for metadata, answers in (
                read_publication(publications / folder.name, settings.dataset_dir) for folder in earlier
            )
        ]
        # A release published again (the code gained a table) hides again all its last publication hid:
        # that publication is public, and a count it hid shown now could pin its neighbours there.
        last = publications / release_id
        again = [read_publication(last, settings.dataset_dir)[1]] if (last / "answers.csv").is_file() else []
        protection, computed, joint = _protect(engine, scratch, release_id, published, progress, again)
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
        report = "\n\n".join([summary(protection.audit, timing=False), *(j.summary() for j in joint)])
        write_publication(out, metadata, answers, report)
        return Publication(
            release.id,
            len(answers),
            sum(a.result.suppressed_cells for a in answers),
            len(protection.listed),
            protection.audit,
            protection,
        )


def _protect(
    engine: Engine,
    settings: Settings,
    release_id: str,
    earlier: Sequence[tuple[str, list[StoredAnswer]]],
    progress: Callable[[str], None],
    again: Sequence[list[StoredAnswer]] = (),
) -> tuple[ProtectionReport, list[Answer], list[JointReport]]:
    """Protect the release within itself (`protect_release`) and against every earlier publication,
    round by round, until nothing is found; its answers then.

    Against the earlier publications, three steps: everything an earlier publication hid is hidden
    again (a count hidden in one release and shown in the next, while few people changed, gives it
    away); counts that changed by 1..k−1 are hidden (`api.publication.across`); then the joint audit
    (`api.audit.joint`) hides what pins a hidden count, or every count that tells the people who
    changed from another story of them (`_to_hide`)."""
    service = RecordStatistics(engine, settings)
    kinds = service.vocab.enums["release_kind"]
    release = service.release(release_id)
    last_month, levels = release.as_of_month, service.levels()
    earlier_counts = [counts_of(answers, old, levels, kinds) for old, answers in earlier]
    before = [published_values(answers, kinds) for _, answers in earlier]
    last_counts = [counts_of(answers, release_id, levels, kinds) for answers in again]
    carried = {
        count.cell: True
        for counts in [*earlier_counts, *last_counts]
        for count in counts.counts
        if count.value is None
    }
    if carried:
        own = {cell: True for cell in release.withheld.hidden} | {
            cell: False for cell in release.withheld.shown
        }
        with engine.begin() as connection:  # the records' own list, and all hidden before hidden again
            store_suppression(connection, release_id, own | carried)
        progress(f"across releases: {len(carried)} sets of people hidden before are hidden again")
    tried: set[Cell] = set()
    joint: list[JointReport] = []
    solved_before: SolvedBefore = {}  # each round solves again only the families it changed
    for _ in range(MAX_ROUNDS):
        protection = protect_release(engine, settings, release_id, progress)
        if not protection.passed:
            raise PublishRefused.within(protection.audit)
        answers = list(protection.audit.answers)  # audited with the list as it stands
        keyed = [(answer, answer_key(answer.query)) for answer in answers]
        k = settings.suppression_threshold
        changes = [
            change for values in before for change in small_changes(values, keyed, kinds, k, last_month)
        ]
        new = {change.cell for change in changes} - tried
        if not new:
            p = settings.effective_protection_interval
            sums, stuck = months_to_hide(protection.audit.counts, kinds, levels, p)
            new = sums - tried
            if stuck or (sums and not new):  # nothing left to hide, or the tables showed them again
                raise PublishRefused.months(release_id, stuck or sums, protection.audit)
            if new:
                progress(f"months of the flows: hiding {len(new)} more, so that none pins a hidden count")
        elif new:
            progress(
                f"across releases: {len(changes)} counts changed by 1..k−1; hiding {len(new)} sets of people"
            )
        if not new:
            # Small changes that protect could not hide (the published counts determine them, so it
            # shows them again) are the joint audit's: it hides what tells who changed instead.
            headline = partial(is_headline, last_month=last_month)
            counts = Counts(release_id, protection.audit.counts)
            joint = [
                audit_pair(engine, settings, old, counts, headline, solved_before) for old in earlier_counts
            ]
            failures = [f for report in joint for f in report.failures]
            if not failures:
                return protection, answers, joint
            new = {cell for f in failures for cell in _to_hide(f, tried)}
            if not new:
                raise PublishRefused.jointly(release_id, failures, protection.audit)
            progress(
                f"jointly with earlier publications: {len(failures)} narrow; hiding {len(new)} sets of people"
            )
            for f in failures[:6]:
                hidden = [c.describe() for c in _to_hide(f, tried)]
                progress(f"  {f.describe()}; hiding {'; '.join(hidden[:3])}{' …' if len(hidden) > 3 else ''}")
        tried |= new
        with engine.begin() as connection:
            store_suppression(connection, release_id, protection.listed | dict.fromkeys(new, True))
    raise PublishRefused.across(release_id, changes, protection.audit)


def _to_hide(failure: JointFinding, tried: set[Cell]) -> list[Cell]:
    """What to hide for a joint failure: every count that tells the changed people from another story
    of them, when there is one none of which was tried already (one step, rather than a count a
    round); else a few of the counts that pin it."""
    if failure.alternative and not tried & set(failure.alternative):
        return list(failure.alternative)
    return [cell for cell in failure.pinning if cell not in tried][:PINNING_PER_FAILURE]


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
