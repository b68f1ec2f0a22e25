"""The audit's report as text: the summary docs/PRIVACY.md quotes, and each failure."""

from __future__ import annotations

from api.audit import AuditReport, Finding

MAX_LISTED = 20


def _interval(finding: Finding) -> str:
    high = "∞" if finding.high == float("inf") else f"{finding.high:g}"
    return f"[{finding.low:g}, {high}]"


def summary(report: AuditReport, timing: bool = True) -> str:
    """The report as text; without `timing`, the same report gives the same text (publications)."""
    lines = [
        f"release {report.release}: k = {report.threshold}, "
        f"protection interval p = {report.protection_interval}",
        f"tables audited: {report.queries} queries, {report.published_cells} published counts "
        f"({report.distinct_counts} distinct)",
        f"cells suppressed: {report.suppressed_cells} in all tables ({report.distinct_suppressed} distinct)",
        f"families solved: {report.families}, linear programs: {report.programs}"
        + (f", {report.seconds:.1f} s" if timing else ""),
    ]
    if report.narrowest is not None:
        n = report.narrowest
        lines.append(
            f"narrowest interval: width {n.width:g} {_interval(n)} (required {n.required:g}) for "
            f"{n.cell.describe()}"
        )
    lines.append(f"failures: {len(report.failures)}")
    for finding in sorted(report.failures, key=lambda f: f.width)[:MAX_LISTED]:
        where = finding.sources[0] if finding.sources else "?"
        lines.append(f"  {finding.cell.describe()}: {_interval(finding)} < {finding.required:g}  ({where})")
    if len(report.failures) > MAX_LISTED:
        lines.append(f"  … and {len(report.failures) - MAX_LISTED} more")
    lines.append("PASS" if report.passed else "FAIL")
    return "\n".join(lines)
