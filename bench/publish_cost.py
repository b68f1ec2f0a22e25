"""`python -m bench.publish_cost DATABASE RELEASE [EVERY]`: where `publish` spends its time, answer by answer.

DATABASE is a SQLite database of the release's records (a curator's workspace, e.g. the one
`bench.datasets.records_database` makes in the private folder). Every EVERY-th query of each statistic
the API accepts (`api.audit.publication._candidates`, in publish's order) is computed from the records
as publish computes it, the result cache emptied first; the SQL statements it runs are counted. Prints
per statistic: answers in a publication, answers sampled, mean seconds and statements per answer, and
the estimate of one pass over every answer (publish makes at least two: the audit's, then the answers').
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from api.audit.publication import _candidates, _parse
from api.db import create_db_engine
from api.query import SPECS
from api.records.statistics import RecordStatistics
from api.settings import Settings


def main(database: str, release: str, every: int) -> None:
    url = f"sqlite:///{database}"
    engine = create_db_engine(url)
    service = RecordStatistics(engine, Settings(database_url=url))
    info = service.release(release)
    levels = service.levels()
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    total = total_cpu = 0.0
    print("| statistic | answers | sampled | s per answer (CPU) | statements per answer | s per pass (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    for statistic, spec in SPECS.items():
        queries = [
            q for p in _candidates(spec, levels) if (q := _parse([("release", release), *p], spec, levels))
        ]
        seconds, cpu, counts = [], [], []
        for query in queries[::every]:
            service._results.clear()
            statements = 0
            started, processor = time.perf_counter(), time.process_time()
            service.compute(statistic, query, info)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - processor)
            counts.append(statements)
        per_pass, per_pass_cpu = statistics.mean(seconds) * len(queries), statistics.mean(cpu) * len(queries)
        total, total_cpu = total + per_pass, total_cpu + per_pass_cpu
        print(f"| {statistic} | {len(queries)} | {len(seconds)} | {statistics.mean(seconds):.2f} "
              f"({statistics.mean(cpu):.2f}) | {statistics.mean(counts):.1f} | {per_pass:.0f} "
              f"({per_pass_cpu:.0f}) |", flush=True)  # fmt: skip
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"one pass over every answer: {total:.0f} s, {total_cpu:.0f} s CPU (load average {load})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10)
