"""Release-wide suppression: hide more until the anonymity audit passes (`prisoners-api protect`).

Each table's own protection (`api.disclosure`) keeps every hidden count wide given that table's
equations and what the few tables it is told about decided. The audit looks at every published count
together, and on a tiny or lopsided release it can find a hidden count that several tables pin
between them. Then, round by round:

1. audit the release;
2. for each failing count, ask the solvers of the families that bound it which visible counts pin it
   (non-zero dual values at its least or greatest value), and choose the smallest not tried before;
3. add the chosen sets of people to the release's suppression list — every table that counts them
   hides them, and protects itself around them — and audit again.

The list only grows and each set of people is tried once, so this ends: with a pass, or with counts
that nothing left to hide would widen (the report names them). The list is then written to the
release folder as suppression.json (`dataset/schema/suppression.schema.json`), which the data
migration loads with the release.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from api.audit import AuditReport, Finding, Places, audit_with_places
from api.cells import NOT_RELEASED, Cell
from api.dataset import files
from api.records.load import store_suppression
from api.records.statistics import RecordStatistics
from api.settings import Settings

MAX_ROUNDS = 200


@dataclass(frozen=True)
class ProtectionReport:
    release: str
    rounds: int
    listed: dict[Cell, bool]
    """The whole list: each set of people with whether it is hidden (else shown)."""
    before: dict[Cell, bool]
    """The list the release had before."""
    audit: AuditReport
    """The last audit (with the whole list applied)."""

    @property
    def passed(self) -> bool:
        return self.audit.passed


def protect_release(
    engine: Engine,
    settings: Settings,
    release_id: str = "latest",
    progress: Callable[[str], None] = lambda _: None,
) -> ProtectionReport:
    """Grow the suppression list of a loaded release until its audit passes (see the module
    docstring); the list is stored in the database as it grows. `progress` hears one line a round."""
    release = RecordStatistics(engine, settings).release(release_id)
    before = {cell: True for cell in release.withheld.hidden} | dict.fromkeys(release.withheld.shown, False)
    listed, tried = dict(before), set(before)
    last_month = release.as_of_month
    for round_number in range(1, MAX_ROUNDS + 1):
        report, places = audit_with_places(engine, settings, release.id)
        progress(
            f"round {round_number}: {len(report.failures)} narrow hidden counts, "
            f"{len(listed)} cells on the list ({report.seconds:.1f} s)"
        )
        changes: dict[Cell, bool] = {}
        for finding in report.failures:
            cell = _as_listed(finding.cell, last_month)
            exact = finding.high - finding.low < 0.5
            if exact and (finding.low == 0 or finding.low >= settings.suppression_threshold):
                # Determined exactly by what is published, and 0 or not small: showing it tells nothing
                # new (and a 0 or a count of at least k may be shown).
                if listed.get(cell) is not False:
                    changes[cell] = False
            elif (pinning := _pinning(finding, places, tried, last_month)) is not None:
                changes[pinning] = True
        # A listed set of people that some table still shows (a headline, or a count another table
        # decides) is hidden nowhere else: hiding it in some tables only would protect nothing.
        ineffective = {cell for cell, hide in listed.items() if hide and cell in report.shown}
        if report.passed or not (changes or ineffective):
            break
        listed = {cell: hide for cell, hide in listed.items() if cell not in ineffective} | changes
        tried |= set(changes)
        with engine.begin() as connection:
            store_suppression(connection, release.id, listed)
    return ProtectionReport(release.id, round_number, listed, before, report)


def _pinning(finding: Finding, places: Places, tried: set[Cell], last_month: str) -> Cell | None:
    """The smallest visible count, not tried before, that pins `finding` in a family that sets one of
    its bounds; else a visible zero that shares people with such a count (the coarsest first: with a
    tiny headline, the zeros around it are what tell who its people are); None when there is none."""
    sizes: dict[Cell, float] = {}
    zeros: set[Cell] = set()
    for solver, target in places[finding.cell]:
        low, high = solver.bounds.known(target)
        if low < finding.low - 1e-6 and high > finding.high + 1e-6:
            continue  # this family sets neither bound
        system = solver.system
        binding = solver.binding(target)
        for row in binding:
            cell = _as_listed(system.equation_cells[row], last_month)
            if cell not in tried:
                sizes[cell] = min(sizes.get(cell, math.inf), float(system.values[row]))
        if len(binding) and system.zero_cells:
            sharing = np.flatnonzero(np.asarray(system.zero_overlap[:, binding].sum(axis=1)).ravel() > 0)
            zeros |= {_as_listed(system.zero_cells[z], last_month) for z in sharing} - tried
    if sizes:
        return min(sizes, key=lambda cell: (sizes[cell], cell.dumps()))
    return min(zeros, key=lambda cell: (len(cell.conditions), cell.dumps())) if zeros else None


def _as_listed(cell: Cell, last_month: str) -> Cell:
    """The cell to list for `cell`: the people in custody at the end of the as-of month are the
    people not released, and the tables of those decide how the series shows them (`custody_now`)."""
    if cell.event == ("in_custody", last_month) and "release_kind" not in cell.attributes:
        return Cell.of(dict(cell.conditions) | {"release_kind": {NOT_RELEASED}})
    return cell


def write_suppression(
    folder: Path, report: ProtectionReport, settings: Settings, made_by: str = "prisoners-api protect"
) -> Path:
    """Write the list as suppression.json into the record-level release folder (schema:
    suppression.schema.json)."""
    path = folder / files.SUPPRESSION_FILE
    ordered = sorted(report.listed, key=Cell.dumps)
    document = {
        "release": report.release,
        "threshold": settings.suppression_threshold,
        "protection_interval": settings.effective_protection_interval,
        "generated_by": made_by,
        "cells": [cell.to_json() for cell in ordered if report.listed[cell]],
        "shown": [cell.to_json() for cell in ordered if not report.listed[cell]],
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
