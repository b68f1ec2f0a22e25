"""`python -m api.audit [RELEASE] [--failures FILE]`: audit a release in the configured database
(DATABASE_URL, settings as the service reads them) and print the summary; with `--failures`, also
write every failing count as JSON lines.

Exit status 0 when every suppressed count keeps its protection interval, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from api.audit import audit_release
from api.audit.report import summary
from api.db import create_db_engine
from api.settings import load_settings


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
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
