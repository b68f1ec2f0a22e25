"""`python -m api.audit [RELEASE] [--failures FILE]`: audit a release in the configured database
(DATABASE_URL, settings as the service reads them) and print the summary, then the audit over all
months (`api.audit.months`); with `--failures`, also write every failing count as JSON lines.

Exit status 0 when every suppressed count keeps its protection interval, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from api.audit import audit_release
from api.audit.months import narrow_over_months
from api.audit.report import MAX_LISTED, summary
from api.db import create_db_engine
from api.settings import load_settings
from api.stats.dimensions import DIMENSION_NAMES, dimension, vocabularies

FILTER_LEVELS = tuple(name for name in DIMENSION_NAMES if name != "year_detained")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.audit", description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", default="latest")
    parser.add_argument("--failures", type=Path, help="write every failing count here (JSON lines)")
    args = parser.parse_args(argv)
    settings = load_settings()
    engine = create_db_engine(settings.effective_database_url)
    try:
        report = audit_release(engine, settings, args.release)
    finally:
        engine.dispose()
    print(summary(report))
    kinds = vocabularies(settings.dataset_dir).enums["release_kind"]
    levels = {name: dimension(name, settings.dataset_dir, ()).levels for name in FILTER_LEVELS}
    months = narrow_over_months(report.answers, kinds, levels, report.protection_interval)
    print(f"over all months: {len(months)} narrow")
    for narrow in months[:MAX_LISTED]:
        print(f"  {narrow.cell.describe()}: [{narrow.low:g}, {narrow.high:g}] < {narrow.required:g}")
    if args.failures:
        with args.failures.open("wb") as out:
            for finding in report.failures:
                record = {
                    "count": finding.cell.describe(),
                    "low": finding.low,
                    "high": finding.high,
                    "required": finding.required,
                    "published_at": list(finding.sources),
                }
                out.write(orjson.dumps(record) + b"\n")
    return 0 if report.passed and not months else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
